// Sentence embeddings as sentence-transformers' encode() gives them: tokenized, batched by
// similar length, encoded in inference mode, mean-pooled, returned in input order.

import { tf } from './backend/tensorflow';
import { lengthBucketedBatches, padBatch } from './data/padded-batch';
import type { SentenceModel } from './model/sentence-model';

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
export async function embedSentences(model: SentenceModel, texts: readonly string[], options: EmbedOptions = {}): Promise<Float32Array[]> {
  const maxSeqLength = options.maxSeqLength ?? model.maxSeqLength;
  if (!Number.isInteger(maxSeqLength) || maxSeqLength < 2 || maxSeqLength > model.config.max_position_embeddings) {
    throw new RangeError(`max sequence length must be an integer from 2 to ${model.config.max_position_embeddings}, got ${maxSeqLength}`);
  }
  const tokenized = texts.map((text) => model.tokenizer.tokenize(text, maxSeqLength));
  const embeddings = new Array<Float32Array>(texts.length);
  let done = 0;
  for (const indices of lengthBucketedBatches(tokenized.map((ids) => ids.length), options.batchSize ?? 32)) {
    const batch = padBatch(indices.map((index) => tokenized[index]), model.tokenizer.padTokenId);
    const pooled = tf.tidy(() => model.embed(model.inputsFor(batch)));
    const values = (await pooled.data()) as Float32Array;
    pooled.dispose();
    const hidden = model.config.hidden_size;
    indices.forEach((index, row) => (embeddings[index] = values.slice(row * hidden, (row + 1) * hidden)));
    done += indices.length;
    options.onProgress?.(done, texts.length);
  }
  return embeddings;
}
