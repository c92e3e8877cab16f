import assert from 'node:assert/strict';
import { test } from 'node:test';
import { downsampleMinMax, exponentialMovingAverage } from '../../webview/src/run/downsample';

const range = (count: number) => Array.from({ length: count }, (_, index) => index);

test('downsampleMinMax keeps the ends and each bucket\'s min and max in x order', () => {
  // 18 points, at most 10: first + last + 4 buckets of the 16 interior points (4 each), 2 points a bucket.
  //   bucket 1, x 1..4:   3 7 1 4 -> max 7 at x2, min 1 at x3        -> x2, x3
  //   bucket 2, x 5..8:   2 2 9 6 -> min 2 at x5 (first), max 9 at x7 -> x5, x7
  //   bucket 3, x 9..12:  8 0 5 5 -> max 8 at x9, min 0 at x10       -> x9, x10
  //   bucket 4, x 13..16: 4 4 4 4 -> min and max are the same point   -> x13
  const ys = [5, 3, 7, 1, 4, 2, 2, 9, 6, 8, 0, 5, 5, 4, 4, 4, 4, 6];
  const shown = downsampleMinMax(range(18), ys, 10);
  assert.deepEqual(shown.xs, [0, 2, 3, 5, 7, 9, 10, 13, 17]);
  assert.deepEqual(shown.ys, [5, 7, 1, 2, 9, 8, 0, 4, 6]);
});

test('downsampleMinMax stays within the limit, keeps first and last, and keeps spikes', () => {
  const count = 10_000;
  const ys = range(count).map((index) => 1 + Math.sin(index / 50) * 0.1);
  ys[4321] = 100;
  ys[7777] = -50;
  for (const maxPoints of [2, 3, 4, 101, 500, 2000]) {
    const shown = downsampleMinMax(range(count), ys, maxPoints);
    assert.ok(shown.xs.length <= maxPoints, `${shown.xs.length} points for a limit of ${maxPoints}`);
    assert.equal(shown.xs[0], 0);
    assert.equal(shown.xs.at(-1), count - 1);
    assert.ok(shown.xs.every((x, index) => index === 0 || x > shown.xs[index - 1]), 'x stays in order');
    if (maxPoints >= 4) {
      assert.ok(shown.xs.includes(4321), `spike kept at limit ${maxPoints}`);
      assert.ok(shown.xs.includes(7777), `dip kept at limit ${maxPoints}`);
    }
  }
});

test('downsampleMinMax changes nothing under the limit, but skips missing values', () => {
  assert.deepEqual(downsampleMinMax([10, 20, 30, 40, 50], [3, 1, 4, 1, 5], 10), { xs: [10, 20, 30, 40, 50], ys: [3, 1, 4, 1, 5] });
  assert.deepEqual(downsampleMinMax([10, 20, 30, 40, 50], [3, 1, 4, 1, 5], 5), { xs: [10, 20, 30, 40, 50], ys: [3, 1, 4, 1, 5] });
  const withGaps: number[] = [1, NaN, 3];
  withGaps.length = 5; // two holes: undefined
  withGaps[4] = 7;
  assert.deepEqual(downsampleMinMax([0, 1, 2, 3, 4], withGaps, 10), { xs: [0, 2, 4], ys: [1, 3, 7] });
  assert.deepEqual(downsampleMinMax([], [], 10), { xs: [], ys: [] });
});

test('exponentialMovingAverage is TensorBoard\'s debiased EMA', () => {
  // weight 0.5, values 1, 3, NaN, 5; the average starts at 0 and is divided by 1 - 0.5^n (n values so far):
  //   1:   avg = 0.5*0    + 0.5*1 = 0.5    -> 0.5  / (1 - 0.5)   = 1
  //   3:   avg = 0.5*0.5  + 0.5*3 = 1.75   -> 1.75 / (1 - 0.25)  = 2.3333...
  //   NaN: passed through; the average stays 1.75 and n stays 2
  //   5:   avg = 0.5*1.75 + 0.5*5 = 3.375  -> 3.375 / (1 - 0.125) = 3.857142...
  const smoothed = exponentialMovingAverage([1, 3, NaN, 5], 0.5);
  const expected = [1, 1.75 / 0.75, NaN, 3.375 / 0.875];
  assert.equal(smoothed.length, 4);
  assert.ok(Number.isNaN(smoothed[2]));
  for (const index of [0, 1, 3]) assert.ok(Math.abs(smoothed[index] - expected[index]) < 1e-12, `value ${index}: ${smoothed[index]}`);
});

test('exponentialMovingAverage: weight 0 is the raw curve, a constant stays constant, weight 1 is refused', () => {
  assert.deepEqual(exponentialMovingAverage([4, 1, 9], 0), [4, 1, 9]);
  // Debiasing is what keeps the start of a constant curve from rising from 0.
  for (const value of exponentialMovingAverage([2, 2, 2, 2], 0.9)) assert.ok(Math.abs(value - 2) < 1e-12);
  assert.deepEqual(exponentialMovingAverage([], 0.8), []);
  assert.throws(() => exponentialMovingAverage([1], 1), RangeError);
  assert.throws(() => exponentialMovingAverage([1], -0.1), RangeError);
});
