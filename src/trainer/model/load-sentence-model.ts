// The one factory through which every model is loaded: a local folder or a hub id, with
// progress reported through a callback (transformers.js' pipeline() does the same).

import { encoderParameters, headParameters } from './load-weights';
import { openModelSource, type LoadProgress } from './model-source';
import { ParameterSet, type HeadName } from './parameter-groups';
import { SentenceModel, type HeadSpec } from './sentence-model';

export { describeLoadProgress, type LoadProgress } from './model-source';

export interface LoadOptions {
  readonly onProgress?: (progress: LoadProgress) => void;
  /** Heads the caller needs, by their labels; those the folder lacks are created (seeded). */
  readonly heads?: Partial<Record<HeadName, HeadSpec>>;
  /** Seeds the initialization of new heads. */
  readonly seed?: number;
}

/**
 * Loads a sentence model from a local folder or a Hugging Face hub id.
 *
 * @example
 * const model = await loadSentenceModel('models/minilm', { onProgress: (p) => console.error(p.stage) });
 * try { ... } finally { await model.dispose(); }
 */
export async function loadSentenceModel(source: string, options: LoadOptions = {}): Promise<SentenceModel> {
  const { folderPath, folder, tokenizer } = await openModelSource(source, options.onProgress ?? (() => undefined));
  const encoder = encoderParameters(folder);
  let heads: ReturnType<typeof headParameters>;
  try {
    heads = headParameters(folder, options.heads ?? {}, options.seed ?? 0);
  } catch (error) {
    encoder.parameters.forEach((parameter) => parameter.variable.dispose());
    throw error;
  }
  return new SentenceModel({
    config: folder.config,
    parameters: new ParameterSet(folder.config.num_hidden_layers, [...encoder.parameters, ...heads.parameters]),
    tokenizer,
    maxSeqLength: folder.maxSeqLength,
    heads: heads.heads,
    passthrough: encoder.passthrough,
    sourceFolder: folderPath,
  });
}
