// Summary statistics of a group of runs and Welch's t-test, written from their formulas:
// t = (m1 - m2) / sqrt(s1²/n1 + s2²/n2), the Welch–Satterthwaite degrees of freedom, and the
// two-sided p-value from Student's t distribution, P(|T| > |t|) = I_{df/(df+t²)}(df/2, 1/2),
// with the regularized incomplete beta function by its continued fraction (Lentz's method, as
// in Numerical Recipes §6.4).

export interface Spread {
  readonly mean: number;
  /** Sample standard deviation (n - 1); null for a single value. */
  readonly std: number | null;
  readonly min: number;
  readonly max: number;
}

export function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

/** Sample variance (n - 1). */
export function sampleVariance(values: readonly number[]): number {
  const m = mean(values);
  return values.reduce((sum, value) => sum + (value - m) ** 2, 0) / (values.length - 1);
}

/** @example spread([1, 2, 3]) // { mean: 2, std: 1, min: 1, max: 3 } */
export function spread(values: readonly number[]): Spread {
  if (values.length === 0) throw new Error('spread of no values');
  return { mean: mean(values), std: values.length > 1 ? Math.sqrt(sampleVariance(values)) : null, min: Math.min(...values), max: Math.max(...values) };
}

/** ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9; about 15 digits). */
export function logGamma(x: number): number {
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let sum = c[0];
  for (let i = 1; i < 9; i++) sum += c[i] / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** The continued fraction of the incomplete beta function (modified Lentz). */
function betaContinuedFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 500; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return h;
}

/** The regularized incomplete beta function I_x(a, b). */
export function regularizedIncompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  // The fraction converges fast for x < (a+1)/(a+b+2); otherwise use the symmetry I_x(a,b) = 1 - I_{1-x}(b,a).
  return x < (a + 1) / (a + b + 2) ? (front * betaContinuedFraction(x, a, b)) / a : 1 - (front * betaContinuedFraction(1 - x, b, a)) / b;
}

/** P(|T| >= |t|) for Student's t with `df` degrees of freedom (df may be fractional). */
export function studentTTwoSidedP(t: number, df: number): number {
  if (!Number.isFinite(t)) return 0;
  return regularizedIncompleteBeta(df / (df + t * t), df / 2, 0.5);
}

export interface WelchResult {
  readonly t: number;
  readonly df: number;
  /** Two-sided. */
  readonly p: number;
}

/**
 * Welch's unequal-variances t-test of two samples (each of at least 2 values), as scipy's
 * ttest_ind(x, y, equal_var=False). Null when both samples have no spread (t is undefined).
 *
 * @example welchTTest([1, 2, 3, 4], [3, 4, 5, 6, 7]) // { t: -2.6112, df: 6.9808, p: 0.03494 }
 */
export function welchTTest(x: readonly number[], y: readonly number[]): WelchResult | null {
  if (x.length < 2 || y.length < 2) return null;
  const vx = sampleVariance(x) / x.length;
  const vy = sampleVariance(y) / y.length;
  const difference = mean(x) - mean(y);
  if (vx + vy === 0) return difference === 0 ? null : { t: Math.sign(difference) * Infinity, df: x.length + y.length - 2, p: 0 };
  const t = difference / Math.sqrt(vx + vy);
  const df = (vx + vy) ** 2 / (vx ** 2 / (x.length - 1) + vy ** 2 / (y.length - 1));
  return { t, df, p: studentTTwoSidedP(t, df) };
}
