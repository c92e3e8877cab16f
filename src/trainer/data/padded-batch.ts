// Batches of token id sequences padded to their own longest member, never to a fixed length:
// attention costs grow with the square of the padded length.

/** Token ids and attention mask of one batch, row-major [batchSize, length]. */
export interface PaddedBatch {
  readonly batchSize: number;
  readonly length: number;
  readonly inputIds: Int32Array;
  readonly attentionMask: Int32Array;
}

/** Pads `sequences` with `padTokenId` to the longest one; the mask is 1 on real tokens. */
export function padBatch(sequences: readonly (readonly number[])[], padTokenId: number): PaddedBatch {
  const length = Math.max(0, ...sequences.map((sequence) => sequence.length));
  const inputIds = new Int32Array(sequences.length * length).fill(padTokenId);
  const attentionMask = new Int32Array(sequences.length * length);
  sequences.forEach((sequence, row) => {
    inputIds.set(sequence, row * length);
    attentionMask.fill(1, row * length, row * length + sequence.length);
  });
  return { batchSize: sequences.length, length, inputIds, attentionMask };
}

/**
 * Groups item indices into batches of similar length (sorted by length, stable), so that
 * little of each batch is padding.
 *
 * @example lengthBucketedBatches([5, 2, 9, 3], 2) // [[1, 3], [0, 2]]
 */
export function lengthBucketedBatches(lengths: readonly number[], batchSize: number): number[][] {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`batch size must be a positive integer, got ${batchSize}`);
  const order = lengths.map((_, index) => index).sort((a, b) => lengths[a] - lengths[b] || a - b);
  const batches: number[][] = [];
  for (let start = 0; start < order.length; start += batchSize) batches.push(order.slice(start, start + batchSize));
  return batches;
}
