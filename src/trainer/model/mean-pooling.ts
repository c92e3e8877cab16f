import type { Tensor2D, Tensor3D } from '@tensorflow/tfjs';
import { tf } from '../backend/tensorflow';

/**
 * sentence-transformers' mean pooling: the average of the token vectors where the attention
 * mask is 1. The count is clamped at 1e-9 as there, so an all-zero mask gives zeros, not NaN.
 */
export function meanPool(hidden: Tensor3D, attentionMask: Tensor2D): Tensor2D {
  return tf.tidy(() => {
    const mask = tf.expandDims(tf.cast(attentionMask, 'float32'), 2);
    const summed = tf.sum(tf.mul(hidden, mask), 1);
    const counts = tf.maximum(tf.sum(mask, 1), 1e-9);
    return tf.div(summed, counts);
  });
}
