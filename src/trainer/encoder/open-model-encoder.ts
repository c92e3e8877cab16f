// The frozen encoder of a loaded (training) model, on the process' encoder engine: an ONNX
// Runtime session built from the weights as they are now in memory (no file), or the model's
// own tfjs forward pass.

import type { SentenceModel } from '../model/sentence-model';
import { sentenceModelWeightArrays } from '../model/weight-arrays';
import type { EncoderEngine } from './encoder-engine';
import type { FrozenEncoder } from './frozen-encoder';
import { tfjsFrozenEncoder } from './tfjs-encoder';

/** `model`'s encoder as it is now; the caller disposes it (the model stays). */
export async function openModelEncoder(engine: EncoderEngine, model: SentenceModel): Promise<FrozenEncoder> {
  if (engine.name === 'tfjs') return tfjsFrozenEncoder(model, engine.description);
  return engine.open(model.config, sentenceModelWeightArrays(model));
}
