// The task heads as their own ONNX model over the pooled sentence embedding, so that a head
// can be retrained and re-exported without touching the encoder's (much larger) file, and an
// embedding cache can be scored without running the encoder again.

import type { HeadName } from '../model/parameter-groups';
import { labelsMetadataKey } from '../model/weight-arrays';
import { SENTENCE_EMBEDDING, BATCH_AXIS } from './bert-graph';
import { DataType, GraphBuilder, encodeModel, floatTensor, valueInfo } from './graph-builder';

export interface OnnxHead {
  readonly name: HeadName;
  /** Class labels in logit order; stored in the model's metadata as `<head>.labels`. */
  readonly labels: readonly string[];
  /** Hugging Face layout [classes, hidden], row-major. */
  readonly weight: Float32Array;
  readonly bias: Float32Array;
}

/** The output that holds a head's logits [batch, classes]. */
export const logitsOutput = (head: HeadName): string => `${head}_logits`;

/**
 * Heads model bytes: input `sentence_embedding` [batch, hidden], one `<head>_logits` output per
 * head (x W^T + b, as Thaw's headLogits in inference mode).
 *
 * @example const bytes = buildHeadsModel([{ name: 'task_a_head', labels, weight, bias }], 384)
 */
export function buildHeadsModel(heads: readonly OnnxHead[], hidden: number): Uint8Array {
  if (heads.length === 0) throw new Error('a heads model needs at least one head');
  const builder = new GraphBuilder();
  const outputs = heads.map((head) => {
    const classes = head.labels.length;
    if (head.weight.length !== classes * hidden || head.bias.length !== classes) {
      throw new Error(`${head.name}: ${classes} labels and hidden ${hidden} need a [${classes}, ${hidden}] weight and ${classes} biases, got ${head.weight.length} and ${head.bias.length} values`);
    }
    builder.scoped(head.name, () => {
      const weight = builder.initializer(floatTensor(`${head.name}.weight`, [classes, hidden], head.weight));
      const bias = builder.initializer(floatTensor(`${head.name}.bias`, [classes], head.bias));
      builder.op('Gemm', [SENTENCE_EMBEDDING, weight, bias], { attributes: { transB: 1 }, output: logitsOutput(head.name) });
    });
    return valueInfo(logitsOutput(head.name), DataType.FLOAT, [BATCH_AXIS, classes]);
  });
  return encodeModel({
    graph: builder.graph('thaw_task_heads', [valueInfo(SENTENCE_EMBEDDING, DataType.FLOAT, [BATCH_AXIS, hidden])], outputs),
    docString: `Thaw task heads over the mean-pooled sentence embedding: ${heads.map((head) => head.name).join(', ')}`,
    metadata: Object.fromEntries(heads.map((head) => [labelsMetadataKey(head.name), JSON.stringify(head.labels)])),
  });
}
