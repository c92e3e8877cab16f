// The word table's gradient from the training graph's token rows: each row added into its
// token id's row (repeated ids sum), in JavaScript, as embeddings.ts explains.

/**
 * A [vocabulary, hidden] gradient, zero but for the rows of `ids`; `rows` is [ids.length, hidden].
 *
 * @example scatterAddRows(batch.inputIds, rows, 30522, 384)
 */
export function scatterAddRows(ids: ArrayLike<number>, rows: Float32Array, vocabulary: number, hidden: number): Float32Array {
  if (rows.length !== ids.length * hidden) throw new Error(`${rows.length} values are not ${ids.length} rows of ${hidden}`);
  const gradient = new Float32Array(vocabulary * hidden);
  for (let token = 0; token < ids.length; token++) {
    const id = ids[token];
    if (!Number.isInteger(id) || id < 0 || id >= vocabulary) throw new RangeError(`token id ${id} is outside the vocabulary of ${vocabulary}`);
    const target = id * hidden;
    const source = token * hidden;
    for (let column = 0; column < hidden; column++) gradient[target + column] += rows[source + column];
  }
  return gradient;
}
