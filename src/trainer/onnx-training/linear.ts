// A linear layer and its backward pass. Activations are 2-D, [tokens, features], so every
// product is one Gemm; the weight stays in Hugging Face's [out, in] layout (a graph input the
// optimizer updates in place) and the transposes are Gemm flags, which MLAS packs for free.

import type { GraphBuilder } from '../onnx/graph-builder';

/** x [rows, in] @ W^T + b, W [out, in]. */
export function linearForward(builder: GraphBuilder, x: string, weight: string, bias: string): string {
  return builder.op('Gemm', [x, weight, bias], { attributes: { transB: 1 } });
}

export interface LinearGradients {
  /** dL/dx [rows, in], when asked for. */
  readonly input?: string;
  readonly weight?: string;
  readonly bias?: string;
}

export interface LinearBackwardOptions {
  /** Compute dL/dx (false at the lowest trainable layer: nothing below needs it). */
  readonly input: boolean;
  /** Output names for dL/dW and dL/db; absent when the layer is frozen. */
  readonly parameters?: { readonly weight: string; readonly bias: string };
}

/** dx = dy W, dW = dy^T x, db = the column sums of dy. */
export function linearBackward(builder: GraphBuilder, dy: string, x: string, weight: string, options: LinearBackwardOptions): LinearGradients {
  return builder.scoped('linear_grad', () => {
    const input = options.input ? builder.op('MatMul', [dy, weight]) : undefined;
    if (options.parameters === undefined) return { input };
    const weightGradient = builder.op('Gemm', [dy, x], { attributes: { transA: 1 }, output: options.parameters.weight });
    const biasGradient = builder.op('ReduceSum', [dy, builder.int64([0])], { attributes: { keepdims: 0 }, output: options.parameters.bias });
    return { input, weight: weightGradient, bias: biasGradient };
  });
}
