import assert from 'node:assert/strict';
import { test } from 'node:test';
import { allGroupNames, resolveGroupNames } from '../../src/trainer/model/parameter-groups';

test('aliases expand to their groups, in display order, without duplicates', () => {
  assert.deepEqual(allGroupNames(2), ['embeddings', 'layer.0', 'layer.1', 'task_a_head', 'task_b_head']);
  assert.deepEqual(resolveGroupNames(['encoder'], 3), ['embeddings', 'layer.0', 'layer.1', 'layer.2']);
  assert.deepEqual(resolveGroupNames(['task_b_head', 'layer.1', 'heads'], 2), ['layer.1', 'task_a_head', 'task_b_head']);
});

test('an unknown group is an error listing the valid names', () => {
  assert.throws(() => resolveGroupNames(['layer.6'], 6), /unknown parameter group "layer.6"; valid: embeddings, layer.0, .*layer.5, task_a_head, task_b_head, encoder, heads/);
  assert.throws(() => resolveGroupNames(['Encoder'], 6), /unknown parameter group "Encoder"/);
});
