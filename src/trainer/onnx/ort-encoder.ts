// Thaw's encoder run by ONNX Runtime: the graph of bert-graph.ts built from weight arrays and
// loaded from memory. It gives what the tfjs SentenceModel gives in inference mode, faster and
// without starting tfjs (for `thaw embed`, embedding caches and drift checks).

import type { BertConfig } from '../../core/model/bert-config';
import type { PaddedBatch } from '../data/padded-batch';
import { LAST_HIDDEN_STATE, SENTENCE_EMBEDDING, buildEncoderModel } from './bert-graph';
import { OrtSession, type OrtSessionOptions } from './ort-session';

export class OrtEncoder {
  private constructor(
    private readonly session: OrtSession,
    readonly config: BertConfig,
  ) {}

  /**
   * Builds the pooled encoder graph from `weights` (Hugging Face names, as encoderWeightArrays
   * gives them) and opens an ONNX Runtime session on it.
   *
   * @example
   * const encoder = await OrtEncoder.create(folder.config, encoderWeightArrays(folder), { threads: 2 });
   * try { const pooled = await encoder.pooled(batch) } finally { await encoder.dispose() }
   */
  static async create(config: BertConfig, weights: ReadonlyMap<string, Float32Array>, options: OrtSessionOptions = {}): Promise<OrtEncoder> {
    return OrtEncoder.fromModel(buildEncoderModel(config, weights, { pooled: true }), config, options);
  }

  /** A session on encoder bytes built elsewhere (e.g. quantized); they must have both outputs. */
  static async fromModel(model: Uint8Array, config: BertConfig, options: OrtSessionOptions = {}): Promise<OrtEncoder> {
    return new OrtEncoder(await OrtSession.create(model, options), config);
  }

  /** e.g. `encoder: onnxruntime 1.14.0 (2 threads)` */
  get description(): string {
    return `encoder: ${this.session.description}`;
  }

  /** Mean-pooled sentence embeddings, row-major [batch, hidden]. */
  async pooled(batch: PaddedBatch): Promise<Float32Array> {
    return this.output(batch, SENTENCE_EMBEDDING);
  }

  /** The last layer's token vectors, row-major [batch, length, hidden]. */
  async lastHiddenState(batch: PaddedBatch): Promise<Float32Array> {
    return this.output(batch, LAST_HIDDEN_STATE);
  }

  /** Releases the session (see OrtSession.dispose); the encoder cannot be used afterwards. */
  dispose(): Promise<void> {
    return this.session.dispose();
  }

  private async output(batch: PaddedBatch, name: string): Promise<Float32Array> {
    if (this.session.disposed) throw new Error('this OrtEncoder was disposed; create a new one');
    if (batch.length > this.config.max_position_embeddings) {
      throw new Error(`sequence length ${batch.length} exceeds max_position_embeddings ${this.config.max_position_embeddings}`);
    }
    const { Tensor } = this.session.ort;
    const shape = [batch.batchSize, batch.length];
    // Single-sentence inputs: token type 0 everywhere, as SentenceModel.inputsFor gives tfjs.
    const feeds = {
      input_ids: new Tensor('int64', BigInt64Array.from(batch.inputIds, BigInt), shape),
      attention_mask: new Tensor('int64', BigInt64Array.from(batch.attentionMask, BigInt), shape),
      token_type_ids: new Tensor('int64', new BigInt64Array(batch.batchSize * batch.length), shape),
    };
    const results = await this.session.run(feeds, [name]);
    return results[name].data as Float32Array;
  }
}
