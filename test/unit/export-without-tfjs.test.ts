// `thaw export` goes from file to file: the exporter loads neither TensorFlow.js nor ONNX Runtime.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { test } from 'node:test';

test('importing thaw export loads no tfjs and no onnxruntime', () => {
  const file = path.resolve(__dirname, '../../src/trainer/cli/export-command.js');
  const script = `require(${JSON.stringify(file)});
    const loaded = Object.keys(require.cache);
    console.log(JSON.stringify({ tfjs: loaded.filter((name) => name.includes('@tensorflow')).length, ort: loaded.filter((name) => name.includes('onnxruntime')).length }));`;
  assert.deepEqual(JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })), { tfjs: 0, ort: 0 });
});
