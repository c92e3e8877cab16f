// Compiles the WebAssembly text kernels (src/**/*.wat) to binary modules beside tsc's output
// (out/src/**/*.wasm), where the compiled code reads them at run time. wabt is the WebAssembly
// Binary Toolkit's own wat2wasm, built for JavaScript; it is a build tool only, not shipped.

import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import createWabt from 'wabt';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const wabt = await createWabt();

function* watFiles(folder) {
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const file = path.join(folder, entry.name);
    if (entry.isDirectory()) yield* watFiles(file);
    else if (entry.name.endsWith('.wat')) yield file;
  }
}

for (const source of watFiles(path.join(root, 'src'))) {
  const module = wabt.parseWat(path.relative(root, source), readFileSync(source, 'utf8'), { simd: true });
  try {
    module.validate();
    const { buffer } = module.toBinary({});
    const target = path.join(root, 'out', path.relative(root, source)).replace(/\.wat$/, '.wasm');
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, buffer);
  } finally {
    module.destroy();
  }
}
