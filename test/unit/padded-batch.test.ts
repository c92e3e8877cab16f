import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lengthBucketedBatches, padBatch } from '../../src/trainer/data/padded-batch';

test('pads to the longest sequence of the batch, mask 1 on real tokens', () => {
  const batch = padBatch([[2, 7, 3], [2, 3]], 0);
  assert.equal(batch.length, 3);
  assert.deepEqual([...batch.inputIds], [2, 7, 3, 2, 3, 0]);
  assert.deepEqual([...batch.attentionMask], [1, 1, 1, 1, 1, 0]);
});

test('length buckets: sorted by length (stable), chunked, every index once', () => {
  assert.deepEqual(lengthBucketedBatches([5, 2, 9, 3, 2], 2), [[1, 4], [3, 0], [2]]);
  assert.throws(() => lengthBucketedBatches([1], 0), /positive integer/);
});
