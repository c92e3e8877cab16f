// One post-LayerNorm BERT layer (as BertLayer) forward, and its backward pass composed from the
// blocks. Tokens are rows of [batch * length, hidden] tensors throughout.

import type { GraphBuilder } from '../onnx/graph-builder';
import { attentionBackward, attentionForward, type AttentionResult, type AttentionShape } from './attention';
import { geluBackward, geluForward, type GeluResult } from './gelu';
import { layerNormBackward, layerNormForward, type LayerNormResult } from './layer-norm';
import { linearBackward, linearForward } from './linear';

/** The dropout masks of one layer, as 2-D [rows, hidden] (tokens) or 4-D (probabilities) names. */
export interface LayerDropout {
  readonly probabilities?: string;
  readonly attentionOutput?: string;
  readonly output?: string;
}

export interface LayerContext {
  readonly builder: GraphBuilder;
  readonly attention: AttentionShape;
  readonly epsilon: number;
  readonly maskBias: string;
}

export interface LayerResult {
  readonly output: string;
  readonly input: string;
  readonly attention: AttentionResult;
  readonly attentionOutput: string;
  readonly attentionNorm: LayerNormResult;
  readonly intermediate: string;
  readonly gelu: GeluResult;
  readonly outputNorm: LayerNormResult;
}

const applyMask = (builder: GraphBuilder, x: string, mask?: string): string => (mask === undefined ? x : builder.op('Mul', [x, mask]));

/** `prefix` is the layer's Hugging Face prefix, `encoder.layer.3`; weights are graph inputs of those names. */
export function encoderLayerForward(context: LayerContext, prefix: string, hidden: string, dropout: LayerDropout): LayerResult {
  const { builder } = context;
  const w = (name: string): string => `${prefix}.${name}`;
  const project = (name: string, x: string): string => linearForward(builder, x, w(`${name}.weight`), w(`${name}.bias`));
  const attention = attentionForward(builder, context.attention, project('attention.self.query', hidden), project('attention.self.key', hidden), project('attention.self.value', hidden), context.maskBias, dropout.probabilities);
  const attentionOutput = project('attention.output.dense', attention.context);
  const attentionNorm = layerNormForward(builder, builder.op('Add', [applyMask(builder, attentionOutput, dropout.attentionOutput), hidden]), w('attention.output.LayerNorm.weight'), w('attention.output.LayerNorm.bias'), context.epsilon);
  const intermediate = project('intermediate.dense', attentionNorm.output);
  const gelu = geluForward(builder, intermediate);
  const outputNorm = layerNormForward(builder, builder.op('Add', [applyMask(builder, project('output.dense', gelu.output), dropout.output), attentionNorm.output]), w('output.LayerNorm.weight'), w('output.LayerNorm.bias'), context.epsilon);
  return { output: outputNorm.output, input: hidden, attention, attentionOutput, attentionNorm, intermediate, gelu, outputNorm };
}

export interface LayerBackwardOptions {
  /** Output gradients for this layer's weights, named by `gradientName(weight)`. */
  readonly trains: boolean;
  /** Compute dL/dinput: a group below trains. */
  readonly input: boolean;
  readonly gradientName: (weight: string) => string;
}

/** dL/dinput of the layer from dL/doutput (undefined when options.input is false). */
export function encoderLayerBackward(context: LayerContext, prefix: string, dOutput: string, saved: LayerResult, dropout: LayerDropout, options: LayerBackwardOptions): string | undefined {
  const { builder } = context;
  const w = (name: string): string => `${prefix}.${name}`;
  const parameters = (name: string) => (options.trains ? { weight: options.gradientName(w(`${name}.weight`)), bias: options.gradientName(w(`${name}.bias`)) } : undefined);
  const norm = (name: string) => (options.trains ? { gamma: options.gradientName(w(`${name}.weight`)), beta: options.gradientName(w(`${name}.bias`)) } : undefined);
  const back = (name: string, dy: string, x: string, input: boolean) => linearBackward(builder, dy, x, w(`${name}.weight`), { input, parameters: parameters(name) });

  return builder.scoped(`${prefix}_grad`, () => {
    // output.LayerNorm(dropout(dense(gelu(intermediate))) + attended)
    const dOutputSum = layerNormBackward(builder, dOutput, saved.outputNorm, w('output.LayerNorm.weight'), norm('output.LayerNorm')).input;
    const dGelu = back('output.dense', applyMask(builder, dOutputSum, dropout.output), saved.gelu.output, true).input!;
    const dIntermediate = geluBackward(builder, dGelu, saved.intermediate, saved.gelu);
    const dAttended = builder.op('Add', [dOutputSum, back('intermediate.dense', dIntermediate, saved.attentionNorm.output, true).input!]);
    // attention.output.LayerNorm(dropout(dense(context)) + hidden)
    const dAttentionSum = layerNormBackward(builder, dAttended, saved.attentionNorm, w('attention.output.LayerNorm.weight'), norm('attention.output.LayerNorm')).input;
    const dContext = back('attention.output.dense', applyMask(builder, dAttentionSum, dropout.attentionOutput), saved.attention.context, true).input!;
    const dProjections = attentionBackward(builder, context.attention, dContext, saved.attention, dropout.probabilities);
    const dQuery = back('attention.self.query', dProjections.q, saved.input, options.input).input;
    const dKey = back('attention.self.key', dProjections.k, saved.input, options.input).input;
    const dValue = back('attention.self.value', dProjections.v, saved.input, options.input).input;
    if (!options.input) return undefined;
    return builder.op('Sum', [dAttentionSum, dQuery!, dKey!, dValue!]);
  });
}
