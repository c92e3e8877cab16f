// The ONNX training graph on paraphrase-MiniLM-L6-v2's exact shape (random weights, seed 42; the
// real tokenizer and dataset sentences from ../shared/, else skipped) against tfjs autodiff on
// the cpu backend with the same dropout masks. A small batch (2 x at most 16 tokens), as
// DECISIONS says: the cpu backend is slow. Tolerances: test/helpers/ort-step-fixture.ts.

import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { allGroupNames } from '../../src/core/vocabulary/groups';
import { initBackend } from '../../src/trainer/backend/tensorflow';
import { padBatch, type PaddedBatch } from '../../src/trainer/data/padded-batch';
import { MINILM_SHAPE, generateModelFolder } from '../../src/trainer/init/generate-model-folder';
import { loadSentenceModel } from '../../src/trainer/model/load-sentence-model';
import type { SentenceModel } from '../../src/trainer/model/sentence-model';
import { compareStep, worst } from '../helpers/ort-step-fixture';
import { sharedFolder, sharedTexts } from '../helpers/shared-data';
import { temporaryFolder } from '../helpers/tiny-model';

const MAX_TOKENS = 16;
const shared = sharedFolder();
const skip = shared === undefined ? 'needs ../shared/ (public MiniLM tokenizer and datasets)' : false;
const workspace = temporaryFolder();
let model: SentenceModel | undefined;
let batch: PaddedBatch;

before(async () => {
  if (shared === undefined) return;
  await initBackend('cpu');
  const folder = path.join(workspace.folder, 'minilm-shape');
  await generateModelFolder({ out: folder, shape: MINILM_SHAPE, seed: 42, tokenizer: { kind: 'folder', folder: path.join(shared, 'models', 'minilm-tokenizer') } });
  model = await loadSentenceModel(folder, { heads: { task_a_head: { labels: ['ABBR', 'DESC', 'ENTY', 'HUM', 'LOC', 'NUM'] }, task_b_head: { labels: ['neg', 'pos'] } }, seed: 5 });
  const texts = [...sharedTexts(path.join(shared, 'datasets', 'trec', 'train.csv'), 1), ...sharedTexts(path.join(shared, 'datasets', 'mr', 'train.csv'), 1)];
  batch = padBatch(texts.map((text) => model!.tokenizer.tokenize(text, MAX_TOKENS)), model.tokenizer.padTokenId);
});

after(async () => {
  await model?.dispose();
  workspace.cleanup();
});

test('every group trainable: the loss and all gradients match tfjs on the MiniLM shape', { skip }, async () => {
  const comparison = await compareStep(model!, allGroupNames(model!.config.num_hidden_layers), { head: 'task_a_head', batch, labels: [3, 1], lossWeight: 0.5 }, { threads: 2 });
  assert.equal(comparison.dropoutSites, 1 + 3 * 6 + 1);
  console.log(`MiniLM shape, every group: loss diff ${comparison.lossDifference.toExponential(2)}, worst gradient ${worst(comparison.errors)}`);
});

test('the last two layers and the head: gradients for exactly those groups match tfjs', { skip }, async () => {
  const comparison = await compareStep(model!, ['layer.4', 'layer.5', 'task_b_head'], { head: 'task_b_head', batch, labels: [0, 1], lossWeight: 1 }, { threads: 2 });
  assert.ok(comparison.ortGradientNames.every((name) => /^(encoder\.layer\.[45]\.|task_b_head\.)/.test(name)));
  console.log(`MiniLM shape, layers 4-5 + head: worst gradient ${worst(comparison.errors)}`);
});
