// The ONNX encoder and heads run by ONNX Runtime against Thaw's tfjs model, on a seeded tiny
// model folder: token vectors and pooled embeddings of a padded batch within 1e-4 absolute,
// head logits within 1e-5; reproducible bytes; a disposed session refusing work.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { initBackend, tf } from '../../src/trainer/backend/tensorflow';
import { padBatch, type PaddedBatch } from '../../src/trainer/data/padded-batch';
import { loadSentenceModel } from '../../src/trainer/model/load-sentence-model';
import { readModelFolder } from '../../src/trainer/model/model-folder';
import type { SentenceModel } from '../../src/trainer/model/sentence-model';
import { encoderWeightArrays, sentenceModelWeightArrays } from '../../src/trainer/model/weight-arrays';
import { onnx } from 'onnx-proto';
import { buildEncoderModel } from '../../src/trainer/onnx/bert-graph';
import { buildHeadsModel } from '../../src/trainer/onnx/heads-graph';
import { OrtEncoder } from '../../src/trainer/onnx/ort-encoder';
import { OrtHeads } from '../../src/trainer/onnx/ort-heads';
import { sentenceModelHeads } from '../../src/trainer/onnx/model-heads';
import { maxAbsDifference } from '../helpers/compare-arrays';
import { PARITY_SENTENCES } from '../helpers/parity-sentences';
import { temporaryFolder, writeTinyModel } from '../helpers/tiny-model';


const workspace = temporaryFolder();
let model: SentenceModel;
let weights: Map<string, Float32Array>;
let encoder: OrtEncoder;
let batch: PaddedBatch;

before(async () => {
  await initBackend();
  const folder = await writeTinyModel(workspace.folder);
  model = await loadSentenceModel(folder, { heads: { task_a_head: { labels: ['x', 'y', 'z'] }, task_b_head: { labels: ['no', 'yes'] } }, seed: 3 });
  weights = encoderWeightArrays(await readModelFolder(folder));
  encoder = await OrtEncoder.create(model.config, weights, { threads: 1 });
  batch = padBatch(PARITY_SENTENCES.map((text) => model.tokenizer.tokenize(text, model.maxSeqLength)), model.tokenizer.padTokenId);
});

after(async () => {
  await encoder.dispose();
  await model.dispose();
  workspace.cleanup();
});

test("the folder's weight arrays are the loaded model's variables", () => {
  const fromVariables = sentenceModelWeightArrays(model);
  assert.deepEqual([...fromVariables.keys()], [...weights.keys()]);
  for (const [name, values] of weights) assert.equal(maxAbsDifference(fromVariables.get(name)!, values), 0, name);
});

test('last_hidden_state of a padded batch matches tfjs within 1e-4, padding positions included', async (t) => {
  assert.ok(new Set(PARITY_SENTENCES.map((text) => model.tokenizer.tokenize(text, 48).length)).size > 1, 'sentences of different lengths');
  const expected = tf.tidy(() => model.encode(model.inputsFor(batch)).lastHiddenState.dataSync());
  const actual = await encoder.lastHiddenState(batch);
  assert.equal(actual.length, batch.batchSize * batch.length * model.config.hidden_size);
  const difference = maxAbsDifference(actual, expected);
  t.diagnostic(`max |diff| ${difference.toExponential(2)}`);
  assert.ok(difference < 1e-4, `max |diff| ${difference}`);
});

test('pooled embeddings of a padded batch match tfjs within 1e-4', async (t) => {
  const expected = tf.tidy(() => model.embed(model.inputsFor(batch)).dataSync());
  const actual = await encoder.pooled(batch);
  assert.equal(actual.length, batch.batchSize * model.config.hidden_size);
  const difference = maxAbsDifference(actual, expected);
  t.diagnostic(`max |diff| ${difference.toExponential(2)}`);
  assert.ok(difference < 1e-4, `max |diff| ${difference}`);
});

test('an all-padding row pools to zeros, not NaN, as in tfjs', async () => {
  const padded = padBatch([model.tokenizer.tokenize(PARITY_SENTENCES[0], 48), []], model.tokenizer.padTokenId);
  const pooled = await encoder.pooled(padded);
  const hidden = model.config.hidden_size;
  assert.ok(pooled.slice(hidden).every((value) => value === 0));
  assert.ok(pooled.slice(0, hidden).some((value) => value !== 0));
});

test('head logits from heads.onnx match tfjs headLogits within 1e-5', async () => {
  const pooled = await encoder.pooled(batch);
  const heads = await OrtHeads.create(sentenceModelHeads(model), model.config.hidden_size, { threads: 1 });
  try {
    const logits = await heads.logits(pooled, batch.batchSize);
    for (const head of ['task_a_head', 'task_b_head'] as const) {
      const expected = tf.tidy(() => model.headLogits(head, tf.tensor2d(pooled, [batch.batchSize, model.config.hidden_size])).dataSync());
      const actual = logits.get(head)!;
      assert.equal(actual.length, expected.length);
      const difference = maxAbsDifference(actual, expected);
      assert.ok(difference < 1e-5, `${head}: max |diff| ${difference}`);
    }
  } finally {
    await heads.dispose();
  }
});

test("heads.onnx keeps each head's labels in its metadata, and its outputs are named by head", () => {
  const heads = onnx.ModelProto.decode(buildHeadsModel(sentenceModelHeads(model), model.config.hidden_size));
  const metadata: Record<string, string> = Object.fromEntries(heads.metadataProps.map(({ key, value }) => [key ?? '', value ?? '']));
  assert.deepEqual(metadata, { 'task_a_head.labels': '["x","y","z"]', 'task_b_head.labels': '["no","yes"]' });
  assert.deepEqual(heads.graph!.output!.map((output) => output.name), ['task_a_head_logits', 'task_b_head_logits']);
});

test('the same weights give the same bytes; other weights other bytes', () => {
  const first = buildEncoderModel(model.config, weights, { pooled: true });
  const second = buildEncoderModel(model.config, new Map([...weights].map(([name, values]) => [name, values.slice()])), { pooled: true });
  assert.ok(Buffer.from(first).equals(Buffer.from(second)));
  const changed = new Map(weights);
  const bias = weights.get('encoder.layer.1.output.dense.bias')!.slice();
  bias[0] += 1;
  changed.set('encoder.layer.1.output.dense.bias', bias);
  assert.ok(!Buffer.from(first).equals(Buffer.from(buildEncoderModel(model.config, changed, { pooled: true }))));
});

test('a missing weight is an error that names it', () => {
  const partial = new Map(weights);
  partial.delete('encoder.layer.0.attention.self.key.weight');
  assert.throws(() => buildEncoderModel(model.config, partial), /encoder\.layer\.0\.attention\.self\.key\.weight/);
});

test('a disposed encoder refuses work with a clear error, and a second dispose does nothing', async () => {
  const disposable = await OrtEncoder.create(model.config, weights, { threads: 1 });
  assert.match(disposable.description, /^encoder: onnxruntime 1\.14\.0 \(1 thread\)$/);
  await disposable.dispose();
  await disposable.dispose();
  await assert.rejects(disposable.pooled(batch), /disposed/);
});
