// The model Thaw trains: a BERT encoder, mean pooling, and up to two task heads, each a
// linear layer (dropout before it) over the pooled sentence embedding.

import type { Tensor2D } from '@tensorflow/tfjs';
import { tf } from '../backend/tensorflow';
import { plainMatMul, swapLastAxes } from '../backend/trainable-ops';
import type { PaddedBatch } from '../data/padded-batch';
import type { BertConfig } from '../../core/model/bert-config';
import { BertEncoder, type EncoderInputs, type EncoderOutput } from './bert-encoder';
import { DropoutPlan } from './dropout';
import { meanPool } from './mean-pooling';
import type { HeadName, ParameterSet } from './parameter-groups';
import type { SafetensorsTensor } from './safetensors';
import type { SentenceTokenizer } from './tokenizer';

/** What a head predicts: its class labels, in logit order. */
export interface HeadSpec {
  readonly labels: readonly string[];
}

export interface SentenceModelParts {
  readonly config: BertConfig;
  readonly parameters: ParameterSet;
  readonly tokenizer: SentenceTokenizer;
  readonly maxSeqLength: number;
  readonly heads: ReadonlyMap<HeadName, HeadSpec>;
  /** Tensors of model.safetensors that Thaw does not use (e.g. BertModel's pooler), written back unchanged. */
  readonly passthrough: readonly SafetensorsTensor[];
  /** The local folder the model came from; its tokenizer files are copied when saving. */
  readonly sourceFolder: string;
}

export class SentenceModel {
  readonly encoder: BertEncoder;

  constructor(readonly parts: SentenceModelParts) {
    this.encoder = new BertEncoder(parts.config, parts.parameters);
  }

  get config(): BertConfig {
    return this.parts.config;
  }

  get parameters(): ParameterSet {
    return this.parts.parameters;
  }

  get tokenizer(): SentenceTokenizer {
    return this.parts.tokenizer;
  }

  get maxSeqLength(): number {
    return this.parts.maxSeqLength;
  }

  /** int32 input tensors for a padded batch; the caller disposes them (or an enclosing tidy does). */
  inputsFor(batch: PaddedBatch): EncoderInputs {
    const shape: [number, number] = [batch.batchSize, batch.length];
    return { inputIds: tf.tensor2d(batch.inputIds, shape, 'int32'), attentionMask: tf.tensor2d(batch.attentionMask, shape, 'int32') };
  }

  encode(inputs: EncoderInputs, dropout: DropoutPlan = DropoutPlan.none): EncoderOutput {
    return this.encoder.forward(inputs, dropout);
  }

  /** Mean-pooled, unnormalized sentence embeddings [batch, hidden]. */
  embed(inputs: EncoderInputs, dropout: DropoutPlan = DropoutPlan.none): Tensor2D {
    return tf.tidy(() => meanPool(this.encode(inputs, dropout).lastHiddenState, inputs.attentionMask));
  }

  /** A head's logits [batch, classes] for pooled embeddings. */
  headLogits(head: HeadName, pooled: Tensor2D, dropout: DropoutPlan = DropoutPlan.none): Tensor2D {
    const weight = this.parameters.get(`${head}.weight`);
    const bias = this.parameters.get(`${head}.bias`);
    if (weight === undefined || bias === undefined) throw new Error(`the model has no ${head}`);
    const rate = typeof this.config.classifier_dropout === 'number' ? this.config.classifier_dropout : this.config.hidden_dropout_prob;
    return tf.tidy(() => {
      const dropped = dropout.apply(head, `${head}.dropout`, pooled, rate);
      return tf.add(plainMatMul(dropped, swapLastAxes(weight.variable as Tensor2D)), bias.variable);
    });
  }

  /** Releases every weight. The model cannot be used afterwards. */
  dispose(): Promise<void> {
    for (const parameter of this.parameters.all) parameter.variable.dispose();
    return Promise.resolve();
  }
}
