// Numerical comparisons for the parity tests.

import assert from 'node:assert/strict';

export function maxAbsDifference(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  assert.equal(actual.length, expected.length);
  let max = 0;
  for (let i = 0; i < actual.length; i++) max = Math.max(max, Math.abs(actual[i] - expected[i]));
  return max;
}

/** Cosine similarity of two vectors (rows of a row-major matrix, with `offset` and `length`). */
export function cosine(a: ArrayLike<number>, b: ArrayLike<number>, offset = 0, length = a.length): number {
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let i = offset; i < offset + length; i++) {
    dot += a[i] * b[i];
    normA += a[i] * a[i];
    normB += b[i] * b[i];
  }
  return dot / Math.sqrt(normA * normB);
}
