// The two ops whose stock gradients the WebAssembly backend cannot run well (tfjs 4.22), with
// gradients written so that they can. Model code uses these instead of tf.gather / tf.matMul
// wherever a gradient may flow; on the other backends they compute the same thing.
//
// 1. tf.gather's gradient needs the UnsortedSegmentSum kernel, which wasm does not register
//    ("Kernel 'UnsortedSegmentSum' not registered for backend 'wasm'"). scatterND sums the
//    rows of duplicate ids the same way and exists on every backend.
// 2. tf.matMul's gradient calls matMul with transposeA / transposeB, which wasm runs at
//    0.7-1.4 GFLOP/s against ~20 for a plain matMul, turning a training step from seconds
//    into a minute. Transposing explicitly first keeps every matMul plain.

import type { Tensor, Tensor1D, Tensor2D } from '@tensorflow/tfjs';
import { tf } from './tensorflow';

type GradientFunction = (dy: Tensor, saved: Tensor[]) => Tensor | Tensor[];
type CustomOp = (...inputs: Tensor[]) => Tensor;

/** tf.customGrad with types that say what Thaw uses it for. */
function customOp(body: (inputs: Tensor[], save: (tensors: Tensor[]) => void) => { value: Tensor; gradFunc: GradientFunction }): CustomOp {
  return tf.customGrad(((...args: unknown[]) => {
    const save = args.pop() as (tensors: Tensor[]) => void;
    return body(args as Tensor[], save);
  }));
}

/**
 * Rows of `table` picked by `ids` (int32), like tf.gather(table, ids), with a gradient that
 * runs on wasm. Duplicate ids sum their gradients.
 *
 * @example embeddingLookup(wordEmbeddings, flatIds) // [ids.size, hidden]
 */
export function embeddingLookup(table: Tensor2D, ids: Tensor1D): Tensor2D {
  const lookup = customOp(([weights], save) => {
    // Saved, not just captured: the forward pass's tf.tidy disposes what the backward pass
    // has not saved, and the ids are usually created inside it.
    save([ids]);
    const shape = weights.shape;
    return {
      value: tf.gather(weights, ids),
      gradFunc: (dy, [savedIds]) => tf.scatterND(tf.expandDims(savedIds, 1), dy, shape),
    };
  });
  return lookup(table) as Tensor2D;
}

/** Swaps the last two axes of a tensor of rank >= 2. */
export function swapLastAxes<T extends Tensor>(tensor: T): T {
  const order = [...Array(tensor.rank).keys()];
  [order[tensor.rank - 2], order[tensor.rank - 1]] = [order[tensor.rank - 1], order[tensor.rank - 2]];
  return tf.transpose(tensor, order);
}

/**
 * a @ b over the last two axes, with leading (batch) axes equal, like tf.matMul(a, b) with no
 * transpose flags; its gradient uses plain matMuls on explicitly transposed operands.
 *
 * @example plainMatMul(x, swapLastAxes(w)) // x @ w^T without a transposed kernel
 */
export function plainMatMul<T extends Tensor>(a: T, b: T): T {
  if (a.rank !== b.rank || a.shape.slice(0, -2).some((size, axis) => size !== b.shape[axis])) {
    throw new Error(`plainMatMul needs equal batch axes, got [${a.shape.join(', ')}] and [${b.shape.join(', ')}]`);
  }
  const multiply = customOp(([left, right], save) => {
    save([left, right]);
    return {
      value: tf.matMul(left, right),
      gradFunc: (dy, [savedLeft, savedRight]) => [
        tf.matMul(dy, swapLastAxes(savedRight)),
        tf.matMul(swapLastAxes(savedLeft), dy),
      ],
    };
  });
  return multiply(a, b) as T;
}
