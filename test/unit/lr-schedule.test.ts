import assert from 'node:assert/strict';
import { test } from 'node:test';
import { learningRateFactor } from '../../src/trainer/optim/lr-schedule';

test('constant, warm-up, linear and cosine factors, worked out by hand', () => {
  assert.deepEqual([0, 5, 9].map((step) => learningRateFactor({ warmupSteps: 0, decay: 'constant' }, step, 10)), [1, 1, 1]);
  // Warm-up 2 of 6 steps, then linear over the remaining 4: 1/2, 1, then 1 - k/4.
  assert.deepEqual([0, 1, 2, 3, 4, 5].map((step) => learningRateFactor({ warmupSteps: 2, decay: 'linear' }, step, 6)), [0.5, 1, 1, 0.75, 0.5, 0.25]);
  // Cosine over 4 steps: 0.5 (1 + cos(pi k / 4)) for k = 0..3.
  const cosine = [0, 1, 2, 3].map((step) => learningRateFactor({ warmupSteps: 0, decay: 'cosine' }, step, 4));
  [1, 0.8535533905932737, 0.5, 0.14644660940672627].forEach((expected, k) => assert.ok(Math.abs(cosine[k] - expected) < 1e-15));
});
