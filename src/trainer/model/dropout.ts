import type { Tensor } from '@tensorflow/tfjs';
import { tf } from '../backend/tensorflow';
import { dropoutMask, type DropoutKey } from './dropout-masks';
import type { GroupName } from './parameter-groups';

/**
 * Which groups apply dropout in a forward pass, and where its masks come from. Frozen groups
 * run without dropout (inference mode), so their outputs are deterministic and cacheable; a
 * trainable group applies it. With a key, each site's mask is the counter-based generator's
 * (dropout-masks.ts), the same ONNX Runtime's training graph is fed; without one, tf.dropout's.
 */
export class DropoutPlan {
  constructor(
    private readonly activeGroups: ReadonlySet<GroupName> = new Set(),
    private readonly key?: DropoutKey,
  ) {}

  /** No dropout anywhere: inference mode. */
  static readonly none = new DropoutPlan();

  /** `site` names the dropout module as Hugging Face does (`encoder.layer.0.output.dropout`). */
  apply<T extends Tensor>(group: GroupName, site: string, x: T, rate: number): T {
    if (rate === 0 || !this.activeGroups.has(group)) return x;
    if (this.key === undefined) return tf.dropout(x, rate) as T;
    const key = this.key;
    return tf.tidy(() => tf.mul<T>(x, tf.tensor(dropoutMask(key, site, x.size, rate), x.shape, 'float32')));
  }
}
