// The WebAssembly SIMD kernels against scalar JavaScript written from their formulas, on lengths
// that cross the 16 Ki-value chunks and end between the 4 lanes, so the chunking and the zero
// padding are tested too.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SeededNormal } from '../../src/trainer/init/seeded-random';
import { ArrayKernels, arrayKernels, type AdamWScalars } from '../../src/trainer/kernels/array-kernels';
import { dropoutMask } from '../../src/trainer/model/dropout-masks';

const LENGTHS = [1, 3, 4, 5, 16384, 16387, 40001];
const f = Math.fround;

function randomArray(random: SeededNormal, length: number, scale = 1): Float32Array {
  return Float32Array.from({ length }, () => random.next() * scale);
}

// dropout-masks.ts's generator as it was first written, one position at a time.
function fmix(word: number): number {
  let h = word;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
function stringHash(text: string, basis: number): number {
  let h = basis >>> 0;
  for (let index = 0; index < text.length; index++) h = Math.imul(h ^ text.charCodeAt(index), 0x01000193);
  return fmix(h >>> 0);
}
function scalarMask(text: string, size: number, rate: number): Float32Array {
  const first = stringHash(text, 0x243f6a88);
  const second = stringHash(text, 0x85a308d3);
  const mask = new Float32Array(size);
  for (let index = 0; index < size; index++) mask[index] = fmix((fmix((index ^ first) >>> 0) + second) >>> 0) >>> 8 >= rate * 16777216 ? 1 / (1 - rate) : 0;
  return mask;
}

test('dropout masks equal the scalar generator value for value', () => {
  const key = { seed: 42, step: 7, stream: 'a' };
  for (const rate of [0, 0.1, 0.5, 0.9]) {
    for (const size of LENGTHS) {
      const site = 'encoder.layer.0.attention.self.dropout';
      assert.deepEqual(dropoutMask(key, site, size, rate), scalarMask(`42:7:a:${site}`, size, rate), `rate ${rate}, ${size} values`);
    }
  }
});

test('the squared sum equals a float64 sum within 1e-12 relative', () => {
  const random = new SeededNormal('sums');
  for (const length of LENGTHS) {
    const values = randomArray(random, length, 3);
    const expected = values.reduce((sum, value) => sum + value * value, 0);
    const actual = arrayKernels().squaredSum(values);
    assert.ok(Math.abs(actual - expected) <= 1e-12 * expected, `${length} values: ${actual} vs ${expected}`);
  }
  assert.equal(arrayKernels().squaredSum(new Float32Array(0)), 0);
});

test('adamw equals torch.optim.AdamW written out in float32, one operation at a time', () => {
  const random = new SeededNormal('adamw');
  const s: AdamWScalars = { scale: f(0.37), b1: f(0.9), c1: f(0.1), b2: f(0.999), c2: f(1 - 0.999), decay: f(1 - 1e-3 * 0.01), correction: f(Math.sqrt(1 - 0.999 ** 3)), eps: f(1e-8), stepSize: f(1e-3 / (1 - 0.9 ** 3)) };
  for (const length of LENGTHS) {
    const [weight, gradient, first] = [randomArray(random, length), randomArray(random, length), randomArray(random, length, 0.1)];
    const second = randomArray(random, length, 0.1).map(Math.abs);
    const expected = { weight: new Float32Array(weight), first: new Float32Array(first), second: new Float32Array(second) };
    let [largestFirst, largestSecond] = [0, 0];
    for (let i = 0; i < length; i++) {
      const g = f(gradient[i] * s.scale);
      const m = f(f(expected.first[i] * s.b1) + f(g * s.c1));
      const v = f(f(expected.second[i] * s.b2) + f(f(g * g) * s.c2));
      expected.first[i] = m;
      expected.second[i] = v;
      expected.weight[i] = f(f(expected.weight[i] * s.decay) - f(f(m / f(f(f(Math.sqrt(v)) / s.correction) + s.eps)) * s.stepSize));
      largestFirst = Math.max(largestFirst, Math.abs(m));
      largestSecond = Math.max(largestSecond, v);
    }
    const largest = arrayKernels().adamw(weight, gradient, first, second, s);
    assert.deepEqual({ weight, first, second }, expected, `${length} values`);
    assert.deepEqual(largest, { largestFirst, largestSecond }, `${length} values`);
  }
});

test('the finiteness check finds an overflow or a NaN anywhere, the last lane of the last chunk too', () => {
  const s = { scale: 1, b1: f(0.9), c1: f(0.1), b2: f(0.999), c2: f(1 - 0.999) };
  const length = 40001;
  const gradient = new Float32Array(length).fill(1);
  assert.equal(arrayKernels().momentsFinite(gradient, undefined, undefined, s), true);
  for (const [index, value] of [[0, 3e38], [length - 1, 3e38], [20000, Number.NaN], [length - 1, Number.POSITIVE_INFINITY]]) {
    const bad = new Float32Array(gradient);
    bad[index] = value;
    assert.equal(arrayKernels().momentsFinite(bad, undefined, undefined, s), false, `${value} at ${index}`);
  }
  // A second moment already near the top overflows with an ordinary gradient.
  const second = new Float32Array(length);
  second[length - 1] = 3.4e38;
  assert.equal(arrayKernels().momentsFinite(gradient, new Float32Array(length), second, { ...s, b2: 1.5 }), false);
});

test('a missing kernel file is one clear error that says how to build it', () => {
  assert.throws(() => new ArrayKernels('/nonexistent/array-kernels.wasm'), /array-kernels\.wasm is missing: run "npm run build"/);
});
