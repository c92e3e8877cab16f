// Learning rates as people type them: 2e-5, 0.001, 1e-3. Kept apart from the fields so the rules
// are in one place for every field that takes a rate.

export type ParsedRate = { readonly ok: true; readonly value: number } | { readonly ok: false; readonly error: string };

// Plain decimal or scientific notation only: Number() alone would also take "0x1", " " or "Infinity".
const DECIMAL = /^\s*(\d+\.?\d*|\.\d+)(e[+-]?\d+)?\s*$/i;

export const LEARNING_RATE_ERROR = 'must be a number from 0 to 1';
export const DECAY_FACTOR_ERROR = 'must be a number above 0, at most 1';

/** A learning rate in [0, 1], the range the host accepts. */
export function parseLearningRate(text: string): ParsedRate {
  const value = DECIMAL.test(text) ? Number(text) : NaN;
  return value >= 0 && value <= 1 ? { ok: true, value } : { ok: false, error: LEARNING_RATE_ERROR };
}

/** A layer-wise decay factor in (0, 1]: 0 would switch the lower layers off, which is what freezing is for. */
export function parseDecayFactor(text: string): ParsedRate {
  const value = DECIMAL.test(text) ? Number(text) : NaN;
  return value > 0 && value <= 1 ? { ok: true, value } : { ok: false, error: DECAY_FACTOR_ERROR };
}
