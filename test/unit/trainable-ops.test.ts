// The wasm gradient workarounds against stock tfjs ops on the cpu backend (within 1e-5), and
// on wasm against cpu. Also shows the gaps they work around are real.

import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import type { Tensor } from '@tensorflow/tfjs';
import { initBackend, tf } from '../../src/trainer/backend/tensorflow';
import { embeddingLookup, plainMatMul, swapLastAxes } from '../../src/trainer/backend/trainable-ops';

const TOLERANCE = 1e-5;

before(async () => {
  await initBackend('wasm');
  // The cpu backend ships in @tensorflow/tfjs; make it available beside wasm.
  assert.ok(tf.findBackend('cpu') !== null || tf.engine().registryFactory.cpu !== undefined);
});

function onBackend<T>(name: string, compute: () => T): T {
  tf.setBackend(name);
  try {
    return compute();
  } finally {
    tf.setBackend('wasm');
  }
}

function assertClose(actual: Tensor, expected: Tensor, label: string): void {
  assert.deepEqual(actual.shape, expected.shape, label);
  const a = actual.dataSync();
  const b = expected.dataSync();
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(b[i])));
  assert.ok(max <= TOLERANCE, `${label}: max difference ${max}`);
}

/** Gradients of a weighted sum of `op`'s output with respect to its float inputs. */
function gradients(op: (...inputs: Tensor[]) => Tensor, inputs: Tensor[], weights: Tensor): Tensor[] {
  return tf.grads((...xs: Tensor[]) => tf.sum(tf.mul(op(...xs), weights)))(inputs);
}

const table = () => tf.tensor2d([[1, 2, 3], [4, 5, 6], [7, 8, 9], [10, 11, 12], [13, 14, 15]]);
const duplicateIds = () => tf.tensor1d([3, 1, 3, 0, 3], 'int32');
const lookupWeights = () => tf.tensor2d([[1, -1, 2], [0.5, 0.5, 0.5], [3, 0, -3], [2, 2, 2], [-1, 4, 1]]);

test('embeddingLookup: same values and gradient as tf.gather on cpu, duplicates summed', () => {
  onBackend('cpu', () => {
    const ids = duplicateIds();
    assertClose(embeddingLookup(table(), ids), tf.gather(table(), ids), 'values');
    const [custom] = gradients((t) => embeddingLookup(t as never, ids), [table()], lookupWeights());
    const [stock] = gradients((t) => tf.gather(t, ids), [table()], lookupWeights());
    assertClose(custom, stock, 'gradient');
    // Row 3 was picked three times: its gradient is the sum of those rows' weights, by hand.
    assert.deepEqual(Array.from(custom.slice([3, 0], [1, 3]).dataSync()), [1 + 3 - 1, -1 + 0 + 4, 2 - 3 + 1]);
  });
});

test("on wasm, tf.gather's gradient is missing and embeddingLookup's matches cpu", () => {
  const ids = duplicateIds();
  assert.throws(() => gradients((t) => tf.gather(t, ids), [table()], lookupWeights()), /UnsortedSegmentSum/);
  const [wasm] = gradients((t) => embeddingLookup(t as never, ids), [table()], lookupWeights());
  const [cpu] = onBackend('cpu', () => gradients((t) => tf.gather(t, ids), [table()], lookupWeights()));
  assertClose(wasm, cpu, 'wasm vs cpu');
});

function seeded(shape: number[], seed: number): Tensor {
  return tf.randomNormal(shape, 0, 1, 'float32', seed);
}

const MATMUL_CASES: { label: string; a: number[]; b: number[] }[] = [
  { label: '2-D', a: [5, 7], b: [7, 3] },
  { label: 'batched 4-D (attention)', a: [2, 3, 4, 6], b: [2, 3, 6, 4] },
];

for (const { label, a, b } of MATMUL_CASES) {
  test(`plainMatMul ${label}: same values and gradients as tf.matMul on cpu and on wasm`, () => {
    const left = seeded(a, 1);
    const right = seeded(b, 2);
    const weights = seeded([...a.slice(0, -1), b.at(-1)!], 3);
    const [stockA, stockB] = onBackend('cpu', () => gradients((x, y) => tf.matMul(x, y), [left, right], weights));
    for (const backend of ['cpu', 'wasm']) {
      onBackend(backend, () => {
        assertClose(plainMatMul(left, right), onBackend('cpu', () => tf.matMul(left, right)), `${backend} values`);
        const [customA, customB] = gradients((x, y) => plainMatMul(x, y), [left, right], weights);
        assertClose(customA, stockA, `${backend} d/da`);
        assertClose(customB, stockB, `${backend} d/db`);
      });
    }
  });
}

test('plainMatMul with an explicitly transposed weight equals matMul(transposeB)', () => {
  const x = seeded([4, 6], 4);
  const w = seeded([5, 6], 5);
  const weights = seeded([4, 5], 6);
  const [stockX, stockW] = onBackend('cpu', () => gradients((p, q) => tf.matMul(p, q, false, true), [x, w], weights));
  const [customX, customW] = gradients((p, q) => plainMatMul(p, swapLastAxes(q)), [x, w], weights);
  assertClose(customX, stockX, 'd/dx');
  assertClose(customW, stockW, 'd/dw');
});

test('plainMatMul refuses unequal batch axes instead of broadcasting silently', () => {
  assert.throws(() => plainMatMul(tf.zeros([2, 3, 4]), tf.zeros([1, 4, 5])), /equal batch axes/);
});
