// Scaled dot-product self-attention (the additive mask bias, softmax, dropout on the
// probabilities) and its backward pass, from the projected queries, keys and values to the
// context vectors. Tokens are rows of 2-D tensors [batch * length, hidden]; heads are split
// to [batch, heads, length, headSize] for the batched MatMuls.

import type { GraphBuilder } from '../onnx/graph-builder';

export interface AttentionShape {
  readonly heads: number;
  readonly headSize: number;
  /** int64 [4] value: [batch, length, heads, headSize], built once per graph. */
  readonly splitShape: string;
}

export interface AttentionResult {
  /** [batch * length, hidden] */
  readonly context: string;
  readonly query: string;
  readonly key: string;
  readonly value: string;
  readonly probabilities: string;
  /** The probabilities after dropout (the same name as probabilities without it). */
  readonly dropped: string;
}

const HEADS_FIRST = [0, 2, 1, 3];

function splitHeads(builder: GraphBuilder, shape: AttentionShape, x: string): string {
  return builder.op('Transpose', [builder.op('Reshape', [x, shape.splitShape])], { attributes: { perm: HEADS_FIRST } });
}

function mergeHeads(builder: GraphBuilder, shape: AttentionShape, x: string): string {
  return builder.op('Reshape', [builder.op('Transpose', [x], { attributes: { perm: HEADS_FIRST } }), builder.int64([-1, shape.heads * shape.headSize])]);
}

function swapLast(builder: GraphBuilder, x: string): string {
  return builder.op('Transpose', [x], { attributes: { perm: [0, 1, 3, 2] } });
}

/**
 * softmax(q k^T / sqrt(d) + maskBias) [* dropoutMask] @ v, as BertSelfAttention.
 * `maskBias` is [batch, 1, 1, length]; `dropoutMask` (already scaled by 1 / (1 - p)) is
 * [batch, heads, length, length].
 */
export function attentionForward(builder: GraphBuilder, shape: AttentionShape, q: string, k: string, v: string, maskBias: string, dropoutMask?: string): AttentionResult {
  return builder.scoped('attention', () => {
    const query = splitHeads(builder, shape, q);
    const key = splitHeads(builder, shape, k);
    const value = splitHeads(builder, shape, v);
    const scores = builder.op('Add', [builder.op('Mul', [builder.op('MatMul', [query, swapLast(builder, key)]), builder.float(1 / Math.sqrt(shape.headSize))]), maskBias]);
    const probabilities = builder.op('Softmax', [scores], { attributes: { axis: -1 } });
    const dropped = dropoutMask === undefined ? probabilities : builder.op('Mul', [probabilities, dropoutMask]);
    const context = mergeHeads(builder, shape, builder.op('MatMul', [dropped, value]));
    return { context, query, key, value, probabilities, dropped };
  });
}

export interface AttentionGradients {
  readonly q: string;
  readonly k: string;
  readonly v: string;
}

/**
 * From dL/dcontext: dv = P'^T dC, dP' = dC v^T, dP = dP' * mask, the softmax's
 * dS = P * (dP - rowsum(dP * P)) (the mask bias is a constant), then dq = dS k / sqrt(d),
 * dk = dS^T q / sqrt(d). Masked positions have P = 0, so they get no gradient.
 */
export function attentionBackward(builder: GraphBuilder, shape: AttentionShape, dContext: string, saved: AttentionResult, dropoutMask?: string): AttentionGradients {
  return builder.scoped('attention_grad', () => {
    const dHeads = splitHeads(builder, shape, dContext);
    const dValue = builder.op('MatMul', [swapLast(builder, saved.dropped), dHeads]);
    const dDropped = builder.op('MatMul', [dHeads, swapLast(builder, saved.value)]);
    const dProbabilities = dropoutMask === undefined ? dDropped : builder.op('Mul', [dDropped, dropoutMask]);
    const rowDot = builder.op('ReduceSum', [builder.op('Mul', [dProbabilities, saved.probabilities]), builder.int64([-1])], { attributes: { keepdims: 1 } });
    const dScores = builder.op('Mul', [builder.op('Mul', [saved.probabilities, builder.op('Sub', [dProbabilities, rowDot])]), builder.float(1 / Math.sqrt(shape.headSize))]);
    const dQuery = builder.op('MatMul', [dScores, saved.key]);
    const dKey = builder.op('MatMul', [swapLast(builder, dScores), saved.query]);
    return { q: mergeHeads(builder, shape, dQuery), k: mergeHeads(builder, shape, dKey), v: mergeHeads(builder, shape, dValue) };
  });
}
