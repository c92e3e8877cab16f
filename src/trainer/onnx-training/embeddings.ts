// BERT's embeddings sum (word + position + token type, before LayerNorm) and the gradients of
// its tables. A lookup's gradient adds each token's row into its id's row. No ScatterND: with
// reduction 'add', ONNX Runtime 1.14 gets repeated indices wrong on 2 threads (1,024 rows into a
// 2-row table: off by 5.4; right on 1 thread and with ScatterElements; see training-opset.ts).
// Instead:
// - word table (30522 x 384 for MiniLM): the graph outputs the token rows and scatterAddRows
//   (word-embedding-gradient.ts) sums them in JavaScript, as DECISIONS allows. Zeroing,
//   scattering and copying 47 MB out in ORT also cost 76-220 ms a step against ~27 ms in JS.
// - positions: token t of every sentence has position t, so the batch's rows are summed and the
//   [length, hidden] result padded with zero rows up to max_position_embeddings.
// - token types (2 of them): one-hot(type)^T @ rows, a Gemm.

import type { GraphBuilder } from '../onnx/graph-builder';

export interface EmbeddingTables {
  readonly word: string;
  readonly position: string;
  readonly tokenType: string;
}

export interface EmbeddingGradients {
  /** dL/d(word rows) [batch * length, hidden]: the word table's gradient before the scatter-add. */
  readonly wordRows: string;
  readonly position: string;
  readonly tokenType: string;
}

export interface EmbeddingsSumResult {
  /** [batch * length, hidden] */
  readonly summed: string;
  /** int64 [length]: 0 .. length - 1. */
  readonly positionIds: string;
}

/** `inputIds` and `tokenTypeIds` are int64 [batch, length]. */
export function embeddingsSumForward(builder: GraphBuilder, tables: EmbeddingTables, inputIds: string, tokenTypeIds: string, hiddenSize: number): EmbeddingsSumResult {
  return builder.scoped('embeddings', () => {
    const words = builder.op('Gather', [tables.word, inputIds], { attributes: { axis: 0 } });
    const length = builder.op('Gather', [builder.op('Shape', [inputIds]), builder.int64([1], true)], { attributes: { axis: 0 } });
    const positionIds = builder.op('Range', [builder.int64([0], true), length, builder.int64([1], true)]);
    const positions = builder.op('Gather', [tables.position, positionIds], { attributes: { axis: 0 } });
    const types = builder.op('Gather', [tables.tokenType, tokenTypeIds], { attributes: { axis: 0 } });
    const summed = builder.op('Reshape', [builder.op('Add', [builder.op('Add', [words, positions]), types]), builder.int64([-1, hiddenSize])]);
    return { summed, positionIds };
  });
}

/**
 * The tables' gradients from dL/dsummed [batch * length, hidden]. `tokensShape` is the int64 [3]
 * value [batch, length, hidden]; `outputs` name the results.
 */
export function embeddingsSumBackward(
  builder: GraphBuilder,
  dSummed: string,
  tables: EmbeddingTables,
  tokenTypeIds: string,
  saved: EmbeddingsSumResult,
  tokensShape: string,
  outputs: EmbeddingGradients,
): EmbeddingGradients {
  return builder.scoped('embeddings_grad', () => {
    const rowsOf = (table: string): string => builder.op('Gather', [builder.op('Shape', [table]), builder.int64([0])], { attributes: { axis: 0 } });
    const byPosition = builder.op('ReduceSum', [builder.op('Reshape', [dSummed, tokensShape]), builder.int64([0])], { attributes: { keepdims: 0 } });
    const missingRows = builder.op('Sub', [rowsOf(tables.position), builder.op('Shape', [saved.positionIds])]);
    const pads = builder.op('Concat', [builder.int64([0, 0]), missingRows, builder.int64([0])], { attributes: { axis: 0 } });
    const typeCount = builder.op('Gather', [builder.op('Shape', [tables.tokenType]), builder.int64([0], true)], { attributes: { axis: 0 } });
    const types = builder.op('Range', [builder.int64([0], true), typeCount, builder.int64([1], true)]);
    const oneHot = builder.op('Cast', [builder.op('Equal', [builder.op('Reshape', [tokenTypeIds, builder.int64([-1, 1])]), types])], { attributes: { to: 1 } });
    return {
      wordRows: builder.op('Identity', [dSummed], { output: outputs.wordRows }),
      position: builder.op('Pad', [byPosition, pads], { output: outputs.position }),
      tokenType: builder.op('Gemm', [oneHot, dSummed], { attributes: { transA: 1 }, output: outputs.tokenType }),
    };
  });
}
