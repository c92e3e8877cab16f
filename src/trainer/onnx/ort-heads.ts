// The task heads' ONNX model (heads-graph.ts) run by ONNX Runtime over pooled embeddings.

import type { HeadName } from '../model/parameter-groups';
import { SENTENCE_EMBEDDING } from './bert-graph';
import { buildHeadsModel, logitsOutput, type OnnxHead } from './heads-graph';
import { OrtSession, type OrtSessionOptions } from './ort-session';

export class OrtHeads {
  private constructor(
    private readonly session: OrtSession,
    readonly classes: ReadonlyMap<HeadName, number>,
    readonly hidden: number,
  ) {}

  /**
   * @example
   * const heads = await OrtHeads.create([{ name: 'task_a_head', labels, weight, bias }], 384);
   * const logits = await heads.logits(pooled, 2); // Map task_a_head -> Float32Array [2, classes]
   */
  static async create(heads: readonly OnnxHead[], hidden: number, options: OrtSessionOptions = {}): Promise<OrtHeads> {
    const session = await OrtSession.create(buildHeadsModel(heads, hidden), options);
    return new OrtHeads(session, new Map(heads.map((head) => [head.name, head.labels.length])), hidden);
  }

  /** Each head's logits, row-major [batch, classes], for pooled embeddings [batch, hidden]. */
  async logits(pooled: Float32Array, batchSize: number): Promise<Map<HeadName, Float32Array>> {
    if (this.session.disposed) throw new Error('these OrtHeads were disposed; create new ones');
    if (pooled.length !== batchSize * this.hidden) throw new Error(`${pooled.length} values are not ${batchSize} embeddings of ${this.hidden}`);
    const input = new this.session.ort.Tensor('float32', pooled, [batchSize, this.hidden]);
    const names = [...this.classes.keys()];
    const results = await this.session.run({ [SENTENCE_EMBEDDING]: input }, names.map(logitsOutput));
    return new Map(names.map((name) => [name, results[logitsOutput(name)].data as Float32Array]));
  }

  dispose(): Promise<void> {
    return this.session.dispose();
  }
}
