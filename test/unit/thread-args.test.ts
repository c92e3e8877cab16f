// The thaw.threads setting reaches the trainer as --threads N; 0 (the default) and values that
// are not whole positive numbers leave the choice (every core) to the trainer.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { engineArgs } from '../../src/extension/training/engine-args';
import { threadArgs } from '../../src/extension/training/thread-args';

test('thaw.threads: a positive whole number becomes --threads N, anything else nothing', () => {
  assert.deepEqual(threadArgs(2), ['--threads', '2']);
  for (const setting of [0, undefined, -1, 1.5, '2', null]) assert.deepEqual(threadArgs(setting), [], String(setting));
});

test('package.json contributes thaw.threads, 0 meaning every core', () => {
  const manifest = JSON.parse(readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8')) as { contributes: { configuration: { properties: Record<string, { type: string; default: unknown; minimum: number }> } } };
  const setting = manifest.contributes.configuration.properties['thaw.threads'];
  assert.deepEqual([setting.type, setting.default, setting.minimum], ['integer', 0, 0]);
});

test('thaw.engine: onnxruntime or tfjs becomes --engine E; auto and anything else nothing', () => {
  assert.deepEqual(engineArgs('onnxruntime'), ['--engine', 'onnxruntime']);
  assert.deepEqual(engineArgs('tfjs'), ['--engine', 'tfjs']);
  for (const setting of ['auto', undefined, 'torch', 1, null]) assert.deepEqual(engineArgs(setting), [], String(setting));
  const manifest = JSON.parse(readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8')) as { contributes: { configuration: { properties: Record<string, { enum: string[]; default: unknown }> } } };
  const setting = manifest.contributes.configuration.properties['thaw.engine'];
  assert.deepEqual([setting.enum, setting.default], [['auto', 'onnxruntime', 'tfjs'], 'auto']);
});
