// `thaw embed` and cache fills must not start tfjs (DECISIONS.md): the weight reader, the ONNX
// builders and the ORT encoder load neither TensorFlow.js nor, until first used, ONNX Runtime.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { test } from 'node:test';

const compiled = (name: string): string => path.resolve(__dirname, '../../src/trainer', `${name}.js`);
const modules = ['model/weight-arrays', 'onnx/bert-graph', 'onnx/heads-graph', 'onnx/quantize', 'onnx/onnx-files', 'onnx/ort-encoder', 'onnx/ort-heads'].map(compiled);

test('importing the ONNX path loads no tfjs and defers onnxruntime-node', () => {
  const script = `${modules.map((file) => `require(${JSON.stringify(file)});`).join('')}
    const loaded = Object.keys(require.cache);
    console.log(JSON.stringify({ tfjs: loaded.filter((file) => file.includes('@tensorflow')).length, ort: loaded.filter((file) => file.includes('onnxruntime')).length }));`;
  const counts = JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })) as { tfjs: number; ort: number };
  assert.deepEqual(counts, { tfjs: 0, ort: 0 });
});

test('where onnxruntime-node cannot load, creating an encoder fails with one message naming the platform', () => {
  // A preload makes resolving onnxruntime-node fail, as on a platform without its binary.
  const preload = `const Module = require('module'); const resolve = Module._resolveFilename;
    Module._resolveFilename = function (request, ...rest) { if (request.startsWith('onnxruntime-node')) throw Object.assign(new Error("Cannot find module '" + request + "'"), { code: 'MODULE_NOT_FOUND' }); return resolve.call(this, request, ...rest); };`;
  const script = `${preload}
    const { loadOnnxRuntime } = require(${JSON.stringify(compiled('onnx/onnx-runtime'))});
    const { OrtEncoder } = require(${JSON.stringify(compiled('onnx/ort-encoder'))});
    OrtEncoder.fromModel(new Uint8Array(0), {}).then(() => console.log('created'), (error) => console.log(JSON.stringify({ loaded: loadOnnxRuntime(), thrown: error.message })));`;
  const { loaded, thrown } = JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })) as { loaded: { error?: string }; thrown: string };
  assert.match(loaded.error ?? '', new RegExp(`^onnxruntime-node cannot load on ${process.platform}-${process.arch} \\(Cannot find module 'onnxruntime-node'\\)$`));
  assert.equal(thrown, loaded.error);
});
