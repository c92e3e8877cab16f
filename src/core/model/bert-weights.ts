// The one list of the weights a BERT encoder has, with their Hugging Face names, shapes,
// groups and initialization. The loader, the saver and the model generator all read it, so a
// name can only be spelt one way.

import type { BertConfig } from './bert-config';
import type { GroupName } from '../vocabulary/groups';

/** BERT's initialization (Hugging Face `_init_weights`): normal(0, initializer_range), LayerNorm 1/0. */
export type Initializer = 'normal' | 'ones' | 'zeros';

export interface WeightSpec {
  readonly name: string;
  /** Hugging Face layout: a linear layer's weight is [out, in]. */
  readonly shape: readonly number[];
  readonly group: GroupName;
  readonly init: Initializer;
}

function linear(prefix: string, out: number, inputs: number, group: GroupName): WeightSpec[] {
  return [
    { name: `${prefix}.weight`, shape: [out, inputs], group, init: 'normal' },
    { name: `${prefix}.bias`, shape: [out], group, init: 'zeros' },
  ];
}

function layerNorm(prefix: string, size: number, group: GroupName): WeightSpec[] {
  return [
    { name: `${prefix}.weight`, shape: [size], group, init: 'ones' },
    { name: `${prefix}.bias`, shape: [size], group, init: 'zeros' },
  ];
}

/** The trainable weights of the encoder, embeddings first, then each layer. */
export function encoderWeightSpecs(config: BertConfig): WeightSpec[] {
  const hidden = config.hidden_size;
  const specs: WeightSpec[] = [
    { name: 'embeddings.word_embeddings.weight', shape: [config.vocab_size, hidden], group: 'embeddings', init: 'normal' },
    { name: 'embeddings.position_embeddings.weight', shape: [config.max_position_embeddings, hidden], group: 'embeddings', init: 'normal' },
    { name: 'embeddings.token_type_embeddings.weight', shape: [config.type_vocab_size, hidden], group: 'embeddings', init: 'normal' },
    ...layerNorm('embeddings.LayerNorm', hidden, 'embeddings'),
  ];
  for (let index = 0; index < config.num_hidden_layers; index++) {
    const group: GroupName = `layer.${index}`;
    const prefix = `encoder.layer.${index}`;
    specs.push(
      ...linear(`${prefix}.attention.self.query`, hidden, hidden, group),
      ...linear(`${prefix}.attention.self.key`, hidden, hidden, group),
      ...linear(`${prefix}.attention.self.value`, hidden, hidden, group),
      ...linear(`${prefix}.attention.output.dense`, hidden, hidden, group),
      ...layerNorm(`${prefix}.attention.output.LayerNorm`, hidden, group),
      ...linear(`${prefix}.intermediate.dense`, config.intermediate_size, hidden, group),
      ...linear(`${prefix}.output.dense`, hidden, config.intermediate_size, group),
      ...layerNorm(`${prefix}.output.LayerNorm`, hidden, group),
    );
  }
  return specs;
}

/**
 * BertModel's pooler ([CLS] -> dense -> tanh). Mean pooling does not use it, but Python's
 * BertModel expects it, so generated folders include it and loaded ones keep it unchanged.
 */
export function poolerWeightSpecs(config: BertConfig): Omit<WeightSpec, 'group'>[] {
  return linear('pooler.dense', config.hidden_size, config.hidden_size, 'embeddings').map(({ name, shape, init }) => ({ name, shape, init }));
}

/** A task head: one linear layer [classes, hidden] over the pooled sentence embedding. */
export function headWeightSpecs(head: GroupName, numClasses: number, hidden: number): WeightSpec[] {
  return linear(head, numClasses, hidden, head);
}
