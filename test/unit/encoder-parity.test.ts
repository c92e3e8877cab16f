// The encoder against the independent float64 reference (test/reference/bert-reference.ts),
// on a seeded tiny model folder: every hidden state of one sentence, and the pooled sentence
// embeddings of a padded, length-bucketed batch. Tolerance 1e-4 absolute (float32 vs float64).

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { initBackend, tf } from '../../src/trainer/backend/tensorflow';
import { padBatch } from '../../src/trainer/data/padded-batch';
import { embedSentences } from '../../src/trainer/embed-sentences';
import { tfjsEmbeddingModel } from '../../src/trainer/encoder/tfjs-encoder';
import { loadSentenceModel } from '../../src/trainer/model/load-sentence-model';
import type { SentenceModel } from '../../src/trainer/model/sentence-model';
import { ReferenceBert, erf } from '../reference/bert-reference';
import { PARITY_SENTENCES } from '../helpers/parity-sentences';
import { temporaryFolder, writeTinyModel } from '../helpers/tiny-model';

const TOLERANCE = 1e-4;

let model: SentenceModel;
let reference: ReferenceBert;
const workspace = temporaryFolder();

before(async () => {
  await initBackend();
  const folder = await writeTinyModel(workspace.folder);
  model = await loadSentenceModel(folder);
  reference = new ReferenceBert(folder);
});

after(async () => {
  await model.dispose();
  workspace.cleanup();
});

function maxAbsDifference(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  assert.equal(actual.length, expected.length);
  let max = 0;
  for (let i = 0; i < actual.length; i++) max = Math.max(max, Math.abs(actual[i] - expected[i]));
  return max;
}

test("the reference's erf matches tabulated values (Abramowitz & Stegun 7.1)", () => {
  assert.ok(Math.abs(erf(0.5) - 0.5204998778130465) < 1e-15);
  assert.ok(Math.abs(erf(1) - 0.8427007929497149) < 1e-15);
  assert.ok(Math.abs(erf(-2) + 0.9953222650189527) < 1e-14);
  assert.ok(Math.abs(erf(3.5) - 0.9999992569016276) < 1e-12);
});

test('every hidden state of one sentence matches the reference', () => {
  const ids = model.tokenizer.tokenize(PARITY_SENTENCES[0], model.maxSeqLength);
  const states = tf.tidy(() => {
    const output = model.encode(model.inputsFor(padBatch([ids], model.tokenizer.padTokenId)));
    return output.hiddenStates.map((state) => state.dataSync());
  });
  const expected = reference.hiddenStates(ids);
  assert.equal(states.length, model.config.num_hidden_layers + 1);
  states.forEach((state, index) => {
    const difference = maxAbsDifference(state, expected[index]);
    assert.ok(difference < TOLERANCE, `hidden state ${index}: max |diff| ${difference}`);
  });
});

test('pooled embeddings of a padded batch match the reference sentence by sentence', async () => {
  const embeddings = await embedSentences(tfjsEmbeddingModel(model), PARITY_SENTENCES, { batchSize: 3 });
  PARITY_SENTENCES.forEach((sentence, index) => {
    const expected = reference.meanPooled(model.tokenizer.tokenize(sentence, model.maxSeqLength));
    const difference = maxAbsDifference(embeddings[index], expected);
    assert.ok(difference < TOLERANCE, `"${sentence}": max |diff| ${difference}`);
  });
});

test('truncation to max sequence length matches the reference on the truncated ids', async () => {
  const [embedding] = await embedSentences(tfjsEmbeddingModel(model), [PARITY_SENTENCES[4]], { maxSeqLength: 8 });
  const ids = model.tokenizer.tokenize(PARITY_SENTENCES[4], 8);
  assert.equal(ids.length, 8);
  assert.ok(maxAbsDifference(embedding, reference.meanPooled(ids)) < TOLERANCE);
});
