import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bfloat16BitsToFloat, floatToHalfBits, halfBitsToFloat } from '../../src/trainer/model/float16';

// Bit patterns worked out from IEEE 754 binary16: sign | 5-bit exponent (bias 15) | 10-bit fraction.
const HALF_CASES: [number, number][] = [
  [0x3c00, 1],
  [0xc000, -2],
  [0x3800, 0.5],
  [0x3555, 0.333251953125], // 1.0101010101b * 2^-2
  [0x7bff, 65504], // largest finite
  [0x0400, 2 ** -14], // smallest normal
  [0x0001, 2 ** -24], // smallest subnormal
  [0x03ff, 1023 * 2 ** -24], // largest subnormal
  [0x0000, 0],
  [0x7c00, Infinity],
  [0xfc00, -Infinity],
];

test('F16 bit patterns decode to their values', () => {
  for (const [bits, value] of HALF_CASES) assert.equal(halfBitsToFloat(bits), value, `0x${bits.toString(16)}`);
  assert.ok(Number.isNaN(halfBitsToFloat(0x7e00)));
  assert.ok(Object.is(halfBitsToFloat(0x8000), -0));
});

test('floats encode to the nearest F16, ties to even', () => {
  for (const [bits, value] of HALF_CASES) assert.equal(floatToHalfBits(value), bits, String(value));
  // 1 + 2^-11 lies halfway between 1 (even fraction) and 1 + 2^-10: rounds to 1.
  assert.equal(floatToHalfBits(1 + 2 ** -11), 0x3c00);
  // 1 + 3 * 2^-11 lies halfway between 1 + 2^-10 (odd) and 1 + 2^-9 (even): rounds up.
  assert.equal(floatToHalfBits(1 + 3 * 2 ** -11), 0x3c02);
  assert.equal(floatToHalfBits(65520), 0x7c00, 'rounds past the largest finite to infinity');
  assert.equal(floatToHalfBits(2 ** -26), 0x0000, 'below half the smallest subnormal');
  assert.equal(floatToHalfBits(3 * 2 ** -26), 0x0001, 'above half the smallest subnormal');
  assert.equal(floatToHalfBits(Number.NaN) & 0x7c00, 0x7c00);
});

test('BF16 is the upper half of a float32', () => {
  assert.equal(bfloat16BitsToFloat(0x3f80), 1);
  assert.equal(bfloat16BitsToFloat(0xc040), -3);
  assert.equal(bfloat16BitsToFloat(0x3e80), 0.25);
});
