// An exported folder as transformers.js users load it: its feature-extraction pipeline over the
// local folder, nothing fetched. And the small vector comparisons the export tests state.

import * as path from 'node:path';
import { onnx } from 'onnx-proto';
import { importTransformers } from '../../src/trainer/model/tokenizer';

type Extractor = (texts: string[], options: { pooling: 'mean'; normalize: boolean }) => Promise<{ tolist(): number[][] }>;
type Pipeline = (task: 'feature-extraction', model: string, options: { quantized: boolean }) => Promise<Extractor & { dispose(): Promise<void> }>;

/** Mean-pooled embeddings of `texts` by transformers.js from onnx/model.onnx (or model_quantized.onnx). */
export async function embedWithTransformersJs(folder: string, texts: readonly string[], quantized: boolean): Promise<number[][]> {
  const transformers = (await importTransformers()) as unknown as { env: Record<string, unknown>; pipeline: Pipeline };
  // As a user would: the folder's parent is where local models are, and nothing is remote.
  Object.assign(transformers.env, { allowLocalModels: true, allowRemoteModels: false, useFSCache: false, localModelPath: `${path.dirname(path.resolve(folder))}${path.sep}` });
  const extractor = await transformers.pipeline('feature-extraction', path.basename(folder), { quantized });
  try {
    return (await extractor([...texts], { pooling: 'mean', normalize: false })).tolist();
  } finally {
    await extractor.dispose();
  }
}

export function maxAbsDifference(a: readonly (readonly number[])[], b: readonly (readonly number[])[]): number {
  if (a.length !== b.length) throw new Error(`${a.length} vectors against ${b.length}`);
  return Math.max(...a.map((vector, row) => Math.max(...vector.map((value, index) => Math.abs(value - b[row][index])))));
}

export function cosine(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  let normA = 0;
  let normB = 0;
  a.forEach((value, index) => {
    dot += value * b[index];
    normA += value * value;
    normB += b[index] * b[index];
  });
  return dot / Math.sqrt(normA * normB);
}

/** An ONNX model's metadata_props as a map. */
export function onnxMetadata(model: Uint8Array): Record<string, string> {
  const decoded = onnx.ModelProto.decode(model);
  return Object.fromEntries(decoded.metadataProps.map((entry) => [entry.key ?? '', entry.value ?? '']));
}
