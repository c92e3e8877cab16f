// AdamW against a float64 reference written straight from the formula of torch.optim.AdamW
// (below, with plain JS numbers, arranged as the paper writes it rather than as adamw.ts
// computes it). The engine runs in float32, so values agree to 1e-6 relative; everything that
// should not change a weight (lr 0, a checkpoint round trip, a reset) is checked bit for bit.

import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import type { Tensor, Variable } from '@tensorflow/tfjs';
import { initBackend, tf } from '../../src/trainer/backend/tensorflow';
import { ThawError } from '../../src/core/errors';
import { parseSafetensors, serializeSafetensors } from '../../src/trainer/model/safetensors';
import { AdamW, NonFiniteMomentError, type ParameterUpdate } from '../../src/trainer/optim/adamw';
import { parseOptimizerState, serializeOptimizerState } from '../../src/trainer/optim/optimizer-state-file';

const RELATIVE_TOLERANCE = 1e-6;

before(async () => {
  await initBackend();
});

interface ReferenceState {
  readonly p: number;
  readonly m: number;
  readonly v: number;
  readonly t: number;
}

/** One AdamW step of a single float64 number, with PyTorch's default betas and epsilon. */
function referenceStep(state: ReferenceState, g: number, lr: number, wd: number): ReferenceState {
  const [b1, b2, eps] = [0.9, 0.999, 1e-8];
  const t = state.t + 1;
  const m = b1 * state.m + (1 - b1) * g;
  const v = b2 * state.v + (1 - b2) * g * g;
  const mHat = m / (1 - b1 ** t);
  const vHat = v / (1 - b2 ** t);
  const p = state.p * (1 - lr * wd) - (lr * mHat) / (Math.sqrt(vHat) + eps);
  return { p, m, v, t };
}

function assertClose(actual: ArrayLike<number>, expected: readonly number[], label: string): void {
  assert.equal(actual.length, expected.length, label);
  for (let i = 0; i < expected.length; i++) {
    const error = Math.abs(actual[i] - expected[i]);
    assert.ok(error <= RELATIVE_TOLERANCE * Math.abs(expected[i]), `${label}[${i}]: ${actual[i]} vs reference ${expected[i]}`);
  }
}

function parameter(values: readonly number[]): Variable {
  return tf.tidy(() => tf.variable(tf.tensor1d([...values]), true));
}

/** The exact bits of a tensor's float32 values. */
function bitsOf(tensor: Tensor): Uint8Array {
  return new Uint8Array(new Float32Array(tensor.dataSync()).buffer);
}

/** Runs one step with freshly made gradients and disposes them again. */
function step(optimizer: AdamW, updates: readonly (Omit<ParameterUpdate, 'gradient'> & { readonly gradient: readonly number[] })[]): void {
  const gradients = updates.map((update) => tf.tensor1d([...update.gradient]));
  optimizer.applyUpdates(updates.map((update, index) => ({ ...update, gradient: gradients[index] })));
  tf.dispose(gradients);
}

test('first step worked by hand', () => {
  // p = 1, g = 0.5, lr = 0.1, wd = 0.01, t = 1:
  //   m = 0.1 * 0.5 = 0.05              mHat = 0.05 / (1 - 0.9) = 0.5
  //   v = 0.001 * 0.25 = 0.00025        vHat = 0.00025 / (1 - 0.999) = 0.25, sqrt = 0.5
  //   p = 1 * (1 - 0.1 * 0.01) - 0.1 * 0.5 / (0.5 + 1e-8) = 0.999 - 0.1 * (1 - 2e-8) = 0.899000002
  const handWorked = 0.899000002;
  assert.ok(Math.abs(referenceStep({ p: 1, m: 0, v: 0, t: 0 }, 0.5, 0.1, 0.01).p - handWorked) < 1e-15, 'the reference agrees with the hand calculation');
  const optimizer = new AdamW();
  const weight = parameter([1]);
  step(optimizer, [{ name: 'w', variable: weight, gradient: [0.5], learningRate: 0.1, weightDecay: 0.01 }]);
  assertClose(weight.dataSync(), [handWorked], 'p');
  const [state] = optimizer.exportState();
  assert.equal(state.step, 1);
  assertClose(state.firstMoment, [0.05], 'm');
  assertClose(state.secondMoment, [0.00025], 'v');
  optimizer.dispose();
  weight.dispose();
});

test('three steps of two parameters with their own lr and weight decay match the float64 reference', () => {
  const setups = [
    { name: 'encoder.w', initial: [1, -0.5, 2, 0.75], learningRate: 0.1, weightDecay: 0.01, gradients: [[0.5, -1e-3, 3, 0], [0.25, -2e-3, -1, 0], [0.4, 5e-4, 2, 0]] },
    { name: 'head.w', initial: [-1.5, 0.3, 4, -2], learningRate: 0.03, weightDecay: 0.5, gradients: [[-2, 0.1, 1e-4, 7], [-1, 0.2, 2e-4, 5], [-3, 0.05, 1e-4, 6]] },
  ];
  const optimizer = new AdamW();
  const variables = setups.map((setup) => parameter(setup.initial));
  const references = setups.map((setup) => setup.initial.map((p) => ({ p, m: 0, v: 0, t: 0 })));
  for (let t = 0; t < 3; t++) {
    step(optimizer, setups.map((setup, index) => ({ ...setup, variable: variables[index], gradient: setup.gradients[t] })));
    setups.forEach((setup, index) => {
      references[index] = references[index].map((state, i) => referenceStep(state, setup.gradients[t][i], setup.learningRate, setup.weightDecay));
      assertClose(variables[index].dataSync(), references[index].map((state) => state.p), `${setup.name} after step ${t + 1}`);
    });
  }
  for (const [index, state] of optimizer.exportState().entries()) {
    assert.equal(state.step, 3);
    assertClose(state.firstMoment, references[index].map((reference) => reference.m), `${state.name} m`);
    assertClose(state.secondMoment, references[index].map((reference) => reference.v), `${state.name} v`);
  }
  optimizer.dispose();
  tf.dispose(variables);
});

test('a parameter first updated in a later phase starts its own step count at 1', () => {
  const optimizer = new AdamW();
  const [early, late] = [parameter([1]), parameter([2])];
  step(optimizer, [{ name: 'early', variable: early, gradient: [0.5], learningRate: 0.1, weightDecay: 0 }]);
  step(optimizer, [
    { name: 'early', variable: early, gradient: [0.5], learningRate: 0.1, weightDecay: 0 },
    { name: 'late', variable: late, gradient: [-0.2], learningRate: 0.1, weightDecay: 0.1 },
  ]);
  assert.deepEqual(optimizer.exportState().map((state) => [state.name, state.step]), [['early', 2], ['late', 1]]);
  assertClose(late.dataSync(), [referenceStep({ p: 2, m: 0, v: 0, t: 0 }, -0.2, 0.1, 0.1).p], 'late');
  optimizer.dispose();
  tf.dispose([early, late]);
});

test('learning rate 0 leaves the weight bit-identical, whatever the weight decay', () => {
  const optimizer = new AdamW();
  const weight = parameter([1, -0.3, 1e-20, 3.4e38, 0, 123.456]);
  const original = bitsOf(weight);
  for (let t = 0; t < 5; t++) step(optimizer, [{ name: 'w', variable: weight, gradient: [0.5, -2, 1e-3, 7, 0, -1e-7], learningRate: 0, weightDecay: 0.3 }]);
  assert.deepEqual(bitsOf(weight), original);
  assert.equal(optimizer.exportState()[0].step, 5, 'the moments still advance, as in PyTorch');
  optimizer.dispose();
  weight.dispose();
});

test('after resetState the next update is a first step again', () => {
  const optimizer = new AdamW();
  const [weight, other] = [parameter([1, -2]), parameter([3])];
  for (let t = 0; t < 2; t++) {
    step(optimizer, [
      { name: 'w', variable: weight, gradient: [0.5, 0.1], learningRate: 0.1, weightDecay: 0.01 },
      { name: 'other', variable: other, gradient: [1], learningRate: 0.1, weightDecay: 0 },
    ]);
  }
  optimizer.resetState(['w', 'not-a-parameter']);
  assert.deepEqual(optimizer.exportState().map((state) => [state.name, state.step]), [['other', 2]]);
  const fresh = new AdamW();
  const twin = tf.tidy(() => tf.variable(weight.clone(), true));
  const update = { gradient: [-0.4, 0.2], learningRate: 0.1, weightDecay: 0.01 };
  step(optimizer, [{ name: 'w', variable: weight, ...update }]);
  step(fresh, [{ name: 'w', variable: twin, ...update }]);
  assert.deepEqual(bitsOf(weight), bitsOf(twin));
  assert.deepEqual(optimizer.exportState().find((state) => state.name === 'w'), fresh.exportState()[0]);
  tf.dispose([weight, other, twin]);
  optimizer.dispose();
  fresh.dispose();
});

test('export/import and a safetensors round trip continue bit-identically to an uninterrupted run', () => {
  const options = { beta1: 0.8, beta2: 0.99, epsilon: 1e-6 };
  const initial = { a: [0.5, -1.25, 2], b: [3, 0.001] };
  const gradients = [{ a: [0.3, -0.7, 1e-3], b: [2, -5] }, { a: [0.1, 0.2, -0.3], b: [1, 1] }, { a: [-0.2, 0.4, 0.6], b: [-3, 0.5] }];
  const run = (optimizer: AdamW, weights: Record<'a' | 'b', Variable>, t: number) =>
    step(optimizer, [
      { name: 'a', variable: weights.a, gradient: gradients[t].a, learningRate: 0.05, weightDecay: 0.1 },
      { name: 'b', variable: weights.b, gradient: gradients[t].b, learningRate: 0.01, weightDecay: 0 },
    ]);
  const uninterrupted = new AdamW(options);
  const reference = { a: parameter(initial.a), b: parameter(initial.b) };
  [0, 1, 2].forEach((t) => run(uninterrupted, reference, t));

  const transports: Record<string, (optimizer: AdamW) => AdamW> = {
    'exportState/importState': (optimizer) => {
      const resumed = new AdamW(options);
      resumed.importState(optimizer.exportState());
      return resumed;
    },
    'serializeOptimizerState/parseOptimizerState': (optimizer) => {
      const parsed = parseOptimizerState(serializeOptimizerState(optimizer.exportState(), optimizer.options), 'optimizer.safetensors');
      assert.deepEqual(parsed.options, options);
      const resumed = new AdamW(parsed.options);
      resumed.importState(parsed.entries);
      return resumed;
    },
  };
  for (const [transport, resume] of Object.entries(transports)) {
    const interrupted = new AdamW(options);
    const weights = { a: parameter(initial.a), b: parameter(initial.b) };
    [0, 1].forEach((t) => run(interrupted, weights, t));
    const resumed = resume(interrupted);
    interrupted.dispose();
    run(resumed, weights, 2);
    assert.deepEqual(bitsOf(weights.a), bitsOf(reference.a), transport);
    assert.deepEqual(bitsOf(weights.b), bitsOf(reference.b), transport);
    assert.deepEqual(resumed.exportState(), uninterrupted.exportState(), transport);
    resumed.dispose();
    tf.dispose(Object.values(weights));
  }
  uninterrupted.dispose();
  tf.dispose(Object.values(reference));
});

test('the state file uses PyTorch tensor names and JSON metadata', () => {
  const entries = [{ name: 'encoder.layer.0.attention.self.query.weight', step: 7, firstMoment: new Float32Array([1, 2]), secondMoment: new Float32Array([3, 4]), shape: [1, 2] }];
  const bytes = serializeOptimizerState(entries, { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 });
  const { tensors, metadata } = parseSafetensors(bytes, 'x');
  assert.deepEqual([...tensors.keys()], ['encoder.layer.0.attention.self.query.weight.exp_avg', 'encoder.layer.0.attention.self.query.weight.exp_avg_sq']);
  assert.deepEqual(JSON.parse(metadata.steps), { 'encoder.layer.0.attention.self.query.weight': 7 });
  assert.deepEqual(JSON.parse(metadata.hyperparameters), { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 });
  assert.deepEqual(parseOptimizerState(bytes, 'x').entries, entries);
});

test('a file that is not a complete AdamW state is one clear error naming it', () => {
  const expectError = (bytes: Uint8Array, pattern: RegExp) =>
    assert.throws(() => parseOptimizerState(bytes, 'optimizer.safetensors'), (error: unknown) => error instanceof ThawError && error.file === 'optimizer.safetensors' && pattern.test(error.reason));
  const moment = { dtype: 'F32', shape: [1], bytes: new Uint8Array(4) };
  const metadata = { optimizer: 'AdamW', steps: '{"w":1}', hyperparameters: '{"beta1":0.9,"beta2":0.999,"epsilon":1e-8}' };
  expectError(serializeSafetensors([{ name: 'w', ...moment }]), /not an AdamW optimizer state/);
  expectError(serializeSafetensors([{ name: 'w.exp_avg', ...moment }], metadata), /tensor "w.exp_avg_sq" is missing/);
  expectError(serializeSafetensors([{ name: 'w.exp_avg', ...moment }, { name: 'w.exp_avg_sq', ...moment }, { name: 'v.exp_avg', ...moment }], metadata), /without a step count.*v.exp_avg/);
  expectError(serializeSafetensors([], { ...metadata, steps: '{"w":0}' }), /step of w is 0/);
  expectError(serializeSafetensors([], { ...metadata, hyperparameters: '{"beta1":0.9}' }), /lacks beta2, epsilon/);
});

test('bad updates are rejected before any weight changes', () => {
  const optimizer = new AdamW();
  const weight = parameter([1, 2]);
  const original = bitsOf(weight);
  const gradient = tf.tensor1d([1, 1]);
  const wrongShape = tf.tensor1d([1]);
  const good = { name: 'w', variable: weight, gradient, learningRate: 0.1, weightDecay: 0 };
  assert.throws(() => optimizer.applyUpdates([good, { ...good, name: 'x', gradient: wrongShape }]), /gradient of x has shape \[1\], the weight has \[2\]/);
  assert.throws(() => optimizer.applyUpdates([good, good]), /listed twice/);
  assert.throws(() => optimizer.applyUpdates([{ ...good, learningRate: NaN }]), /learning rate of w must be/);
  assert.deepEqual(bitsOf(weight), original);
  assert.deepEqual(optimizer.exportState(), []);
  tf.dispose([weight, gradient, wrongShape]);
  optimizer.dispose();
});

test('no tensors leak: moments are made once, temporaries are freed, dispose frees the moments', () => {
  const weights = [parameter([1, 2, 3]), parameter([4])];
  const gradients = [tf.tensor1d([0.1, -0.2, 0.3]), tf.tensor1d([1])];
  const updates = weights.map((variable, index) => ({ name: `p${index}`, variable, gradient: gradients[index], learningRate: 0.01, weightDecay: 0.01 }));
  const baseline = tf.memory().numTensors;
  const optimizer = new AdamW();
  optimizer.applyUpdates(updates);
  const withMoments = tf.memory().numTensors;
  assert.equal(withMoments, baseline + 2 * weights.length, 'two moments per parameter');
  for (let t = 0; t < 4; t++) optimizer.applyUpdates(updates);
  assert.equal(tf.memory().numTensors, withMoments);
  optimizer.importState(optimizer.exportState());
  assert.equal(tf.memory().numTensors, withMoments, 'importState frees the state it replaces');
  optimizer.resetState(['p0']);
  assert.equal(tf.memory().numTensors, withMoments - 2);
  optimizer.dispose();
  assert.equal(tf.memory().numTensors, baseline);
  tf.dispose([...weights, ...gradients]);
});

test('an update that would make a moment non-finite changes nothing and names the parameter', () => {
  const optimizer = new AdamW();
  const weights = [parameter([1, 2]), parameter([3])];
  const gradients = [tf.tensor1d([0.5, 0.5]), tf.tensor1d([0.5])];
  const updates = weights.map((variable, index) => ({ name: `p${index}`, variable, gradient: gradients[index], learningRate: 0.01, weightDecay: 0 }));
  optimizer.applyUpdates(updates);
  const state = optimizer.exportState();
  const bits = weights.map(bitsOf);
  const baseline = tf.memory().numTensors;
  const infinite = tf.tensor1d([Infinity]);
  assert.throws(
    () => optimizer.applyUpdates([updates[0], { ...updates[1], gradient: infinite }]),
    (error: unknown) => error instanceof NonFiniteMomentError && error.parameters.join() === 'p1',
  );
  assert.deepEqual(weights.map(bitsOf), bits, 'no weight moved, not even the finite one');
  assert.deepEqual(optimizer.exportState(), state, 'moments and step counts unchanged');
  assert.equal(tf.memory().numTensors, baseline + 1, 'only the test gradient is new');
  tf.dispose([...weights, ...gradients, infinite]);
  optimizer.dispose();
});
