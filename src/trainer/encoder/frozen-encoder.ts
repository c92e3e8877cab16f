// A frozen sentence encoder: token ids in, mean-pooled embeddings out, in inference mode.
// ONNX Runtime runs it where it loads (several times faster than tfjs' wasm backend here);
// TensorFlow.js runs it otherwise. Callers see only plain arrays, so the choice is invisible
// to them and the tfjs-free callers (`thaw embed`) never load TensorFlow.js.

import type { PaddedBatch } from '../data/padded-batch';

export interface FrozenEncoder {
  /** Which engine runs it, for people: "onnxruntime 1.14.0 (2 threads)". */
  readonly description: string;
  /** Mean-pooled, unnormalized embeddings, row-major [batch.batchSize, hidden]. */
  pooled(batch: PaddedBatch): Promise<Float32Array>;
  /** Releases the engine's session or tensors; the encoder cannot be used afterwards. */
  dispose(): Promise<void>;
}
