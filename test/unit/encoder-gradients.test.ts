// A whole backward pass (embeddings, every layer, a head) on wasm equals the same pass on the
// cpu backend, whose kernels are tfjs' plain JavaScript reference ones.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Tensor, Tensor2D } from '@tensorflow/tfjs';
import { initBackend, tf } from '../../src/trainer/backend/tensorflow';
import { padBatch } from '../../src/trainer/data/padded-batch';
import { loadSentenceModel } from '../../src/trainer/model/load-sentence-model';
import type { SentenceModel } from '../../src/trainer/model/sentence-model';
import { temporaryFolder, writeTinyModel } from '../helpers/tiny-model';

let model: SentenceModel;
const workspace = temporaryFolder();

before(async () => {
  await initBackend('wasm');
  model = await loadSentenceModel(await writeTinyModel(workspace.folder), { heads: { task_b_head: { labels: ['negative', 'positive'] } }, seed: 3 });
});

after(async () => {
  await model.dispose();
  workspace.cleanup();
});

function gradientsOn(backend: string): Map<string, Float32Array> {
  tf.setBackend(backend);
  try {
    const batch = padBatch(['Not bad at all.', 'The soup was cold and the service slow, sadly.', 'Wonderful!'].map((text) => model.tokenizer.tokenize(text, 32)), 0);
    const { value, grads } = tf.variableGrads(() =>
      tf.tidy(() => {
        const inputs = model.inputsFor(batch);
        const logits = model.headLogits('task_b_head', model.embed(inputs));
        return tf.losses.softmaxCrossEntropy(tf.oneHot(tf.tensor1d([1, 0, 1], 'int32'), 2) as Tensor2D, logits).asScalar();
      }),
    );
    const byName = new Map<string, Float32Array>();
    for (const parameter of model.parameters.all) {
      const gradient = (grads as Record<string, Tensor>)[parameter.variable.name];
      if (gradient !== undefined) byName.set(parameter.name, gradient.dataSync() as Float32Array);
    }
    tf.dispose([value, ...Object.values(grads)]);
    return byName;
  } finally {
    tf.setBackend('wasm');
  }
}

test('every weight gradient on wasm matches cpu (relative 1e-4)', () => {
  const wasm = gradientsOn('wasm');
  const cpu = gradientsOn('cpu');
  assert.equal(wasm.size, model.parameters.all.length);
  for (const [name, expected] of cpu) {
    const actual = wasm.get(name)!;
    const scale = Math.max(1e-6, ...Array.from(expected, Math.abs));
    let max = 0;
    for (let i = 0; i < expected.length; i++) max = Math.max(max, Math.abs(actual[i] - expected[i]) / scale);
    assert.ok(max < 1e-4, `${name}: max relative difference ${max}`);
  }
  const wordEmbedding = wasm.get('embeddings.word_embeddings.weight')!;
  assert.ok(wordEmbedding.some((value) => value !== 0), 'the embedding table receives a gradient');
});
