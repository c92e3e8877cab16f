// Sentence embeddings as sentence-transformers' encode() gives them: tokenized, batched by
// similar length, encoded in inference mode, mean-pooled, returned in input order. Which
// engine encodes is the FrozenEncoder's business; this module never loads TensorFlow.js.

import { lengthBucketedBatches, padBatch } from './data/padded-batch';
import type { FrozenEncoder } from './encoder/frozen-encoder';
import type { SentenceTokenizer } from './model/tokenizer';

/** What embedding needs of a model: its encoder, its tokenizer and its limits. */
export interface EmbeddingModel {
  readonly encoder: FrozenEncoder;
  readonly tokenizer: SentenceTokenizer;
  readonly hiddenSize: number;
  /** The model folder's longest input in tokens (sentence-transformers' max_seq_length). */
  readonly maxSeqLength: number;
  /** The model's position embeddings: no input may be longer. */
  readonly maxPositions: number;
}

export interface EmbedOptions {
  readonly batchSize?: number;
  /** Longest input in tokens; longer sentences are truncated. Default: the model folder's. */
  readonly maxSeqLength?: number;
  /** Called after each batch with the number of sentences done so far. */
  readonly onProgress?: (done: number, total: number) => void;
}

/**
 * Mean-pooled, unnormalized embeddings of `texts`, one Float32Array each, in input order.
 *
 * @example const [vector] = await embedSentences(model, ['A cat sat on the mat.'])
 */
export async function embedSentences(model: EmbeddingModel, texts: readonly string[], options: EmbedOptions = {}): Promise<Float32Array[]> {
  const maxSeqLength = options.maxSeqLength ?? model.maxSeqLength;
  if (!Number.isInteger(maxSeqLength) || maxSeqLength < 2 || maxSeqLength > model.maxPositions) {
    throw new RangeError(`max sequence length must be an integer from 2 to ${model.maxPositions}, got ${maxSeqLength}`);
  }
  const tokenized = texts.map((text) => model.tokenizer.tokenize(text, maxSeqLength));
  const embeddings = new Array<Float32Array>(texts.length);
  const hidden = model.hiddenSize;
  let done = 0;
  for (const indices of lengthBucketedBatches(tokenized.map((ids) => ids.length), options.batchSize ?? 32)) {
    const values = await model.encoder.pooled(padBatch(indices.map((index) => tokenized[index]), model.tokenizer.padTokenId));
    indices.forEach((index, row) => (embeddings[index] = values.slice(row * hidden, (row + 1) * hidden)));
    done += indices.length;
    options.onProgress?.(done, texts.length);
  }
  return embeddings;
}
