// BERT's encoder as Hugging Face's BertModel computes it (post-LayerNorm, absolute positions,
// token types, exact GELU), written with ops whose gradients run on every backend.

import type { Rank, Tensor, Tensor1D, Tensor2D, Tensor3D, Tensor4D } from '@tensorflow/tfjs';
import { tf } from '../backend/tensorflow';
import { embeddingLookup, plainMatMul, swapLastAxes } from '../backend/trainable-ops';
import { headSize, type BertConfig } from '../../core/model/bert-config';
import { MASKED_SCORE } from './attention-bias';
import { DropoutPlan } from './dropout';
import type { GroupName, ParameterSet } from './parameter-groups';

/** Token ids and masks of a padded batch, all int32 of shape [batch, sequence]. */
export interface EncoderInputs {
  readonly inputIds: Tensor2D;
  readonly attentionMask: Tensor2D;
  /** Zeros when absent (single-sentence input). */
  readonly tokenTypeIds?: Tensor2D;
}

export interface EncoderOutput {
  readonly lastHiddenState: Tensor3D;
  /** Like BertModel's hidden_states: the embeddings' output, then each layer's (N + 1 tensors). */
  readonly hiddenStates: readonly Tensor3D[];
}

export class BertEncoder {
  constructor(
    readonly config: BertConfig,
    private readonly parameters: ParameterSet,
  ) {}

  /**
   * Runs the encoder. Tensors it creates along the way are released; the outputs are the
   * caller's to dispose (or to let an enclosing tf.tidy release).
   *
   * @example const { lastHiddenState } = encoder.forward(inputs) // inference, no dropout
   */
  forward(inputs: EncoderInputs, dropout: DropoutPlan = DropoutPlan.none): EncoderOutput {
    return tf.tidy(() => {
      const [batch, length] = inputs.inputIds.shape;
      if (length > this.config.max_position_embeddings) {
        throw new Error(`sequence length ${length} exceeds max_position_embeddings ${this.config.max_position_embeddings}`);
      }
      const maskBias = tf.mul(tf.sub(1, tf.cast(inputs.attentionMask, 'float32')), MASKED_SCORE).reshape<Tensor4D>([batch, 1, 1, length]);
      let hidden = this.embed(inputs, dropout);
      const hiddenStates = [hidden];
      for (let index = 0; index < this.config.num_hidden_layers; index++) {
        hidden = this.layer(index, hidden, maskBias, dropout);
        hiddenStates.push(hidden);
      }
      return { lastHiddenState: hidden, hiddenStates };
    });
  }

  private weight(name: string): Tensor {
    const parameter = this.parameters.get(name);
    if (parameter === undefined) throw new Error(`the model has no weight ${name}`);
    return parameter.variable;
  }

  private embed(inputs: EncoderInputs, dropout: DropoutPlan): Tensor3D {
    const [batch, length] = inputs.inputIds.shape;
    const hiddenSize = this.config.hidden_size;
    const flatIds = inputs.inputIds.reshape<Tensor1D>([-1]);
    const positionIds = tf.tile<Tensor1D>(tf.range(0, length, 1, 'int32'), [batch]);
    const typeIds = inputs.tokenTypeIds?.reshape<Tensor1D>([-1]) ?? tf.zeros<Rank.R1>([batch * length], 'int32');
    const summed = tf.addN<Tensor2D>([
      embeddingLookup(this.weight('embeddings.word_embeddings.weight') as Tensor2D, flatIds),
      embeddingLookup(this.weight('embeddings.position_embeddings.weight') as Tensor2D, positionIds),
      embeddingLookup(this.weight('embeddings.token_type_embeddings.weight') as Tensor2D, typeIds),
    ]).reshape<Tensor3D>([batch, length, hiddenSize]);
    const normalized = this.layerNorm('embeddings.LayerNorm', summed);
    return dropout.apply('embeddings', 'embeddings.dropout', normalized, this.config.hidden_dropout_prob);
  }

  private layer(index: number, hidden: Tensor3D, maskBias: Tensor4D, dropout: DropoutPlan): Tensor3D {
    const group: GroupName = `layer.${index}`;
    const prefix = `encoder.layer.${index}`;
    const rate = this.config.hidden_dropout_prob;
    const context = this.selfAttention(prefix, group, hidden, maskBias, dropout);
    const attended = this.layerNorm(
      `${prefix}.attention.output.LayerNorm`,
      tf.add(dropout.apply(group, `${prefix}.attention.output.dropout`, this.linear(`${prefix}.attention.output.dense`, context), rate), hidden),
    );
    const intermediate = gelu(this.linear(`${prefix}.intermediate.dense`, attended));
    return this.layerNorm(
      `${prefix}.output.LayerNorm`,
      tf.add(dropout.apply(group, `${prefix}.output.dropout`, this.linear(`${prefix}.output.dense`, intermediate), rate), attended),
    );
  }

  private selfAttention(prefix: string, group: GroupName, hidden: Tensor3D, maskBias: Tensor4D, dropout: DropoutPlan): Tensor3D {
    const [batch, length, hiddenSize] = hidden.shape;
    const heads = this.config.num_attention_heads;
    const size = headSize(this.config);
    // [batch, length, hidden] -> [batch, heads, length, headSize]
    const splitHeads = (x: Tensor3D): Tensor4D => tf.transpose(x.reshape<Tensor4D>([batch, length, heads, size]), [0, 2, 1, 3]);
    const query = splitHeads(this.linear(`${prefix}.attention.self.query`, hidden));
    const key = splitHeads(this.linear(`${prefix}.attention.self.key`, hidden));
    const value = splitHeads(this.linear(`${prefix}.attention.self.value`, hidden));
    const scores = tf.add(tf.mul(plainMatMul(query, swapLastAxes(key)), 1 / Math.sqrt(size)), maskBias);
    const probabilities = dropout.apply(group, `${prefix}.attention.self.dropout`, tf.softmax(scores), this.config.attention_probs_dropout_prob);
    const context = plainMatMul(probabilities as Tensor4D, value);
    return tf.transpose(context, [0, 2, 1, 3]).reshape([batch, length, hiddenSize]);
  }

  /** x @ W^T + b with W in Hugging Face's [out, in] layout, over the last axis of x. */
  private linear(prefix: string, x: Tensor3D): Tensor3D {
    const [batch, length, inputs] = x.shape;
    const weight = this.weight(`${prefix}.weight`) as Tensor2D;
    const projected = plainMatMul(x.reshape<Tensor2D>([batch * length, inputs]), swapLastAxes(weight));
    return tf.add(projected, this.weight(`${prefix}.bias`)).reshape([batch, length, weight.shape[0]]);
  }

  private layerNorm(prefix: string, x: Tensor3D): Tensor3D {
    return layerNorm(x, this.weight(`${prefix}.weight`), this.weight(`${prefix}.bias`), this.config.layer_norm_eps);
  }
}

/** LayerNorm over the last axis with biased variance, as torch.nn.LayerNorm. */
function layerNorm<T extends Tensor>(x: T, gamma: Tensor, beta: Tensor, epsilon: number): T {
  const { mean, variance } = tf.moments(x, -1, true);
  return tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, epsilon))), gamma), beta);
}

/** GELU, exact form: x * Phi(x) = 0.5 x (1 + erf(x / sqrt 2)). */
function gelu<T extends Tensor>(x: T): T {
  return tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.mul(x, Math.SQRT1_2))));
}
