import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classificationMetrics } from '../../src/trainer/train/metrics';

test('accuracy and macro-F1 of a hand-worked confusion', () => {
  // actual:    0 0 0 1 1 2     predicted: 0 0 1 1 2 2
  // class 0: TP 2, FP 0, FN 1 -> F1 = 4/5; class 1: TP 1, FP 1, FN 1 -> 1/2; class 2: TP 1, FP 1, FN 0 -> 2/3
  const metrics = classificationMetrics([0, 0, 1, 1, 2, 2], [0, 0, 0, 1, 1, 2], 3);
  assert.equal(metrics.accuracy, 4 / 6);
  assert.ok(Math.abs(metrics.macroF1 - (4 / 5 + 1 / 2 + 2 / 3) / 3) < 1e-15);
});

test('a class absent from truth and predictions is left out; a missed class counts as 0', () => {
  // Classes 0..3; 3 never occurs. Class 2 occurs but is never predicted: F1 0.
  const metrics = classificationMetrics([0, 1, 1], [0, 1, 2], 4);
  assert.ok(Math.abs(metrics.macroF1 - (1 + 2 / 3 + 0) / 3) < 1e-15);
  assert.throws(() => classificationMetrics([], [], 2), /some/);
});
