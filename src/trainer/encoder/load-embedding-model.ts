// A model folder (or hub id) ready to embed sentences on the chosen encoder engine. On ONNX
// Runtime only the tokenizer, the weights as plain arrays and the session are loaded: never
// TensorFlow.js, whose start-up alone is a good part of a short `thaw embed`. The tfjs path is
// imported only when it is the one taken.

import type { EmbeddingModel } from '../embed-sentences';
import { openModelSource, type LoadProgress } from '../model/model-source';
import { encoderWeightArrays } from '../model/weight-arrays';
import type { EncoderEngine } from './encoder-engine';

/**
 * Loads `source` for embedding on `engine`; dispose its encoder when done.
 *
 * @example const model = await loadEmbeddingModel('models/minilm', chooseEncoderEngine()); try { ... } finally { await model.encoder.dispose(); }
 */
export async function loadEmbeddingModel(source: string, engine: EncoderEngine, onProgress: (progress: LoadProgress) => void = () => undefined): Promise<EmbeddingModel> {
  if (engine.name === 'tfjs') return (await import('./tfjs-encoder.js')).loadTfjsEmbeddingModel(source, engine.description, onProgress);
  const { folder, tokenizer } = await openModelSource(source, onProgress);
  const encoder = await engine.open(folder.config, encoderWeightArrays(folder));
  return { encoder, tokenizer, hiddenSize: folder.config.hidden_size, maxSeqLength: folder.maxSeqLength, maxPositions: folder.config.max_position_embeddings };
}
