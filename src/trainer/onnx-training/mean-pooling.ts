// sentence-transformers' mean pooling and its backward pass. Each token's share of the
// gradient is mask / count, so padding gets none.

import type { GraphBuilder } from '../onnx/graph-builder';

export interface PoolingResult {
  /** [batch, hidden] */
  readonly pooled: string;
  /** mask / max(count, 1e-9), [batch, length, 1]: the weight of each token. */
  readonly tokenWeights: string;
}

/**
 * `hidden` is [batch * length, hidden]; `mask` float [batch, length]; `tokensShape` the int64
 * [3] value [batch, length, hidden].
 */
export function meanPoolingForward(builder: GraphBuilder, hidden: string, mask: string, tokensShape: string): PoolingResult {
  return builder.scoped('pooling', () => {
    const expanded = builder.op('Unsqueeze', [mask, builder.int64([2])]);
    const counts = builder.op('Max', [builder.op('ReduceSum', [expanded, builder.int64([1])], { attributes: { keepdims: 1 } }), builder.float(1e-9)]);
    // The sum divided by the count, as sentence-transformers computes it (not a weighted sum), so that rounding matches.
    const summed = builder.op('ReduceSum', [builder.op('Mul', [builder.op('Reshape', [hidden, tokensShape]), expanded]), builder.int64([1])], { attributes: { keepdims: 0 } });
    const pooled = builder.op('Div', [summed, builder.op('Squeeze', [counts, builder.int64([1])])]);
    return { pooled, tokenWeights: builder.op('Div', [expanded, counts]) };
  });
}

/** dL/dhidden [batch * length, hidden] from dL/dpooled [batch, hidden]. */
export function meanPoolingBackward(builder: GraphBuilder, dPooled: string, saved: PoolingResult, hiddenSize: number): string {
  return builder.scoped('pooling_grad', () => {
    const spread = builder.op('Mul', [builder.op('Unsqueeze', [dPooled, builder.int64([1])]), saved.tokenWeights]);
    return builder.op('Reshape', [spread, builder.int64([-1, hiddenSize])]);
  });
}
