// The training graph of one task batch: Thaw's forward pass (encoder, mean pooling, the task's
// head, cross-entropy) and its backward pass, written out block by block, in one ONNX graph, so
// that ONNX Runtime keeps the activations the backward pass needs and nothing runs twice.
// Weights are graph inputs: an optimizer step changes the arrays, never the session.

import { headSize, type BertConfig } from '../../core/model/bert-config';
import { encoderWeightSpecs, headWeightSpecs, type WeightSpec } from '../../core/model/bert-weights';
import { isHead, type GroupName, type HeadName } from '../../core/vocabulary/groups';
import { MASKED_SCORE } from '../model/attention-bias';
import { BATCH_AXIS, ENCODER_INPUTS, SEQUENCE_AXIS } from '../onnx/bert-graph';
import { DataType, GraphBuilder, encodeModel, valueInfo, type Dim } from '../onnx/graph-builder';
import { crossEntropyBackward, crossEntropyForward } from './cross-entropy';
import { dropoutSites, type DropoutSite } from './dropout-sites';
import { embeddingsSumBackward, embeddingsSumForward } from './embeddings';
import { encoderLayerBackward, encoderLayerForward, type LayerContext, type LayerDropout, type LayerResult } from './encoder-layer';
import { layerNormBackward, layerNormForward } from './layer-norm';
import { linearBackward, linearForward } from './linear';
import { meanPoolingBackward, meanPoolingForward } from './mean-pooling';
import { TRAINING_OPSET } from './training-opset';

/** float [batch, classes]: one-hot rows (or any distribution). */
export const LABELS_INPUT = 'labels';
/** float scalar: the task's loss weight. */
export const LOSS_WEIGHT_INPUT = 'loss_weight';
/** lossWeight * mean cross-entropy: the gradients are of this. */
export const LOSS_OUTPUT = 'loss';
/** The unweighted mean cross-entropy of the batch. */
export const TASK_LOSS_OUTPUT = 'task_loss';
export const gradientOutput = (weight: string): string => `grad.${weight}`;
export const WORD_EMBEDDINGS = 'embeddings.word_embeddings.weight';
/**
 * dL/d(looked-up word rows) [batch * length, hidden], output instead of grad.<word table> when
 * the embeddings train: scatterAddRows makes the table's gradient (see embeddings.ts).
 */
export const WORD_ROWS_OUTPUT = 'grad_rows.embeddings.word_embeddings.weight';

/** The output that carries a trainable weight's gradient (the word table's comes as rows). */
export const outputOfWeight = (weight: string): string => (weight === WORD_EMBEDDINGS ? WORD_ROWS_OUTPUT : gradientOutput(weight));

export interface TrainingGraphOptions {
  readonly config: BertConfig;
  readonly head: HeadName;
  readonly classes: number;
  /** The groups that train this phase; others get no gradient output and no dropout. */
  readonly trainable: ReadonlySet<GroupName>;
}

export interface TrainingGraph {
  readonly model: Uint8Array;
  readonly classes: number;
  /** Every weight input (the encoder's and this head's), Hugging Face names and layouts. */
  readonly weights: readonly WeightSpec[];
  /** The weights with a gradient (output outputOfWeight(name)), in the order of `weights`. */
  readonly trainableWeights: readonly string[];
  readonly dropoutSites: readonly DropoutSite[];
}

/**
 * The graph's inputs are `input_ids`, `attention_mask`, `token_type_ids` (int64 [batch,
 * length]), every weight by Hugging Face name, one mask per dropout site, `labels` and
 * `loss_weight`; its outputs `loss`, `task_loss` and `grad.<name>` per trainable weight (the
 * word table's as WORD_ROWS_OUTPUT).
 *
 * @example const graph = buildTrainingGraph({ config, head: 'task_a_head', classes: 6, trainable: new Set(['layer.5', 'task_a_head']) })
 */
export function buildTrainingGraph(options: TrainingGraphOptions): TrainingGraph {
  const { config, head, trainable } = options;
  const hidden = config.hidden_size;
  const weights = [...encoderWeightSpecs(config), ...headWeightSpecs(head, options.classes, hidden)];
  const trainableWeights = weights.filter((spec) => trainable.has(spec.group)).map((spec) => spec.name);
  const sites = dropoutSites(config, head, trainable);
  const builder = new GraphBuilder();

  // Token masks arrive [batch, length, hidden] like the activations; the graph's token tensors are [batch * length, hidden].
  const siteNames = new Set(sites.map((site) => site.input));
  const mask = (input: string, flatten: boolean): string | undefined => {
    if (!siteNames.has(input)) return undefined;
    return flatten ? builder.op('Reshape', [input, builder.int64([-1, hidden])]) : input;
  };
  const applyMask = (x: string, maskName: string | undefined): string => (maskName === undefined ? x : builder.op('Mul', [x, maskName]));
  const layerDropout = (index: number): LayerDropout => ({
    probabilities: mask(`encoder.layer.${index}.attention.self.dropout`, false),
    attentionOutput: mask(`encoder.layer.${index}.attention.output.dropout`, true),
    output: mask(`encoder.layer.${index}.output.dropout`, true),
  });

  // Depth 0 is the embeddings, depth i + 1 layer i: the backward pass stops at the lowest group that trains.
  const encoderDepths = [...trainable].filter((group) => !isHead(group)).map((group) => (group === 'embeddings' ? 0 : Number(group.slice('layer.'.length)) + 1));
  const lowest = Math.min(Infinity, ...encoderDepths);
  const headTrains = trainable.has(head);

  // Forward.
  const batchLength = builder.op('Shape', ['input_ids']);
  const tokensShape = builder.op('Concat', [batchLength, builder.int64([hidden])], { attributes: { axis: 0 } });
  const attentionMask = builder.op('Cast', ['attention_mask'], { attributes: { to: DataType.FLOAT } });
  const maskBias = builder.op('Unsqueeze', [builder.op('Mul', [builder.op('Sub', [builder.float(1), attentionMask]), builder.float(MASKED_SCORE)]), builder.int64([1, 2])]);
  const layerContext: LayerContext = {
    builder,
    epsilon: config.layer_norm_eps,
    maskBias,
    attention: {
      heads: config.num_attention_heads,
      headSize: headSize(config),
      splitShape: builder.op('Concat', [batchLength, builder.int64([config.num_attention_heads, headSize(config)])], { attributes: { axis: 0 } }),
    },
  };
  const tables = { word: 'embeddings.word_embeddings.weight', position: 'embeddings.position_embeddings.weight', tokenType: 'embeddings.token_type_embeddings.weight' };
  const embedded = embeddingsSumForward(builder, tables, 'input_ids', 'token_type_ids', hidden);
  const embeddingsNorm = layerNormForward(builder, embedded.summed, 'embeddings.LayerNorm.weight', 'embeddings.LayerNorm.bias', config.layer_norm_eps);
  const embeddingsMask = mask('embeddings.dropout', true);
  let state = applyMask(embeddingsNorm.output, embeddingsMask);
  const layers: LayerResult[] = [];
  for (let index = 0; index < config.num_hidden_layers; index++) {
    const layer = builder.scoped(`encoder/layer.${index}`, () => encoderLayerForward(layerContext, `encoder.layer.${index}`, state, layerDropout(index)));
    layers.push(layer);
    state = layer.output;
  }
  const pooling = meanPoolingForward(builder, state, attentionMask, tokensShape);
  const headMask = mask(`${head}.dropout`, false);
  const headInput = applyMask(pooling.pooled, headMask);
  const logits = builder.scoped(head, () => linearForward(builder, headInput, `${head}.weight`, `${head}.bias`));
  const crossEntropy = crossEntropyForward(builder, logits, LABELS_INPUT, LOSS_WEIGHT_INPUT, { taskLoss: TASK_LOSS_OUTPUT, loss: LOSS_OUTPUT });

  // Backward, from the loss down to the lowest trainable group.
  if (headTrains || lowest < Infinity) {
    const dLogits = crossEntropyBackward(builder, crossEntropy, LABELS_INPUT, LOSS_WEIGHT_INPUT);
    const headParameters = headTrains ? { weight: gradientOutput(`${head}.weight`), bias: gradientOutput(`${head}.bias`) } : undefined;
    const dHeadInput = builder.scoped(`${head}_grad`, () => linearBackward(builder, dLogits, headInput, `${head}.weight`, { input: lowest < Infinity, parameters: headParameters }).input);
    if (dHeadInput !== undefined) {
      let dState = meanPoolingBackward(builder, applyMask(dHeadInput, headMask), pooling, hidden);
      for (let index = config.num_hidden_layers - 1; index >= 0 && index + 1 >= lowest; index--) {
        const dInput = encoderLayerBackward(layerContext, `encoder.layer.${index}`, dState, layers[index], layerDropout(index), {
          trains: trainable.has(`layer.${index}`),
          input: lowest < index + 1,
          gradientName: gradientOutput,
        });
        if (dInput !== undefined) dState = dInput;
      }
      if (lowest === 0) {
        builder.scoped('embeddings_grad', () => {
          const layerNormGradients = layerNormBackward(builder, applyMask(dState, embeddingsMask), embeddingsNorm, 'embeddings.LayerNorm.weight', {
            gamma: gradientOutput('embeddings.LayerNorm.weight'),
            beta: gradientOutput('embeddings.LayerNorm.bias'),
          });
          embeddingsSumBackward(builder, layerNormGradients.input, tables, 'token_type_ids', embedded, tokensShape, {
            wordRows: WORD_ROWS_OUTPUT,
            position: gradientOutput(tables.position),
            tokenType: gradientOutput(tables.tokenType),
          });
        });
      }
    }
  }

  const maskDims = (site: DropoutSite): Dim[] =>
    site.activation === 'tokens' ? [BATCH_AXIS, SEQUENCE_AXIS, hidden] : site.activation === 'attention' ? [BATCH_AXIS, config.num_attention_heads, SEQUENCE_AXIS, SEQUENCE_AXIS] : [BATCH_AXIS, hidden];
  const inputs = [
    ...ENCODER_INPUTS.map((name) => valueInfo(name, DataType.INT64, [BATCH_AXIS, SEQUENCE_AXIS])),
    ...weights.map((spec) => valueInfo(spec.name, DataType.FLOAT, spec.shape)),
    ...sites.map((site) => valueInfo(site.input, DataType.FLOAT, maskDims(site))),
    valueInfo(LABELS_INPUT, DataType.FLOAT, [BATCH_AXIS, options.classes]),
    valueInfo(LOSS_WEIGHT_INPUT, DataType.FLOAT, []),
  ];
  const byName = new Map(weights.map((spec) => [spec.name, spec]));
  const outputs = [
    valueInfo(LOSS_OUTPUT, DataType.FLOAT, []),
    valueInfo(TASK_LOSS_OUTPUT, DataType.FLOAT, []),
    ...trainableWeights.map((name) =>
      name === WORD_EMBEDDINGS ? valueInfo(WORD_ROWS_OUTPUT, DataType.FLOAT, ['tokens', hidden]) : valueInfo(gradientOutput(name), DataType.FLOAT, byName.get(name)!.shape),
    ),
  ];
  const model = encodeModel({
    graph: builder.graph('thaw_bert_training_step', inputs, outputs),
    docString: `Thaw training step for ${head} (${options.classes} classes): forward and backward, trainable ${[...trainable].join(', ') || 'nothing'}`,
    opset: TRAINING_OPSET,
  });
  return { model, classes: options.classes, weights, trainableWeights, dropoutSites: sites };
}
