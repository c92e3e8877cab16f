// transformers.js (the library Thaw's users embed with) loads the folder's onnx/model.onnx and
// onnx/model_quantized.onnx as written by writeOnnxFiles, and its mean-pooled feature
// extraction gives Thaw's embeddings: within 1e-5 for float32, cosine 0.99 for quantized.

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { padBatch } from '../../src/trainer/data/padded-batch';
import { readModelFolder, type ModelFolder } from '../../src/trainer/model/model-folder';
import { loadTokenizer, importTransformers } from '../../src/trainer/model/tokenizer';
import { encoderWeightArrays } from '../../src/trainer/model/weight-arrays';
import { ONNX_HEADS_FILE, ONNX_MODEL_FILE, ONNX_QUANTIZED_FILE, writeOnnxFiles } from '../../src/trainer/onnx/onnx-files';
import { OrtEncoder } from '../../src/trainer/onnx/ort-encoder';
import { cosine, maxAbsDifference } from '../helpers/compare-arrays';
import { TINY_CORPUS, temporaryFolder, writeTinyModel } from '../helpers/tiny-model';

/** The part of transformers.js' pipeline API this test uses. */
type FeatureExtractor = (texts: string[], options: { pooling: 'mean'; normalize: boolean }) => Promise<{ data: Float32Array; dims: number[] }>;
type PipelineFactory = (task: 'feature-extraction', model: string, options: { quantized: boolean; local_files_only: boolean }) => Promise<FeatureExtractor>;

const TEXTS = TINY_CORPUS.slice(0, 4);
const workspace = temporaryFolder();
let folderPath: string;
let folder: ModelFolder;
let expected: Float32Array;

before(async () => {
  folderPath = path.resolve(await writeTinyModel(workspace.folder));
  folder = await readModelFolder(folderPath);
  await writeOnnxFiles(folderPath, { config: folder.config, weights: encoderWeightArrays(folder) });
  const tokenizer = await loadTokenizer(folderPath);
  const encoder = await OrtEncoder.create(folder.config, encoderWeightArrays(folder), { threads: 1 });
  try {
    expected = await encoder.pooled(padBatch(TEXTS.map((text) => tokenizer.tokenize(text, 48)), tokenizer.padTokenId));
  } finally {
    await encoder.dispose();
  }
});

after(() => workspace.cleanup());

async function transformersEmbeddings(quantized: boolean): Promise<{ data: Float32Array; dims: number[] }> {
  // loadTokenizer has set transformers.js to read absolute local folders only.
  const { pipeline } = (await importTransformers()) as unknown as { pipeline: PipelineFactory };
  const extractor = await pipeline('feature-extraction', folderPath, { quantized, local_files_only: true });
  return extractor(TEXTS, { pooling: 'mean', normalize: false });
}

test('writeOnnxFiles puts the files where transformers.js looks, heads only when given', () => {
  assert.ok(existsSync(path.join(folderPath, ONNX_MODEL_FILE)));
  assert.ok(existsSync(path.join(folderPath, ONNX_QUANTIZED_FILE)));
  assert.ok(!existsSync(path.join(folderPath, ONNX_HEADS_FILE)));
});

test("transformers.js' mean pooling over onnx/model.onnx gives Thaw's embeddings within 1e-5", async () => {
  const { data, dims } = await transformersEmbeddings(false);
  assert.deepEqual(dims, [TEXTS.length, folder.config.hidden_size]);
  const difference = maxAbsDifference(data, expected);
  assert.ok(difference < 1e-5, `max |diff| ${difference}`);
});

test('transformers.js loads onnx/model_quantized.onnx (its default) within cosine 0.99', async () => {
  const { data } = await transformersEmbeddings(true);
  const hidden = folder.config.hidden_size;
  for (let row = 0; row < TEXTS.length; row++) {
    const similarity = cosine(data, expected, row * hidden, hidden);
    assert.ok(similarity > 0.99, `row ${row}: cosine ${similarity}`);
  }
});
