// Welch's t-test and the Student t distribution against scipy 1.17.1:
//   scipy.stats.ttest_ind(x, y, equal_var=False) -> statistic, pvalue, df
//   2 * scipy.stats.t.sf(t, df)                  -> two-sided p
// The values below were printed by scipy and are stated here as published reference values.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { regularizedIncompleteBeta, spread, studentTTwoSidedP, welchTTest } from '../../src/core/sweeps/statistics';

const close = (actual: number, expected: number, tolerance: number, what: string) => assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual} vs ${expected}`);

const WELCH_CASES = [
  { x: [1, 2, 3, 4], y: [3, 4, 5, 6, 7], t: -2.6111648393354674, p: 0.03493878235996401, df: 6.980769230769231 },
  { x: [0.81, 0.79, 0.84], y: [0.72, 0.75, 0.7], t: 4.379978370530594, p: 0.01187510911723981, df: 4.0 },
  { x: [10.1, 9.8, 10.4, 10.0, 9.9, 10.3], y: [11.2, 10.1, 12.5, 9.7], t: -1.2472175934160887, p: 0.29732444698995786, df: 3.1368004777318315 },
  { x: [0.5, 0.52, 0.49, 0.55, 0.51], y: [0.5, 0.53, 0.47], t: 0.6948083337796512, p: 0.5311247454597476, df: 3.4478027149699844 },
];

test("Welch's t, Welch–Satterthwaite df and the two-sided p-value equal scipy's ttest_ind(equal_var=False)", () => {
  for (const { x, y, t, p, df } of WELCH_CASES) {
    const result = welchTTest(x, y);
    assert.ok(result !== null);
    close(result.t, t, 1e-12, 't');
    close(result.df, df, 1e-9, 'df');
    close(result.p, p, 1e-10, 'p');
  }
});

test("Student's t two-sided p-values equal scipy's 2 * t.sf(t, df), fractional df included", () => {
  close(studentTTwoSidedP(2.228, 10), 0.05001177181711132, 1e-12, 't=2.228 df=10'); // the t table's 5% critical value
  close(studentTTwoSidedP(1.0, 3.5), 0.3813372535634453, 1e-12, 't=1 df=3.5');
  close(studentTTwoSidedP(0.3, 40), 0.7657307167710191, 1e-12, 't=0.3 df=40');
  close(studentTTwoSidedP(0, 5), 1, 1e-15, 't=0');
});

test('the regularized incomplete beta function at closed forms: I_x(1, 1) = x, I_x(a, 1) = x^a, I_0.5(a, a) = 0.5', () => {
  close(regularizedIncompleteBeta(0.3, 1, 1), 0.3, 1e-14, 'I_0.3(1,1)');
  close(regularizedIncompleteBeta(0.7, 3, 1), 0.7 ** 3, 1e-14, 'I_0.7(3,1)');
  close(regularizedIncompleteBeta(0.5, 4.5, 4.5), 0.5, 1e-14, 'I_0.5(4.5,4.5)');
});

test('spread: mean, sample std (n - 1), min, max; no std for one value; no p-value without spread', () => {
  assert.deepEqual(spread([1, 2, 3]), { mean: 2, std: 1, min: 1, max: 3 });
  const s = spread([0.5, 0.7, 0.9, 0.6]);
  close(s.std!, 0.17078251276599332, 1e-15, 'std'); // numpy.std(ddof=1)
  assert.equal(spread([4]).std, null);
  assert.equal(welchTTest([1, 1, 1], [1, 1, 1]), null);
  assert.equal(welchTTest([1, 1, 1], [2, 2, 2])?.p, 0);
  assert.equal(welchTTest([1], [2, 3]), null);
});
