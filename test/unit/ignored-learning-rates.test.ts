import assert from 'node:assert/strict';
import { test } from 'node:test';
import { allGroupNames } from '../../src/core/vocabulary/groups';
import { ignoredLearningRates } from '../../src/core/experiment/ignored-learning-rates';

const groups = allGroupNames(6);

test('a rate for a frozen group, or for an alias whose groups are all frozen, is reported', () => {
  assert.deepEqual(ignoredLearningRates({ name: 'fine-tune', frozen: ['task_a_head'], lr: { encoder: 2e-5, heads: 1e-3, task_a_head: 0.5 } }, groups), [
    { key: 'task_a_head', message: 'task_a_head is frozen in phase fine-tune; its rate 0.5 is ignored' },
  ]);
  assert.deepEqual(
    ignoredLearningRates({ name: 'warm-up', frozen: ['encoder'], lr: { encoder: 2e-5, 'layer.3': 1e-4, heads: 1e-2 } }, groups).map((ignored) => ignored.key),
    ['encoder', 'layer.3'],
  );
});

test('an alias that still reaches one training group, unknown names, and groups the model lacks are not reported', () => {
  assert.deepEqual(ignoredLearningRates({ name: 'p', frozen: ['task_a_head', 'layer.0'], lr: { heads: 1e-3, encoder: 1e-5, 'layer.9': 0.1 } }, groups), []);
  // Task B is not configured: its head is not among the model's groups.
  const onlyA = groups.filter((group) => group !== 'task_b_head');
  assert.deepEqual(ignoredLearningRates({ name: 'p', frozen: [], lr: { task_b_head: 0.1 } }, onlyA), []);
  assert.deepEqual(ignoredLearningRates({ name: 'p', frozen: ['heads'], lr: { heads: 0.1 } }, onlyA).map((ignored) => ignored.key), ['heads']);
});
