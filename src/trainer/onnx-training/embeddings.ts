// BERT's embeddings sum (word + position + token type, before LayerNorm) and the gradients of
// its tables. A lookup's gradient adds each token's row into its id's row. The position and
// token-type tables are small, and ScatterND with reduction 'add' on a zero table does it in the
// graph (ONNX Runtime 1.14 sums repeated ids correctly, see training-opset.ts). The word table
// (30522 x 384 for MiniLM) is not: zeroing, scattering and copying 47 MB out took ORT 76-220 ms a
// step here against ~27 ms for a fresh array and a scatter in JavaScript, so the graph outputs the
// token rows and scatterAddRows (word-embedding-gradient.ts) sums them, as DECISIONS allows.

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
    const scatterAdd = (table: string, ids: string, rows: string, output: string): string =>
      builder.op('ScatterND', [builder.op('ConstantOfShape', [builder.op('Shape', [table])]), ids, rows], { attributes: { reduction: 'add' }, output });
    const tokenIds = (ids: string): string => builder.op('Reshape', [ids, builder.int64([-1, 1])]);
    // Every sentence's token t has position t: the batch's rows are summed first, so the scatter has no repeated index.
    const byPosition = builder.op('ReduceSum', [builder.op('Reshape', [dSummed, tokensShape]), builder.int64([0])], { attributes: { keepdims: 0 } });
    return {
      wordRows: builder.op('Identity', [dSummed], { output: outputs.wordRows }),
      position: scatterAdd(tables.position, builder.op('Unsqueeze', [saved.positionIds, builder.int64([1])]), byPosition, outputs.position),
      tokenType: scatterAdd(tables.tokenType, tokenIds(tokenTypeIds), dSummed, outputs.tokenType),
    };
  });
}
