// tf.memory().numTensors is unchanged by a forward pass and by a gradient computation once
// its results are disposed (tfjs-core's optimizer tests check the same way).

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Tensor2D } from '@tensorflow/tfjs';
import { initBackend, tf } from '../../src/trainer/backend/tensorflow';
import { padBatch } from '../../src/trainer/data/padded-batch';
import { embedSentences } from '../../src/trainer/embed-sentences';
import { tfjsEmbeddingModel } from '../../src/trainer/encoder/tfjs-encoder';
import { DropoutPlan } from '../../src/trainer/model/dropout';
import { loadSentenceModel } from '../../src/trainer/model/load-sentence-model';
import { allGroupNames } from '../../src/trainer/model/parameter-groups';
import type { SentenceModel } from '../../src/trainer/model/sentence-model';
import { temporaryFolder, writeTinyModel } from '../helpers/tiny-model';

let model: SentenceModel;
const workspace = temporaryFolder();

before(async () => {
  await initBackend();
  model = await loadSentenceModel(await writeTinyModel(workspace.folder), {
    heads: { task_a_head: { labels: ['x', 'y', 'z'] }, task_b_head: { labels: ['negative', 'positive'] } },
  });
});

after(async () => {
  await model.dispose();
  workspace.cleanup();
});

test('a forward pass leaves no tensors behind', async () => {
  await embedSentences(tfjsEmbeddingModel(model), ['warm up the kernels']);
  const before = tf.memory().numTensors;
  await embedSentences(tfjsEmbeddingModel(model), ['What is the capital city of France?', 'Not bad at all.'], { batchSize: 1 });
  assert.equal(tf.memory().numTensors, before);
});

test('a gradient computation through encoder and heads leaves no tensors behind', () => {
  const batch = padBatch(['Not bad at all.', 'Why does bread rise?'].map((text) => model.tokenizer.tokenize(text, 32)), 0);
  const dropout = () => new DropoutPlan(new Set(allGroupNames(model.config.num_hidden_layers)), { seed: 11, step: 0, stream: 'a' });
  const loss = () =>
    tf.tidy(() => {
      const inputs = model.inputsFor(batch);
      const pooled = model.embed(inputs, dropout());
      const labels = tf.oneHot(tf.tensor1d([0, 2], 'int32'), 3) as Tensor2D;
      return tf.losses.softmaxCrossEntropy(labels, model.headLogits('task_a_head', pooled, dropout())).asScalar();
    });
  const first = tf.variableGrads(loss);
  tf.dispose([first.value, ...Object.values(first.grads)]);
  const before = tf.memory().numTensors;
  const { value, grads } = tf.variableGrads(loss);
  assert.ok(Number.isFinite(value.dataSync()[0]));
  const trainable = model.parameters.all.filter((parameter) => parameter.group !== 'task_b_head').length;
  assert.equal(Object.keys(grads).length, trainable, 'every weight on the path gets a gradient');
  tf.dispose([value, ...Object.values(grads)]);
  assert.equal(tf.memory().numTensors, before);
});
