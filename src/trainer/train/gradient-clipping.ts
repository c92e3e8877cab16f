import type { NamedTensorMap } from '@tensorflow/tfjs';
import { tf } from '../backend/tensorflow';

/**
 * Scales all gradients together so their global L2 norm is at most `maxNorm`, as PyTorch's
 * clip_grad_norm_ (coefficient maxNorm / (norm + 1e-6), capped at 1). Returns new tensors; with
 * `maxNorm` null, copies. The caller disposes both maps.
 */
export function clipByGlobalNorm(gradients: NamedTensorMap, maxNorm: number | null): NamedTensorMap {
  return tf.tidy(() => {
    const entries = Object.entries(gradients);
    if (maxNorm === null) return Object.fromEntries(entries.map(([name, gradient]) => [name, tf.clone(gradient)]));
    const norm = tf.sqrt(tf.addN(entries.map(([, gradient]) => tf.sum(tf.square(gradient)))));
    const coefficient = tf.minimum(tf.div(maxNorm, tf.add(norm, 1e-6)), 1);
    return Object.fromEntries(entries.map(([name, gradient]) => [name, tf.mul(gradient, coefficient)]));
  });
}
