// LayerNorm over the last axis (biased variance, eps from config.json) and its backward pass.

import type { GraphBuilder } from '../onnx/graph-builder';

export interface LayerNormResult {
  readonly output: string;
  readonly input: string;
  /** [rows, 1] */
  readonly mean: string;
  /** 1 / sqrt(var + eps), [rows, 1]. */
  readonly inverseDeviation: string;
}

/**
 * One LayerNormalization node; its Mean and InvStdDev outputs save recomputing them backward.
 * Nothing else is computed here, so a frozen layer below every trainable one costs no more than
 * in inference.
 */
export function layerNormForward(builder: GraphBuilder, x: string, gamma: string, beta: string, epsilon: number): LayerNormResult {
  return builder.scoped('LayerNorm', () => {
    const [output, mean, inverseDeviation] = builder.opWithOutputs('LayerNormalization', [x, gamma, beta], 3, { axis: -1, epsilon: { float: epsilon } });
    return { output, input: x, mean, inverseDeviation };
  });
}

export interface LayerNormGradients {
  readonly input: string;
  readonly gamma?: string;
  readonly beta?: string;
}

/**
 * With n = normalized and g = dy * gamma:
 * dx = invStd * (g - mean(g) - n * mean(g * n)), dgamma = sum over rows of dy * n, dbeta = sum of dy.
 */
export function layerNormBackward(
  builder: GraphBuilder,
  dy: string,
  saved: LayerNormResult,
  gamma: string,
  parameters?: { readonly gamma: string; readonly beta: string },
): LayerNormGradients {
  return builder.scoped('LayerNorm_grad', () => {
    const normalized = builder.op('Mul', [builder.op('Sub', [saved.input, saved.mean]), saved.inverseDeviation]);
    const scaled = builder.op('Mul', [dy, gamma]);
    const rowMean = (x: string): string => builder.op('ReduceMean', [x], { attributes: { axes: [-1], keepdims: 1 } });
    const projection = builder.op('Mul', [normalized, rowMean(builder.op('Mul', [scaled, normalized]))]);
    const input = builder.op('Mul', [builder.op('Sub', [builder.op('Sub', [scaled, rowMean(scaled)]), projection]), saved.inverseDeviation]);
    if (parameters === undefined) return { input };
    const columnSum = (x: string, output: string): string => builder.op('ReduceSum', [x, builder.int64([0])], { attributes: { keepdims: 0 }, output });
    return { input, gamma: columnSum(builder.op('Mul', [dy, normalized]), parameters.gamma), beta: columnSum(dy, parameters.beta) };
  });
}
