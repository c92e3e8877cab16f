// The frozen encoder on TensorFlow.js: the training model's own forward pass, without
// dropout. Used where ONNX Runtime does not load, or when THAW_ENCODER=tfjs asks for it.

import { initBackend, tf } from '../backend/tensorflow';
import { loadSentenceModel } from '../model/load-sentence-model';
import type { LoadProgress } from '../model/model-source';
import type { SentenceModel } from '../model/sentence-model';
import type { EmbeddingModel } from '../embed-sentences';
import type { FrozenEncoder } from './frozen-encoder';

/** `model`'s encoder as a FrozenEncoder; disposing it leaves the model alone. */
export function tfjsFrozenEncoder(model: SentenceModel, description = 'tensorflow.js'): FrozenEncoder {
  return {
    description,
    async pooled(batch) {
      const pooled = tf.tidy(() => model.embed(model.inputsFor(batch)));
      try {
        return (await pooled.data()) as Float32Array;
      } finally {
        pooled.dispose();
      }
    },
    dispose: () => Promise.resolve(),
  };
}

/** A loaded model as embedSentences takes it, encoded by tfjs. */
export function tfjsEmbeddingModel(model: SentenceModel, description?: string): EmbeddingModel {
  return {
    encoder: tfjsFrozenEncoder(model, description),
    tokenizer: model.tokenizer,
    hiddenSize: model.config.hidden_size,
    maxSeqLength: model.maxSeqLength,
    maxPositions: model.config.max_position_embeddings,
  };
}

/** Loads `source` on tfjs for embedding; disposing its encoder releases the model. */
export async function loadTfjsEmbeddingModel(source: string, engineDescription: string, onProgress: (progress: LoadProgress) => void): Promise<EmbeddingModel> {
  const backend = await initBackend();
  const model = await loadSentenceModel(source, { onProgress });
  const embedding = tfjsEmbeddingModel(model, `${engineDescription} on ${backend.description.replace(/^backend: /, '')}`);
  return { ...embedding, encoder: { ...embedding.encoder, dispose: () => model.dispose() } };
}
