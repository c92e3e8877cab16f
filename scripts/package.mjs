// Builds the platform-specific .vsix: `npm run package` for this machine's platform (into
// thaw.vsix), `npm run package -- --target darwin-arm64` for another (into
// thaw-darwin-arm64.vsix; `--out FILE` names it).
//
// The package is tsc's output plus node_modules as npm installed them, minus what never runs
// (.vscodeignore, see README "Packaging"). What depends on the target is added here: the other
// platforms' ONNX Runtime binaries are left out, and so is @tensorflow/tfjs-node (when
// installed) unless the target is this machine's, since its addon was built for this machine.
// Then the .vsix itself is checked, so a stale node_modules (the real sharp instead of
// stubs/sharp) fails here rather than in a user's editor.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

// The platforms onnxruntime-node 1.14 ships binaries for (bin/napi-v3/<os>/<arch>), named
// as vsce's --target names them.
const TARGETS = ['linux-x64', 'linux-arm64', 'darwin-x64', 'darwin-arm64', 'win32-x64', 'win32-arm64'];
const ORT_BIN = 'node_modules/onnxruntime-node/bin/napi-v3';

const root = fileURLToPath(new URL('..', import.meta.url));
const host = `${process.platform}-${process.arch}`;
const { target, out } = parseArguments(process.argv.slice(2));

checkSharpStub();
const work = mkdtempSync(path.join(tmpdir(), 'thaw-package-'));
try {
  const ignoreFile = path.join(work, '.vscodeignore');
  writeFileSync(ignoreFile, ignoreLines(target).join('\n') + '\n');
  const vsce = path.join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
  execFileSync(process.execPath, [vsce, 'package', '--target', target, '--ignoreFile', ignoreFile, '--allow-missing-repository', '--skip-license', '--out', out], {
    cwd: root,
    stdio: 'inherit',
  });
} finally {
  rmSync(work, { recursive: true, force: true });
}
checkPackage(out, target);

function parseArguments(args) {
  let target = host;
  let out;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--target') target = args[++i];
    else if (args[i] === '--out') out = path.resolve(args[++i]);
    else fail(`unknown argument "${args[i]}" (usage: npm run package [-- --target ${TARGETS.join('|')}] [--out FILE])`);
  }
  if (!TARGETS.includes(target)) fail(`target "${target}" is not one of ${TARGETS.join(', ')} (onnxruntime-node 1.14 has no binary for it)`);
  return { target, out: out ?? path.join(root, target === host ? 'thaw.vsix' : `thaw-${target}.vsix`) };
}

function ignoreLines(target) {
  const [os, arch] = target.split('-');
  const lines = readFileSync(path.join(root, '.vscodeignore'), 'utf8').split('\n');
  lines.push(`# ${target}: the other platforms' ONNX Runtime binaries`);
  for (const other of TARGETS.filter((t) => t !== target)) lines.push(`${ORT_BIN}/${other.replace('-', '/')}/**`);
  if (!existsSync(path.join(root, ORT_BIN, os, arch))) fail(`${ORT_BIN}/${os}/${arch} is missing: reinstall onnxruntime-node`);
  if (target !== host) lines.push('# built for this machine, not the target', 'node_modules/@tensorflow/tfjs-node/**');
  return lines;
}

function checkSharpStub() {
  const manifest = JSON.parse(readFileSync(path.join(root, 'node_modules/sharp/package.json'), 'utf8'));
  if (manifest.private !== true || !existsSync(path.join(root, 'node_modules/sharp/index.js'))) {
    fail('node_modules/sharp is the real sharp, not stubs/sharp: run "npm install" (package.json "overrides")');
  }
}

function checkPackage(vsix, target) {
  const names = zipEntryNames(readFileSync(vsix));
  const [os, arch] = target.split('-');
  const required = [
    'extension/out/src/trainer/cli/main.js',
    'extension/out/src/trainer/kernels/array-kernels.wasm',
    'extension/node_modules/sharp/index.js',
    'extension/node_modules/onnxruntime-web/dist/ort-web.node.js',
    `extension/${ORT_BIN}/${os}/${arch}/onnxruntime_binding.node`,
    'extension/node_modules/@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm',
  ];
  const missing = required.filter((name) => !names.includes(name));
  const ortBinaries = new RegExp(`^extension/${ORT_BIN}/(?!${os}/${arch}/)`);
  const unwanted = names.filter(
    (name) =>
      name.startsWith('extension/node_modules/@img/') ||
      name.startsWith('extension/node_modules/sharp/lib/') ||
      (name.endsWith('.wasm') && !name.startsWith('extension/node_modules/@tensorflow/tfjs-backend-wasm/dist/') && !name.startsWith('extension/out/src/')) ||
      ortBinaries.test(name),
  );
  if (missing.length > 0 || unwanted.length > 0) {
    fail(`${vsix} is not as expected:\n${[...missing.map((n) => `missing ${n}`), ...unwanted.slice(0, 20).map((n) => `unwanted ${n}`)].join('\n')}`);
  }
  console.log(`checked ${path.relative(root, vsix) || vsix}: ${target}, ${names.length} files, ${(readFileSync(vsix).length / 1e6).toFixed(1)} MB`);
}

// The names in a .zip's central directory (no zip64: a .vsix stays far below 4 GB and 65535 files).
function zipEntryNames(zip) {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) fail('not a zip file');
  const count = zip.readUInt16LE(end + 10);
  let offset = zip.readUInt32LE(end + 16);
  const names = [];
  for (let i = 0; i < count; i++) {
    const nameLength = zip.readUInt16LE(offset + 28);
    names.push(zip.toString('utf8', offset + 46, offset + 46 + nameLength));
    offset += 46 + nameLength + zip.readUInt16LE(offset + 30) + zip.readUInt16LE(offset + 32);
  }
  return names;
}

function fail(message) {
  console.error(`package: ${message}`);
  process.exit(1);
}
