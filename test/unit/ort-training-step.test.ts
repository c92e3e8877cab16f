// The ONNX training graph's loss and gradients for one task batch against tfjs autodiff (cpu
// backend) on Thaw's own model code, on the seeded tiny model, with the same dropout masks fed
// to both. Tolerances: test/helpers/ort-step-fixture.ts (1e-4 of each tensor's largest value,
// floor 1e-6; loss 1e-5 absolute).

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { allGroupNames } from '../../src/core/vocabulary/groups';
import { initBackend } from '../../src/trainer/backend/tensorflow';
import { padBatch, type PaddedBatch } from '../../src/trainer/data/padded-batch';
import { loadSentenceModel } from '../../src/trainer/model/load-sentence-model';
import type { SentenceModel } from '../../src/trainer/model/sentence-model';
import { dropoutMaskSize } from '../../src/trainer/onnx-training/dropout-sites';
import { OrtTrainingStep } from '../../src/trainer/onnx-training/ort-training-step';
import { compareStep, modelWeights, worst, type StepCase } from '../helpers/ort-step-fixture';
import { TINY_CORPUS, temporaryFolder, writeTinyModel } from '../helpers/tiny-model';

let model: SentenceModel;
let batch: PaddedBatch;
let tokenTypeIds: Int32Array;
const workspace = temporaryFolder();

before(async () => {
  await initBackend('cpu');
  model = await loadSentenceModel(await writeTinyModel(workspace.folder), { heads: { task_a_head: { labels: ['a', 'b', 'c'] }, task_b_head: { labels: ['negative', 'positive'] } }, seed: 3 });
  // Padding, repeated token ids (the embedding gradient's scatter-add) and both token types.
  batch = padBatch([TINY_CORPUS[0], TINY_CORPUS[3], 'Not bad.', TINY_CORPUS[0]].map((text) => model.tokenizer.tokenize(text, 32)), model.tokenizer.padTokenId);
  tokenTypeIds = Int32Array.from(batch.inputIds, (_, index) => (index % batch.length > batch.length / 2 ? 1 : 0));
});

after(async () => {
  await model.dispose();
  workspace.cleanup();
});

const taskA = (): StepCase => ({ head: 'task_a_head', batch, tokenTypeIds, labels: [0, 2, 1, 2], lossWeight: 0.7 });

test('every group trainable: loss and every gradient match tfjs', async () => {
  const comparison = await compareStep(model, allGroupNames(model.config.num_hidden_layers), taskA());
  assert.equal(comparison.ortGradientNames.length, model.parameters.all.length - 2, 'every weight but the other head');
  assert.equal(comparison.dropoutSites, 1 + 3 * model.config.num_hidden_layers + 1, 'dropout at every site');
  console.log(`all groups: loss diff ${comparison.lossDifference.toExponential(2)}, worst gradient ${worst(comparison.errors)}`);
});

test('2 threads give the same gradients within the tolerance', async () => {
  await compareStep(model, allGroupNames(model.config.num_hidden_layers), taskA(), { threads: 2, seed: 2 });
});

test('top layer and head only: frozen groups get no gradient output', async () => {
  const comparison = await compareStep(model, ['layer.1', 'task_a_head'], taskA());
  assert.ok(comparison.ortGradientNames.every((name) => name.startsWith('encoder.layer.1.') || name.startsWith('task_a_head.')));
  console.log(`layer.1 + head: worst gradient ${worst(comparison.errors)}`);
});

test('embeddings only, through frozen layers and a frozen head (no dropout above)', async () => {
  const comparison = await compareStep(model, ['embeddings'], { head: 'task_b_head', batch, labels: [1, 0, 0, 1], lossWeight: 1 });
  assert.ok(comparison.ortGradientNames.every((name) => name.startsWith('embeddings.')));
  console.log(`embeddings only: worst gradient ${worst(comparison.errors)}`);
});

test('a phase that trains only the other head gives this task a loss and no gradients', async () => {
  const comparison = await compareStep(model, ['task_b_head'], taskA());
  assert.equal(comparison.ortGradientNames.length, 0);
});

test('weights changed in place between steps are what the next step sees (no session rebuild, no stale copy)', async () => {
  const trainable = ['layer.1', 'task_a_head'] as const;
  const step = await OrtTrainingStep.create(model.config, { trainable, heads: new Map([['task_a_head', 3]]) }, { threads: 1 });
  try {
    const weights = modelWeights(model, ['task_a_head']);
    const snapshot = new Map([...weights].map(([name, values]) => [name, values.slice()]));
    const task = { ...taskA(), masks: new Map(step.dropoutSites('task_a_head').map((site) => [site.input, new Float32Array(dropoutMaskSize(site, model.config, batch.batchSize, batch.length)).fill(1)])) };
    const first = await step.gradients(task, weights);
    for (const [name, values] of weights) assert.deepEqual(values, snapshot.get(name), `${name} unchanged by a step`);
    // An optimizer-like update in place: the same arrays, new values.
    for (const [name, gradient] of first.gradients) {
      const values = weights.get(name)!;
      for (let i = 0; i < values.length; i++) values[i] -= 0.5 * gradient[i];
    }
    const second = await step.gradients(task, weights);
    assert.ok(second.taskLoss < first.taskLoss, `a gradient step lowers the loss (${first.taskLoss} -> ${second.taskLoss})`);
    const fresh = await OrtTrainingStep.create(model.config, { trainable, heads: new Map([['task_a_head', 3]]) }, { threads: 1 });
    try {
      assert.equal((await fresh.gradients(task, weights)).loss, second.loss, 'a new session on the updated arrays agrees exactly');
    } finally {
      await fresh.dispose();
    }
  } finally {
    await step.dispose();
  }
});

test('a batch of one sentence of one token (dynamic axes of size 1)', async () => {
  const single = padBatch([[model.tokenizer.tokenize('A', 32)[0]]], model.tokenizer.padTokenId);
  assert.deepEqual([single.batchSize, single.length], [1, 1]);
  await compareStep(model, allGroupNames(model.config.num_hidden_layers), { head: 'task_b_head', batch: single, labels: [1], lossWeight: 2 });
});
