// `thaw embed` and cache fills must not start tfjs (DECISIONS.md): the weight reader, the ONNX
// builders and the ORT encoder load neither TensorFlow.js nor, until first used, ONNX Runtime.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { test } from 'node:test';

const modules = ['model/weight-arrays', 'onnx/bert-graph', 'onnx/heads-graph', 'onnx/quantize', 'onnx/ort-encoder', 'onnx/ort-heads'].map((name) =>
  path.resolve(__dirname, '../../src/trainer', `${name}.js`),
);

test('importing the ONNX path loads no tfjs and defers onnxruntime-node', () => {
  const script = `${modules.map((file) => `require(${JSON.stringify(file)});`).join('')}
    const loaded = Object.keys(require.cache);
    console.log(JSON.stringify({ tfjs: loaded.filter((file) => file.includes('@tensorflow')).length, ort: loaded.filter((file) => file.includes('onnxruntime')).length }));`;
  const counts = JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })) as { tfjs: number; ort: number };
  assert.deepEqual(counts, { tfjs: 0, ort: 0 });
});
