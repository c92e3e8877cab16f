// The generated WordPiece tokenizer: vocabulary built as documented, and the files it writes
// load in @xenova/transformers and give ids worked out by hand.

import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import * as path from 'node:path';
import { writeFileSync } from 'node:fs';
import { basicTokens, buildVocabulary, tokenizerFiles } from '../../src/trainer/init/wordpiece-vocab';
import { loadTokenizer } from '../../src/trainer/model/tokenizer';
import { temporaryFolder } from '../helpers/tiny-model';

const workspace = temporaryFolder();
after(() => workspace.cleanup());

test("basic tokens: lower case, accents stripped, punctuation split as BERT's", () => {
  assert.deepEqual(basicTokens('Ça va? "Naïve"  café-crème, 3.5$'), ['ca', 'va', '?', '"', 'naive', '"', 'cafe', '-', 'creme', ',', '3', '.', '5', '$']);
});

test('the vocabulary: specials, characters, ## characters, then words by frequency', () => {
  const vocabulary = buildVocabulary(['the cat sat', 'the dog'], 100);
  // Characters seen, sorted: a c d e g h o s t (9); words: the (2), then cat, dog, sat (1 each).
  assert.deepEqual(vocabulary, [
    '[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]',
    'a', 'c', 'd', 'e', 'g', 'h', 'o', 's', 't',
    '##a', '##c', '##d', '##e', '##g', '##h', '##o', '##s', '##t',
    'the', 'cat', 'dog', 'sat',
  ]);
  assert.equal(buildVocabulary(['the cat sat', 'the dog'], 24).at(-1), 'the', 'most frequent word first when space runs out');
  assert.throws(() => buildVocabulary(['abc'], 8), /cannot hold the 3 distinct characters/);
});

test('the written tokenizer loads in transformers.js and gives hand-worked ids', async () => {
  const folder = path.join(workspace.folder, 'tok');
  const files = tokenizerFiles(buildVocabulary(['the cat sat', 'the dog'], 100), 32);
  for (const [name, text] of Object.entries(files)) {
    await import('node:fs/promises').then((fs) => fs.mkdir(folder, { recursive: true }));
    writeFileSync(path.join(folder, name), text);
  }
  const tokenizer = await loadTokenizer(folder);
  assert.equal(tokenizer.padTokenId, 0);
  // [CLS]=2, the=23, cats -> cat=24 + ##s=21, ! is unknown -> [UNK]=1, [SEP]=3
  assert.deepEqual(tokenizer.tokenize('The cats!', 32), [2, 23, 24, 21, 1, 3]);
  // Ça -> "ca" -> c=6 + ##a=14
  assert.deepEqual(tokenizer.tokenize('Ça', 32), [2, 6, 14, 3]);
  // Truncation keeps [CLS] and [SEP] within the limit.
  assert.deepEqual(tokenizer.tokenize('the dog the dog', 4), [2, 23, 25, 3]);
});

test('a folder without tokenizer files is refused with the file named', async () => {
  await assert.rejects(loadTokenizer(workspace.folder), (error: Error) => error.message.includes('tokenizer.json') && error.message.includes('missing'));
});
