// The ONNX path on a model of paraphrase-MiniLM-L6-v2's exact shape (random weights, seed 42,
// the real tokenizer, real dataset sentences; skipped without ../shared/): ONNX Runtime against
// the tfjs encoder on a padded batch, the quantized model against float32, and the checker on
// full-size files. Small batch (4 x at most 32 tokens): the tfjs reference is slow on one core.

import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { initBackend, tf } from '../../src/trainer/backend/tensorflow';
import { padBatch, type PaddedBatch } from '../../src/trainer/data/padded-batch';
import { MINILM_SHAPE, generateModelFolder } from '../../src/trainer/init/generate-model-folder';
import { loadSentenceModel } from '../../src/trainer/model/load-sentence-model';
import type { SentenceModel } from '../../src/trainer/model/sentence-model';
import { sentenceModelWeightArrays } from '../../src/trainer/model/weight-arrays';
import { buildEncoderModel } from '../../src/trainer/onnx/bert-graph';
import { buildHeadsModel } from '../../src/trainer/onnx/heads-graph';
import { sentenceModelHeads } from '../../src/trainer/onnx/model-heads';
import { OrtEncoder } from '../../src/trainer/onnx/ort-encoder';
import { OrtHeads } from '../../src/trainer/onnx/ort-heads';
import { quantizeDynamic } from '../../src/trainer/onnx/quantize';
import { cosine, maxAbsDifference } from '../helpers/compare-arrays';
import { checkOnnxModel, onnxCheckerSkip } from '../helpers/onnx-checker';
import { sharedFolder, sharedTexts } from '../helpers/shared-data';
import { temporaryFolder } from '../helpers/tiny-model';

const MAX_TOKENS = 32;
const shared = sharedFolder();
const skip = shared === undefined ? 'needs ../shared/ (public MiniLM tokenizer and datasets)' : false;
const workspace = temporaryFolder();
let model: SentenceModel | undefined;
let encoderBytes: Uint8Array;
let encoder: OrtEncoder | undefined;
let batch: PaddedBatch;

before(async () => {
  if (shared === undefined) return;
  await initBackend();
  const folder = path.join(workspace.folder, 'minilm-shape');
  await generateModelFolder({ out: folder, shape: MINILM_SHAPE, seed: 42, tokenizer: { kind: 'folder', folder: path.join(shared, 'models', 'minilm-tokenizer') } });
  model = await loadSentenceModel(folder, { heads: { task_a_head: { labels: ['ABBR', 'DESC', 'ENTY', 'HUM', 'LOC', 'NUM'] }, task_b_head: { labels: ['neg', 'pos'] } }, seed: 5 });
  const texts = [...sharedTexts(path.join(shared, 'datasets', 'trec', 'train.csv'), 2), ...sharedTexts(path.join(shared, 'datasets', 'mr', 'train.csv'), 2)];
  batch = padBatch(texts.map((text) => model!.tokenizer.tokenize(text, MAX_TOKENS)), model.tokenizer.padTokenId);
  encoderBytes = buildEncoderModel(model.config, sentenceModelWeightArrays(model), { pooled: true });
  encoder = await OrtEncoder.fromModel(encoderBytes, model.config);
});

after(async () => {
  await encoder?.dispose();
  await model?.dispose();
  workspace.cleanup();
});

test('ONNX Runtime matches tfjs on a padded MiniLM-shaped batch within 1e-4', { skip }, async (t) => {
  const lengths = new Set(Array.from({ length: batch.batchSize }, (_, row) => batch.attentionMask.slice(row * batch.length, (row + 1) * batch.length).reduce((sum, bit) => sum + bit, 0)));
  assert.ok(lengths.size > 1, 'sentences of different lengths, so the batch has padding');
  const expected = tf.tidy(() => {
    const inputs = model!.inputsFor(batch);
    return { hidden: model!.encode(inputs).lastHiddenState.dataSync(), pooled: model!.embed(inputs).dataSync() };
  });
  const hiddenDifference = maxAbsDifference(await encoder!.lastHiddenState(batch), expected.hidden);
  const pooledDifference = maxAbsDifference(await encoder!.pooled(batch), expected.pooled);
  t.diagnostic(`max |diff| last_hidden_state ${hiddenDifference.toExponential(2)}, sentence_embedding ${pooledDifference.toExponential(2)} (${encoder!.description})`);
  assert.ok(hiddenDifference < 1e-4, `last_hidden_state: max |diff| ${hiddenDifference}`);
  assert.ok(pooledDifference < 1e-4, `sentence_embedding: max |diff| ${pooledDifference}`);
});

test('MiniLM-shaped head logits from heads.onnx match tfjs within 1e-5', { skip }, async () => {
  const pooled = await encoder!.pooled(batch);
  const heads = await OrtHeads.create(sentenceModelHeads(model!), model!.config.hidden_size);
  try {
    const logits = await heads.logits(pooled, batch.batchSize);
    for (const head of ['task_a_head', 'task_b_head'] as const) {
      const expected = tf.tidy(() => model!.headLogits(head, tf.tensor2d(pooled, [batch.batchSize, model!.config.hidden_size])).dataSync());
      const difference = maxAbsDifference(logits.get(head)!, expected);
      assert.ok(difference < 1e-5, `${head}: max |diff| ${difference}`);
    }
  } finally {
    await heads.dispose();
  }
});

for (const weightType of ['uint8', 'int8'] as const) {
  test(`the ${weightType}-quantized MiniLM-shaped encoder stays within cosine 0.99 of float32`, { skip }, async (t) => {
    const quantized = quantizeDynamic(encoderBytes, { weightType });
    assert.ok(quantized.byteLength < encoderBytes.byteLength * 0.3, `${quantized.byteLength} bytes against ${encoderBytes.byteLength}`);
    const small = await OrtEncoder.fromModel(quantized, model!.config);
    try {
      const expected = await encoder!.pooled(batch);
      const actual = await small.pooled(batch);
      const hidden = model!.config.hidden_size;
      const similarities = Array.from({ length: batch.batchSize }, (_, row) => cosine(actual, expected, row * hidden, hidden));
      t.diagnostic(`cosine to float32 per sentence: ${similarities.map((value) => value.toFixed(5)).join(', ')}; ${(quantized.byteLength / 1e6).toFixed(1)} MB against ${(encoderBytes.byteLength / 1e6).toFixed(1)} MB`);
      similarities.forEach((similarity, row) => assert.ok(similarity > 0.99, `row ${row}: cosine ${similarity}`));
    } finally {
      await small.dispose();
    }
  });
}

test('disposed sessions give their native memory back (ORT 1.14 frees it only on garbage collection)', { skip }, async (t) => {
  const sessions = 6;
  const before = process.memoryUsage().rss;
  for (let index = 0; index < sessions; index++) {
    const session = await OrtEncoder.fromModel(encoderBytes, model!.config, { threads: 1 });
    await session.pooled(batch);
    await session.dispose();
  }
  const growth = process.memoryUsage().rss - before;
  t.diagnostic(`RSS grew ${(growth / 1e6).toFixed(0)} MB over ${sessions} sessions of a ${(encoderBytes.byteLength / 1e6).toFixed(0)} MB model`);
  // Without the collection each session stayed resident: about 100 MB apiece.
  assert.ok(growth < 2.5 * encoderBytes.byteLength, `RSS grew ${growth} bytes`);
});

test('the checker accepts the full-size encoder, quantized encoder and heads', { skip: skip || onnxCheckerSkip() }, () => {
  checkOnnxModel(encoderBytes, workspace.folder, 'model.onnx');
  checkOnnxModel(quantizeDynamic(encoderBytes), workspace.folder, 'model_quantized.onnx');
  checkOnnxModel(buildHeadsModel(sentenceModelHeads(model!), model!.config.hidden_size), workspace.folder, 'heads.onnx');
});
