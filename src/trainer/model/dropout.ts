import type { Tensor } from '@tensorflow/tfjs';
import { tf } from '../backend/tensorflow';
import type { GroupName } from './parameter-groups';

/**
 * Which groups apply dropout in a forward pass, and where its random masks come from.
 * Frozen groups run without dropout (inference mode), so their outputs are deterministic and
 * cacheable; a trainable group applies it. With a seed, the masks repeat exactly run to run.
 */
export class DropoutPlan {
  private callCount = 0;

  constructor(
    private readonly activeGroups: ReadonlySet<GroupName> = new Set(),
    private readonly seed?: number,
  ) {}

  /** No dropout anywhere: inference mode. */
  static readonly none = new DropoutPlan();

  apply<T extends Tensor>(group: GroupName, x: T, rate: number): T {
    if (rate === 0 || !this.activeGroups.has(group)) return x;
    const seed = this.seed === undefined ? undefined : this.seed + this.callCount++;
    return tf.dropout(x, rate, undefined, seed) as T;
  }
}
