// The host never loads the ML stack or the engine: from the compiled extension entry, every
// module it can reach is followed (require() calls, import() calls, and any string literal that
// names a module, since `import(specifier)` may take one from a variable), and none may be
// TensorFlow.js, transformers.js, ONNX Runtime or a file of src/trainer. The lint rules make a
// static import of them an error; this catches what lint cannot see.

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';

const OUT = path.resolve(__dirname, '../..');
const ENTRY = path.join(OUT, 'src', 'extension', 'extension.js');
const FORBIDDEN = [/[\\/]node_modules[\\/](@tensorflow|@xenova|@huggingface|onnxruntime[^\\/]*)[\\/]/, /[\\/]out[\\/]src[\\/]trainer[\\/]/];
const STRING = /(['"`])((?:\.{1,2}\/|@?[a-z0-9][\w.-]*(?:\/[\w.@-]+)*)[^'"`\s]*)\1/gi;
const CALL = /\b(?:require|import)\(\s*(['"`])([^'"`]+)\1\s*\)/g;

function resolveFrom(file: string, specifier: string): string | undefined {
  if (specifier === 'vscode' || specifier.startsWith('node:')) return undefined;
  try {
    const resolved = require.resolve(specifier, { paths: [path.dirname(file)] });
    return path.isAbsolute(resolved) && existsSync(resolved) ? resolved : undefined;
  } catch {
    return undefined;
  }
}

/** Every module reachable from `entry`, with the module that first reached each. */
function reachable(entry: string): Map<string, string> {
  const seen = new Map<string, string>([[entry, '(entry)']]);
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.shift()!;
    if (!file.endsWith('.js') && !file.endsWith('.cjs') && !file.endsWith('.mjs')) continue;
    const source = readFileSync(file, 'utf8');
    // Thaw's own code: any string naming a module counts. Packages: their require/import calls.
    const pattern = file.includes(`${path.sep}node_modules${path.sep}`) ? CALL : STRING;
    for (const match of source.matchAll(pattern)) {
      const target = resolveFrom(file, match[2]);
      if (target === undefined || seen.has(target)) continue;
      seen.set(target, file);
      queue.push(target);
    }
  }
  return seen;
}

test('nothing the extension host can load reaches the ML stack or the engine', () => {
  assert.ok(existsSync(ENTRY), `build first: ${ENTRY}`);
  const modules = reachable(ENTRY);
  const own = [...modules.keys()].filter((file) => file.startsWith(path.join(OUT, 'src')));
  assert.ok(own.some((file) => file.endsWith(path.join('extension', 'panel', 'training-panel.js'))), 'modules loaded lazily with import() are followed');
  assert.ok(own.some((file) => file.endsWith(path.join('core', 'model', 'model-groups.js'))));
  const forbidden = [...modules].filter(([file]) => FORBIDDEN.some((pattern) => pattern.test(file)));
  assert.deepEqual(forbidden.map(([file, from]) => `${path.relative(OUT, from)} -> ${file}`), []);
});

test('the follower does find the ML stack where it is: from the trainer CLI', () => {
  const modules = reachable(path.join(OUT, 'src', 'trainer', 'cli', 'main.js'));
  assert.ok([...modules.keys()].some((file) => FORBIDDEN[0].test(file)), 'the engine reaches @tensorflow or @xenova');
});

/** The modules loaded when the extension's entry is required: its static imports, transitively. */
function loadedAtActivation(entry: string): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    if (!file.endsWith('.js') && !file.endsWith('.cjs')) return;
    // A top-level `const x = require("...")` is a static import in TypeScript's CommonJS output;
    // import() compiles to a require inside a promise callback, which this does not match.
    for (const match of readFileSync(file, 'utf8').matchAll(/^(?:const|var|let) [^=\n]+= (?:__import(?:Star|Default)\()?require\("([^"]+)"\)/gm)) {
      const target = resolveFrom(file, match[1]);
      if (target !== undefined) visit(target);
    }
  };
  visit(entry);
  return [...seen];
}

test('activation loads only what the Model view needs: no schema validator, parser or dataset reader', () => {
  const loaded = loadedAtActivation(ENTRY);
  assert.ok(loaded.some((file) => file.endsWith(path.join('model-view', 'model-tree.js'))));
  const heavy = loaded.filter((file) => /[\\/]node_modules[\\/](zod|jsonc-parser|csv-parse)[\\/]/.test(file));
  assert.deepEqual(heavy.map((file) => path.relative(OUT, file)), []);
});
