// `thaw export` of a model of paraphrase-MiniLM-L6-v2's exact shape (random weights, the real
// tokenizer from ../shared/, skipped where absent): transformers.js on onnx/ against Thaw's own
// embeddings of real dataset sentences, float32 and int8, and how long the export takes.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { initBackend } from '../../src/trainer/backend/tensorflow';
import { embedSentences } from '../../src/trainer/embed-sentences';
import { tfjsEmbeddingModel } from '../../src/trainer/encoder/tfjs-encoder';
import { MINILM_SHAPE, generateModelFolder } from '../../src/trainer/init/generate-model-folder';
import { loadSentenceModel } from '../../src/trainer/model/load-sentence-model';
import { sharedFolder, sharedTexts } from '../helpers/shared-data';
import { temporaryFolder } from '../helpers/tiny-model';
import { cosine, embedWithTransformersJs, maxAbsDifference } from '../helpers/transformers-js';

const CLI = path.resolve(__dirname, '../../src/trainer/cli/main.js');
const shared = sharedFolder();
const skip = shared === undefined ? 'needs ../shared/ (public MiniLM tokenizer and datasets)' : false;
const workspace = temporaryFolder('thaw-export-minilm-');
after(() => workspace.cleanup());

test('MiniLM shape: transformers.js on the export equals Thaw within 1e-4 (float32); int8 cosine >= 0.99', { skip, timeout: 600_000 }, async () => {
  const model = path.join(workspace.folder, 'minilm-shape');
  await generateModelFolder({ out: model, shape: MINILM_SHAPE, seed: 42, tokenizer: { kind: 'folder', folder: path.join(shared!, 'models', 'minilm-tokenizer') } });
  const exported = path.join(workspace.folder, 'exported');
  const started = Date.now();
  await new Promise<void>((resolve, reject) =>
    execFile(process.execPath, [CLI, 'export', model, '--out', exported, '--format', 'onnx'], (error, _stdout, stderr) => (error === null ? resolve() : reject(new Error(stderr)))),
  );
  const exportSeconds = (Date.now() - started) / 1000;

  const texts = sharedTexts(path.join(shared!, 'datasets', 'trec', 'train.csv'), 16);
  await initBackend();
  const thaw = await loadSentenceModel(model);
  const expected = (await embedSentences(tfjsEmbeddingModel(thaw), texts)).map((vector) => [...vector]);
  await thaw.dispose();
  const float32 = await embedWithTransformersJs(exported, texts, false);
  const int8 = await embedWithTransformersJs(exported, texts, true);
  const difference = maxAbsDifference(float32, expected);
  const cosines = int8.map((vector, index) => cosine(vector, expected[index]));
  const worst = Math.min(...cosines);
  const mean = cosines.reduce((sum, value) => sum + value, 0) / cosines.length;
  process.stderr.write(`# MiniLM shape: export ${exportSeconds.toFixed(1)} s; float32 max |difference| ${difference.toExponential(2)}; int8 cosine min ${worst.toFixed(5)}, mean ${mean.toFixed(5)} over ${texts.length} sentences\n`);
  assert.ok(difference <= 1e-4, `float32 differs by ${difference}`);
  assert.ok(worst >= 0.99, `int8 cosine ${worst}`);
});
