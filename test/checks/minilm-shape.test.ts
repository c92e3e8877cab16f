// Checks on the real MiniLM files in ../shared/ (skipped where absent): the real tokenizer's
// ids against its vocab.txt, and a model of paraphrase-MiniLM-L6-v2's exact shape (random
// weights, real tokenizer) against the independent reference on real dataset sentences.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { initBackend } from '../../src/trainer/backend/tensorflow';
import { embedSentences } from '../../src/trainer/embed-sentences';
import { tfjsEmbeddingModel } from '../../src/trainer/encoder/tfjs-encoder';
import { MINILM_SHAPE, generateModelFolder } from '../../src/trainer/init/generate-model-folder';
import { loadSentenceModel } from '../../src/trainer/model/load-sentence-model';
import type { SentenceModel } from '../../src/trainer/model/sentence-model';
import { loadTokenizer } from '../../src/trainer/model/tokenizer';
import { ReferenceBert } from '../reference/bert-reference';
import { sharedFolder, sharedTexts } from '../helpers/shared-data';
import { temporaryFolder } from '../helpers/tiny-model';

const shared = sharedFolder();
const skip = shared === undefined ? 'needs ../shared/ (public MiniLM tokenizer and datasets)' : false;
const tokenizerFolder = shared === undefined ? '' : path.join(shared, 'models', 'minilm-tokenizer');
const workspace = temporaryFolder();
let model: SentenceModel | undefined;

before(async () => {
  if (shared === undefined) return;
  await initBackend();
  const folder = path.join(workspace.folder, 'minilm-shape');
  await generateModelFolder({ out: folder, shape: MINILM_SHAPE, seed: 42, tokenizer: { kind: 'folder', folder: tokenizerFolder } });
  model = await loadSentenceModel(folder);
});

after(async () => {
  await model?.dispose();
  workspace.cleanup();
});

test("the real tokenizer's ids are the words' lines in its vocab.txt", { skip }, async () => {
  const vocabulary = readFileSync(path.join(tokenizerFolder, 'vocab.txt'), 'utf8').split('\n');
  const id = (token: string): number => vocabulary.indexOf(token);
  const tokenizer = await loadTokenizer(tokenizerFolder);
  assert.deepEqual(tokenizer.tokenize('Hello, World!', 128), [id('[CLS]'), id('hello'), id(','), id('world'), id('!'), id('[SEP]')]);
  // Accents are stripped by the uncased normalizer; "naive" and "cafe" are whole words there.
  assert.deepEqual(tokenizer.tokenize('Naïve café', 128), [id('[CLS]'), id('naive'), id('cafe'), id('[SEP]')]);
});

test('a MiniLM-shaped model (384 hidden, 6 layers) matches the reference on real sentences', { skip }, async () => {
  const texts = [...sharedTexts(path.join(shared!, 'datasets', 'trec', 'train.csv'), 3), ...sharedTexts(path.join(shared!, 'datasets', 'mr', 'train.csv'), 3)];
  assert.equal(texts.length, 6);
  const embeddings = await embedSentences(tfjsEmbeddingModel(model!), texts, { batchSize: 4 });
  assert.equal(model!.maxSeqLength, 128, "sentence_bert_config.json's max_seq_length");
  const reference = new ReferenceBert(path.join(workspace.folder, 'minilm-shape'));
  texts.forEach((text, index) => {
    const expected = reference.meanPooled(model!.tokenizer.tokenize(text, 128));
    const embedding = embeddings[index];
    assert.equal(embedding.length, 384);
    let max = 0;
    embedding.forEach((value, i) => (max = Math.max(max, Math.abs(value - expected[i]))));
    assert.ok(max < 1e-4, `"${text}": max |diff| ${max}`);
  });
});
