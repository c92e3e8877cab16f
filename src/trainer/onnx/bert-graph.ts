// Thaw's BERT encoder as an ONNX graph: the same computation as the tfjs BertEncoder
// (post-LayerNorm, absolute positions, token types, exact-erf GELU, additive mask bias) and
// sentence-transformers' mean pooling, so that ONNX Runtime and transformers.js embed
// sentences as Thaw does. Initializers carry the Hugging Face weight names.

import { headSize, type BertConfig } from '../../core/model/bert-config';
import { encoderWeightSpecs, type WeightSpec } from '../../core/model/bert-weights';
import { MASKED_SCORE } from '../model/attention-bias';
import { DataType, GraphBuilder, encodeModel, floatTensor, valueInfo } from './graph-builder';

/** The encoder's int64 inputs, all [batch_size, sequence_length], as transformers.js feeds them. */
export const ENCODER_INPUTS = ['input_ids', 'attention_mask', 'token_type_ids'] as const;
export const LAST_HIDDEN_STATE = 'last_hidden_state';
export const SENTENCE_EMBEDDING = 'sentence_embedding';
export const BATCH_AXIS = 'batch_size';
export const SEQUENCE_AXIS = 'sequence_length';

export interface EncoderModelOptions {
  /** Also output `sentence_embedding` [batch, hidden], mean-pooled over the attention mask. */
  readonly pooled?: boolean;
}

/** What every part of the graph reads: the builder, the config and the weights by name. */
export interface EncoderContext {
  readonly builder: GraphBuilder;
  readonly config: BertConfig;
  readonly weights: ReadonlyMap<string, Float32Array>;
  readonly specs: ReadonlyMap<string, WeightSpec>;
}

/**
 * The encoder as ONNX model bytes. `weights` holds every weight of encoderWeightSpecs(config)
 * by Hugging Face name (other entries are ignored). The same weights give the same bytes.
 *
 * @example const bytes = buildEncoderModel(folder.config, encoderWeightArrays(folder), { pooled: true })
 */
export function buildEncoderModel(config: BertConfig, weights: ReadonlyMap<string, Float32Array>, options: EncoderModelOptions = {}): Uint8Array {
  const specs = new Map(encoderWeightSpecs(config).map((spec) => [spec.name, spec]));
  const missing = [...specs.keys()].filter((name) => !weights.has(name));
  if (missing.length > 0) throw new Error(`weights missing for the ONNX encoder: ${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ` and ${missing.length - 3} more` : ''}`);
  const context: EncoderContext = { builder: new GraphBuilder(), config, weights, specs };

  const mask = context.builder.scoped('mask', () => context.builder.op('Cast', ['attention_mask'], { attributes: { to: DataType.FLOAT } }));
  const maskBias = attentionMaskBias(context, mask);
  let hidden = embeddings(context);
  for (let index = 0; index < config.num_hidden_layers; index++) {
    const last = index === config.num_hidden_layers - 1;
    hidden = encoderLayer(context, index, hidden, maskBias, last ? LAST_HIDDEN_STATE : undefined);
  }
  const outputs = [valueInfo(LAST_HIDDEN_STATE, DataType.FLOAT, [BATCH_AXIS, SEQUENCE_AXIS, config.hidden_size])];
  if (options.pooled === true) {
    meanPooling(context, hidden, mask);
    outputs.push(valueInfo(SENTENCE_EMBEDDING, DataType.FLOAT, [BATCH_AXIS, config.hidden_size]));
  }
  const inputs = ENCODER_INPUTS.map((name) => valueInfo(name, DataType.INT64, [BATCH_AXIS, SEQUENCE_AXIS]));
  return encodeModel({
    graph: context.builder.graph('thaw_bert_encoder', inputs, outputs),
    docString: `Thaw BERT encoder: ${config.num_hidden_layers} layers, hidden ${config.hidden_size}${options.pooled === true ? ', mean pooling' : ''}. Linear weights are stored transposed ([in, out]) for MatMul.`,
  });
}

/** Word + position (0..L-1) + token type embeddings, then LayerNorm, as BertEmbeddings. */
export function embeddings(context: EncoderContext): string {
  const { builder } = context;
  return builder.scoped('embeddings', () => {
    const words = builder.op('Gather', [weight(context, 'embeddings.word_embeddings.weight'), 'input_ids'], { attributes: { axis: 0 } });
    const length = builder.op('Gather', [builder.op('Shape', ['input_ids']), builder.int64([1], true)], { attributes: { axis: 0 } });
    const positionIds = builder.op('Range', [builder.int64([0], true), length, builder.int64([1], true)]);
    const positions = builder.op('Gather', [weight(context, 'embeddings.position_embeddings.weight'), positionIds], { attributes: { axis: 0 } });
    const types = builder.op('Gather', [weight(context, 'embeddings.token_type_embeddings.weight'), 'token_type_ids'], { attributes: { axis: 0 } });
    const summed = builder.op('Add', [builder.op('Add', [words, positions]), types]);
    return layerNorm(context, 'embeddings.LayerNorm', summed);
  });
}

/** (1 - mask) * MASKED_SCORE as [batch, 1, 1, sequence], added to every head's scores. */
function attentionMaskBias(context: EncoderContext, mask: string): string {
  const { builder } = context;
  return builder.scoped('mask', () => {
    const bias = builder.op('Mul', [builder.op('Sub', [builder.float(1), mask]), builder.float(MASKED_SCORE)]);
    return builder.op('Unsqueeze', [bias, builder.int64([1, 2])]);
  });
}

/** One post-LayerNorm transformer layer, as BertLayer; `output` names its result. */
export function encoderLayer(context: EncoderContext, index: number, hidden: string, maskBias: string, output?: string): string {
  const { builder } = context;
  const prefix = `encoder.layer.${index}`;
  return builder.scoped(`encoder/layer.${index}`, () => {
    const attention = selfAttention(context, prefix, hidden, maskBias);
    const attended = builder.scoped('attention/output', () =>
      layerNorm(context, `${prefix}.attention.output.LayerNorm`, builder.op('Add', [linear(context, `${prefix}.attention.output.dense`, attention), hidden])),
    );
    const intermediate = builder.scoped('intermediate', () => gelu(context, linear(context, `${prefix}.intermediate.dense`, attended)));
    return builder.scoped('output', () =>
      layerNorm(context, `${prefix}.output.LayerNorm`, builder.op('Add', [linear(context, `${prefix}.output.dense`, intermediate), attended]), output),
    );
  });
}

/** Scaled dot-product attention over num_attention_heads heads; [batch, sequence, hidden] out. */
function selfAttention(context: EncoderContext, prefix: string, hidden: string, maskBias: string): string {
  const { builder, config } = context;
  const heads = config.num_attention_heads;
  const size = headSize(config);
  return builder.scoped('attention/self', () => {
    // [batch, sequence, hidden] -> [batch, sequence, heads, size]; Reshape's 0 keeps a dim.
    const split = (x: string): string => builder.op('Reshape', [x, builder.int64([0, 0, heads, size])]);
    const query = builder.op('Transpose', [split(linear(context, `${prefix}.attention.self.query`, hidden))], { attributes: { perm: [0, 2, 1, 3] } });
    const keyT = builder.op('Transpose', [split(linear(context, `${prefix}.attention.self.key`, hidden))], { attributes: { perm: [0, 2, 3, 1] } });
    const value = builder.op('Transpose', [split(linear(context, `${prefix}.attention.self.value`, hidden))], { attributes: { perm: [0, 2, 1, 3] } });
    const scores = builder.op('Add', [builder.op('Mul', [builder.op('MatMul', [query, keyT]), builder.float(1 / Math.sqrt(size))]), maskBias]);
    const probabilities = builder.op('Softmax', [scores], { attributes: { axis: -1 } });
    const attended = builder.op('Transpose', [builder.op('MatMul', [probabilities, value])], { attributes: { perm: [0, 2, 1, 3] } });
    return builder.op('Reshape', [attended, builder.int64([0, 0, config.hidden_size])]);
  });
}

/**
 * sentence-transformers' mean pooling: the sum of the token vectors where the mask is 1,
 * divided by their count clamped at 1e-9 (an all-zero mask gives zeros, not NaN).
 */
export function meanPooling(context: EncoderContext, hidden: string, mask: string): string {
  const { builder } = context;
  return builder.scoped('pooling', () => {
    const expanded = builder.op('Unsqueeze', [mask, builder.int64([2])]);
    const summed = builder.op('ReduceSum', [builder.op('Mul', [hidden, expanded]), builder.int64([1])], { attributes: { keepdims: 0 } });
    const counts = builder.op('Max', [builder.op('ReduceSum', [expanded, builder.int64([1])], { attributes: { keepdims: 0 } }), builder.float(1e-9)]);
    return builder.op('Div', [summed, counts], { output: SENTENCE_EMBEDDING });
  });
}

/** x @ W^T + b over the last axis. W is stored transposed, [in, out], so MatMul (and its int8 form) reads it directly. */
function linear(context: EncoderContext, prefix: string, x: string): string {
  const { builder } = context;
  const name = `${prefix}.weight`;
  const [out, inputs] = specOf(context, name).shape as [number, number];
  const transposed = builder.initializer(floatTensor(name, [inputs, out], transpose(valuesOf(context, name), out, inputs), 'Hugging Face weight transposed to [in, out]'));
  return builder.op('Add', [builder.op('MatMul', [x, transposed]), weight(context, `${prefix}.bias`)]);
}

/** LayerNorm over the last axis with biased variance, written out for opset 14 (see OPSET_VERSION). */
function layerNorm(context: EncoderContext, prefix: string, x: string, output?: string): string {
  const { builder } = context;
  return builder.scoped('LayerNorm', () => {
    const mean = builder.op('ReduceMean', [x], { attributes: { axes: [-1], keepdims: 1 } });
    const centered = builder.op('Sub', [x, mean]);
    const variance = builder.op('ReduceMean', [builder.op('Pow', [centered, builder.float(2)])], { attributes: { axes: [-1], keepdims: 1 } });
    const deviation = builder.op('Sqrt', [builder.op('Add', [variance, builder.float(context.config.layer_norm_eps)])]);
    const normalized = builder.op('Div', [centered, deviation]);
    return builder.op('Add', [builder.op('Mul', [normalized, weight(context, `${prefix}.weight`)]), weight(context, `${prefix}.bias`)], output === undefined ? {} : { output });
  });
}

/** Exact GELU, x * 0.5 * (1 + erf(x / sqrt 2)), in the form ORT's GeluFusion recognizes. */
function gelu(context: EncoderContext, x: string): string {
  const { builder } = context;
  const erf = builder.op('Erf', [builder.op('Div', [x, builder.float(Math.SQRT2)])]);
  return builder.op('Mul', [builder.op('Mul', [x, builder.op('Add', [erf, builder.float(1)])]), builder.float(0.5)]);
}

/** A weight in its Hugging Face layout, as an initializer of the same name. */
function weight(context: EncoderContext, name: string): string {
  return context.builder.initializer(floatTensor(name, specOf(context, name).shape, valuesOf(context, name)));
}

function specOf(context: EncoderContext, name: string): WeightSpec {
  const spec = context.specs.get(name);
  if (spec === undefined) throw new Error(`no weight ${name} in BERT's weight list`);
  return spec;
}

function valuesOf(context: EncoderContext, name: string): Float32Array {
  const values = context.weights.get(name);
  const count = specOf(context, name).shape.reduce((product, size) => product * size, 1);
  if (values === undefined || values.length !== count) throw new Error(`weight ${name} has ${values?.length ?? 0} values, config.json implies ${count}`);
  return values;
}

/** A row-major [rows, columns] matrix as [columns, rows]. */
function transpose(values: Float32Array, rows: number, columns: number): Float32Array {
  const out = new Float32Array(values.length);
  for (let row = 0; row < rows; row++) {
    for (let column = 0; column < columns; column++) out[column * rows + row] = values[row * columns + column];
  }
  return out;
}
