// The Float32Array AdamW (ONNX Runtime engine) against the tfjs AdamW on the same gradients,
// through several steps and each other's state files: bit for bit, since both do the same float32
// operations in the same order; and the array clipping and finite checks against their tfjs
// counterparts.

import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { initBackend, tf } from '../../src/trainer/backend/tensorflow';
import { AdamW, NonFiniteMomentError } from '../../src/trainer/optim/adamw';
import { ArrayAdamW } from '../../src/trainer/optim/array-adamw';
import { parseOptimizerState, serializeOptimizerState } from '../../src/trainer/optim/optimizer-state-file';
import { clipCoefficient, nonFiniteGroupsOf, squaredGroupNorms } from '../../src/trainer/train/array-gradients';
import { clipByGlobalNorm } from '../../src/trainer/train/gradient-clipping';
import { SeededNormal } from '../../src/trainer/init/seeded-random';

before(async () => {
  await initBackend();
});

const SHAPES = new Map<string, readonly number[]>([
  ['layer.weight', [4, 3]],
  ['layer.bias', [4]],
  // More than two of the kernel's 16 Ki-value chunks, and not a multiple of its 4 lanes.
  ['embeddings.weight', [32773]],
]);
const RATES = new Map([
  ['layer.weight', { learningRate: 1e-2, weightDecay: 0.01 }],
  ['layer.bias', { learningRate: 5e-3, weightDecay: 0 }],
  ['embeddings.weight', { learningRate: 2e-3, weightDecay: 0.01 }],
]);

function assertRelative(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number, label: string): void {
  for (let i = 0; i < expected.length; i++) {
    const error = Math.abs(actual[i] - expected[i]);
    assert.ok(error <= tolerance * Math.max(Math.abs(expected[i]), 1e-30), `${label}[${i}]: ${actual[i]} vs ${expected[i]}`);
  }
}

function gradientsOf(random: SeededNormal, step: number): Map<string, Float32Array> {
  return new Map([...SHAPES].map(([name, shape]) => [name, Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => random.next() * (step + 1))]));
}

/** Both optimizers from the same start; `switchAt`: hand the state over through a state file there. */
function runBoth(steps: number, switchAt?: number): void {
  const random = new SeededNormal(5);
  const initial = new Map([...SHAPES].map(([name, shape]) => [name, Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => random.next())]));
  const variables = new Map([...initial].map(([name, values]) => [name, tf.variable(tf.tensor(values, [...SHAPES.get(name)!]), true)]));
  const arrays = new Map([...initial].map(([name, values]) => [name, new Float32Array(values)]));
  let tfjs = new AdamW();
  let plain = new ArrayAdamW();
  try {
    for (let step = 0; step < steps; step++) {
      if (step === switchAt) {
        // Each resumes the other's file: tfjs from the array optimizer's, and the other way.
        const fromTfjs = parseOptimizerState(serializeOptimizerState(tfjs.exportState(), tfjs.options), 'tfjs.safetensors');
        const fromArrays = parseOptimizerState(serializeOptimizerState(plain.exportState(), plain.options), 'arrays.safetensors');
        assert.deepEqual(fromArrays.entries.map((entry) => entry.shape), fromTfjs.entries.map((entry) => entry.shape));
        tfjs.dispose();
        tfjs = new AdamW(fromArrays.options);
        tfjs.importState(fromArrays.entries);
        plain = new ArrayAdamW(fromTfjs.options);
        plain.importState(fromTfjs.entries);
      }
      const gradients = gradientsOf(random, step);
      const tensors = [...gradients].map(([name, values]) => tf.tensor(values, [...SHAPES.get(name)!]));
      tfjs.applyUpdates([...gradients.keys()].map((name, index) => ({ name, variable: variables.get(name)!, gradient: tensors[index], ...RATES.get(name)! })));
      tf.dispose(tensors);
      plain.applyUpdates([...gradients].map(([name, gradient]) => ({ name, weight: arrays.get(name)!, gradient, ...RATES.get(name)! })), SHAPES);
      for (const [name, variable] of variables) assertRelative(arrays.get(name)!, variable.dataSync(), 0, `step ${step + 1} ${name}`);
    }
    const a = tfjs.exportState();
    const b = plain.exportState();
    for (const [index, entry] of a.entries()) {
      assert.equal(b[index].step, entry.step);
      assertRelative(b[index].firstMoment, entry.firstMoment, 0, `${entry.name}.exp_avg`);
      assertRelative(b[index].secondMoment, entry.secondMoment, 0, `${entry.name}.exp_avg_sq`);
    }
  } finally {
    tfjs.dispose();
    tf.dispose([...variables.values()]);
  }
}

test('over six steps the array AdamW equals the tfjs AdamW bit for bit', () => {
  runBoth(6);
});

test('each resumes the other\'s optimizer state file and they stay equal bit for bit', () => {
  runBoth(6, 3);
});

test('a moment that would not be finite changes nothing and names the parameter', () => {
  const optimizer = new ArrayAdamW();
  const weight = Float32Array.of(1, 2);
  assert.throws(
    () => optimizer.applyUpdates([{ name: 'w', weight, gradient: Float32Array.of(1, 3e38), learningRate: 1e-3, weightDecay: 0 }], new Map()),
    (error: unknown) => error instanceof NonFiniteMomentError && error.parameters.join() === 'w',
  );
  assert.deepEqual([...weight], [1, 2]);
  assert.deepEqual(optimizer.exportState(), []);
});

test('array clipping and the non-finite check agree with the tfjs ones', () => {
  const random = new SeededNormal(9);
  // The small parameters only: tfjs sums the squares in float32, 1e-6 off over 32 K values.
  const gradients = new Map([...gradientsOf(random, 3)].filter(([name]) => name.startsWith('layer.')));
  const tensors = Object.fromEntries([...gradients].map(([name, values]) => [name, tf.tensor(values)]));
  const clipped = clipByGlobalNorm(tensors, 1);
  // As the ORT engine clips: one coefficient from the groups' squared norms, applied in float32.
  const norms = squaredGroupNorms(gradients, () => 'layer.0');
  const coefficient = clipCoefficient([...norms.values()].reduce((sum, norm) => sum + norm, 0), 1);
  for (const [name, values] of gradients) assertRelative(values.map((value) => Math.fround(value * coefficient)), clipped[name].dataSync(), 1e-6, name);
  tf.dispose([...Object.values(tensors), ...Object.values(clipped)]);
  const groupOf = (name: string) => (name.startsWith('a') ? 'layer.0' : 'layer.1');
  assert.deepEqual(nonFiniteGroupsOf(squaredGroupNorms(new Map([['a', Float32Array.of(1, Number.NaN)], ['b', Float32Array.of(1)]]), groupOf)), ['layer.0']);
  // Finite values whose squared norm overflows float32, as the tfjs check's sums would.
  assert.deepEqual(nonFiniteGroupsOf(squaredGroupNorms(new Map([['a', Float32Array.of(1)], ['b', Float32Array.of(2e19)]]), groupOf)), ['layer.1']);
});

test('gradientScale gives bit for bit what a gradient clipped beforehand gives', () => {
  const random = new SeededNormal(11);
  const gradient = Float32Array.from({ length: 64 }, () => random.next());
  const start = Float32Array.from({ length: 64 }, () => random.next());
  const coefficient = Math.fround(0.37);
  const scaled = new ArrayAdamW();
  const clipped = new ArrayAdamW();
  const a = new Float32Array(start);
  const b = new Float32Array(start);
  for (let step = 0; step < 3; step++) {
    scaled.applyUpdates([{ name: 'w', weight: a, gradient, gradientScale: coefficient, learningRate: 1e-2, weightDecay: 0.01 }], new Map());
    clipped.applyUpdates([{ name: 'w', weight: b, gradient: gradient.map((value) => Math.fround(value * coefficient)), learningRate: 1e-2, weightDecay: 0.01 }], new Map());
  }
  assert.deepEqual(a, b);
});

test('a gradient bound skips no check that matters: same updates as without it, and an overflow is still refused', () => {
  const random = new SeededNormal('bound');
  const bounded = new ArrayAdamW();
  const exact = new ArrayAdamW();
  const weights = { bounded: Float32Array.from({ length: 12 }, () => random.next()), exact: new Float32Array(12) };
  weights.exact.set(weights.bounded);
  for (let step = 0; step < 4; step++) {
    const gradient = Float32Array.from({ length: 12 }, () => random.next());
    const norm = Math.sqrt(gradient.reduce((sum, value) => sum + value * value, 0));
    bounded.applyUpdates([{ name: 'w', weight: weights.bounded, gradient, gradientBound: norm, learningRate: 1e-2, weightDecay: 0.01 }], new Map());
    exact.applyUpdates([{ name: 'w', weight: weights.exact, gradient, learningRate: 1e-2, weightDecay: 0.01 }], new Map());
  }
  assert.deepEqual([...weights.bounded], [...weights.exact]);
  // A bound near float32's overflow falls back to reading every element, which finds it.
  const before = [...weights.bounded];
  assert.throws(
    () => bounded.applyUpdates([{ name: 'w', weight: weights.bounded, gradient: Float32Array.of(...new Array<number>(11).fill(0), 3e38), gradientBound: 3e38, learningRate: 1e-3, weightDecay: 0 }], new Map()),
    (error: unknown) => error instanceof NonFiniteMomentError,
  );
  assert.deepEqual([...weights.bounded], before);
});
