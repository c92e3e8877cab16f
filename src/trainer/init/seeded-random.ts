import seedrandom from 'seedrandom';
import type { Initializer } from '../../core/model/bert-weights';

/** A reproducible source of normal(0, 1) samples (Box-Muller over a seeded uniform stream). */
export class SeededNormal {
  private readonly uniform: seedrandom.PRNG;
  private spare: number | undefined;

  constructor(seed: number | string) {
    this.uniform = seedrandom(String(seed));
  }

  next(): number {
    if (this.spare !== undefined) {
      const value = this.spare;
      this.spare = undefined;
      return value;
    }
    // 1 - u keeps the logarithm's argument in (0, 1].
    const radius = Math.sqrt(-2 * Math.log(1 - this.uniform()));
    const angle = 2 * Math.PI * this.uniform();
    this.spare = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  }
}

/** Values for a weight of `count` elements under BERT's initialization. */
export function initialValues(init: Initializer, count: number, standardDeviation: number, random: SeededNormal): Float32Array {
  const values = new Float32Array(count);
  if (init === 'ones') values.fill(1);
  if (init === 'normal') for (let i = 0; i < count; i++) values[i] = random.next() * standardDeviation;
  return values;
}
