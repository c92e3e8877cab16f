import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { ThawError } from '../../src/core/errors';
import { checkLabels, labelsOf } from '../../src/core/data/label-set';
import { readDataset, type Dataset, type DatasetColumns } from '../../src/core/data/read-dataset';

// Compiled tests run from <outDir>/test/unit/, three levels below the repository.
const demoData = path.resolve(__dirname, '../../../demo/data');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'thaw-read-dataset-'));
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

const columns: DatasetColumns = { text: 'text', label: 'label' };

/** Writes `content` to a fresh file named `name` in the scratch folder and returns its path. */
function written(name: string, content: string | Uint8Array): string {
  const file = path.join(scratch, name);
  fs.writeFileSync(file, content);
  return file;
}

function summary(dataset: Dataset): Array<[string, string, number]> {
  return dataset.examples.map((example) => [example.text, example.label, example.line]);
}

/** Asserts that reading `content` as file `name` fails with one ThawError naming that file. */
async function assertFails(name: string, content: string | Uint8Array, pattern: RegExp, readColumns = columns): Promise<void> {
  const file = written(name, content);
  await assert.rejects(readDataset(file, readColumns), (error: unknown) => {
    assert.ok(error instanceof ThawError, `expected a ThawError, got ${String(error)}`);
    assert.ok(error.message.startsWith(`${file}: `), error.message);
    assert.match(error.reason, pattern);
    return true;
  });
}

test('the demo data sets parse, with the labels the demo expects', async () => {
  const questionsTrain = await readDataset(path.join(demoData, 'questions-train.csv'), columns);
  const questionsValidation = await readDataset(path.join(demoData, 'questions-validation.csv'), columns);
  const reviewsTrain = await readDataset(path.join(demoData, 'reviews-train.csv'), columns);
  const reviewsValidation = await readDataset(path.join(demoData, 'reviews-validation.csv'), columns);
  assert.equal(questionsTrain.examples.length, 300);
  assert.equal(labelsOf(questionsTrain).length, 6);
  assert.equal(questionsValidation.examples.length, 72);
  assert.equal(reviewsTrain.examples.length, 300);
  assert.deepEqual(labelsOf(reviewsTrain), ['negative', 'positive']);
  assert.equal(reviewsValidation.examples.length, 72);
  assert.deepEqual([...new Set(reviewsValidation.examples.map((example) => example.label))].sort(), ['negative', 'positive']);
  assert.equal(questionsTrain.examples[0].line, 2);
  checkLabels(questionsValidation, labelsOf(questionsTrain), questionsTrain.file);
  checkLabels(reviewsValidation, labelsOf(reviewsTrain), reviewsTrain.file);
});

test('CSV: quoted fields, doubled quotes and embedded newlines keep their exact text and lines', async () => {
  const file = written(
    'quoted.csv',
    ['id,text,label', '1,plain,a', '2,"with, comma",b', '3,"she said ""hi""",a', '4,"two', 'lines",b', '', '5,"  padded  ",a', '6,after,b', ''].join('\n'),
  );
  const dataset = await readDataset(file, columns);
  assert.equal(dataset.file, file);
  assert.deepEqual(summary(dataset), [
    ['plain', 'a', 2],
    ['with, comma', 'b', 3],
    ['she said "hi"', 'a', 4],
    ['two\nlines', 'b', 5],
    ['  padded  ', 'a', 8],
    ['after', 'b', 9],
  ]);
});

test('CSV: Windows line endings, also inside a quoted field; a last line without a newline', async () => {
  const file = written('windows.csv', 'text,label\r\none,a\r\n"x\r\ny\r\nz",b\r\n\r\nlast,a');
  assert.deepEqual(summary(await readDataset(file, columns)), [
    ['one', 'a', 2],
    ['x\r\ny\r\nz', 'b', 3],
    ['last', 'a', 7],
  ]);
});

test('CSV: mixed line endings', async () => {
  const file = written('mixed.csv', 'text,label\r\none,a\ntwo,b\r\n');
  assert.deepEqual(summary(await readDataset(file, columns)), [
    ['one', 'a', 2],
    ['two', 'b', 3],
  ]);
});

test('a UTF-8 byte order mark is removed', async () => {
  const csv = written('bom.csv', '\uFEFFtext,label\nhé,a\n');
  assert.deepEqual(summary(await readDataset(csv, columns)), [['hé', 'a', 2]]);
  const jsonl = written('bom.jsonl', '\uFEFF{"text":"hi","label":"a"}\n');
  assert.deepEqual(summary(await readDataset(jsonl, columns)), [['hi', 'a', 1]]);
});

test('JSONL: blank lines skipped, number labels become strings, CRLF, other key names', async () => {
  const file = written(
    'data.jsonl',
    ['{"sentence":"first","intent":"greet"}', '', '   ', '{"sentence":"  second\\nline ","intent":2, "extra":true}', '{"intent":"bye","sentence":"third"}', ''].join('\r\n'),
  );
  const dataset = await readDataset(file, { text: 'sentence', label: 'intent' });
  assert.deepEqual(summary(dataset), [
    ['first', 'greet', 1],
    ['  second\nline ', '2', 4],
    ['third', 'bye', 5],
  ]);
});

test('file-level problems: wrong extension, missing file, folder, not UTF-8, no examples', async () => {
  await assertFails('data.txt', 'text,label\nhi,a\n', /^cannot tell the format from the extension "\.txt": expected \.csv or \.jsonl$/);
  await assertFails('data.json', '[]', /expected \.csv or \.jsonl/);
  const missing = path.join(scratch, 'missing.csv');
  await assert.rejects(readDataset(missing, columns), new ThawError('file does not exist', missing));
  const folder = path.join(scratch, 'folder.csv');
  fs.mkdirSync(folder);
  await assert.rejects(readDataset(folder, columns), new ThawError('is a folder, not a file', folder));
  const latin1 = Buffer.concat([Buffer.from('text,label\nok,a\ncaf'), Buffer.from([0xe9]), Buffer.from(',b\n')]);
  await assertFails('latin1.csv', latin1, /^line 3: not UTF-8 text/);
  await assertFails('latin1.jsonl', Buffer.concat([Buffer.from('{"text":"ok","label":"a"}\n\n{"text":"caf'), Buffer.from([0xe9, 0x22, 0x7d])]), /^line 3: not UTF-8 text/);
  await assertFails('empty.csv', '', /^no examples: expected a header row, then one example a row$/);
  await assertFails('header-only.csv', 'text,label\n', /^no examples/);
  await assertFails('blank-lines.csv', '\n\n\n', /^no examples/);
  await assertFails('empty.jsonl', '', /^no examples: expected one JSON object a line$/);
  await assertFails('blank.jsonl', '\n  \n\r\n', /^no examples/);
});

test('CSV problems name the line', async () => {
  await assertFails('no-label.csv', 'text,category\nhi,a\n', /^line 1: missing column "label"; the header's columns are "text", "category"$/);
  await assertFails('no-text.csv', 'sentence,label\nhi,a\n', /^line 1: missing column "text"/);
  await assertFails('too-many.csv', 'text,label\nhi,a\nhi,b,c\n', /^line 3: expected 2 fields \(as many as the header has\), got 3$/);
  await assertFails('too-few.csv', 'text,label\nhi,a\n"multi\nline",b\n\nlonely\n', /^line 6: expected 2 fields \(as many as the header has\), got 1$/);
  await assertFails('unclosed.csv', 'text,label\nhi,a\n"never closed,b\nmore,a\n', /^line 3: a quoted field is never closed/);
  // csv-parse's own line count would say line 6 here: it counts a quoted CRLF as two lines.
  await assertFails('unclosed-crlf.csv', 'text,label\r\n"a\r\nb\r\nc",a\r\n"never closed,b\r\n', /^line 5: a quoted field is never closed/);
  await assertFails('after-quote.csv', 'text,label\nhi,a\n"bad"x,b\n', /^line 3: text after a closing quote/);
  await assertFails('inner-quote.csv', 'text,label\nhi,a\nsay "hi",b\n', /^line 3: a quote inside an unquoted field/);
});

test('JSONL problems name the line', async () => {
  await assertFails('broken.jsonl', '{"text":"hi","label":"a"}\n{"text":"hi",\n', /^line 2: not valid JSON/);
  await assertFails('array.jsonl', '{"text":"hi","label":"a"}\n\n["hi","a"]\n', /^line 3: expected a JSON object, got an array$/);
  await assertFails('string.jsonl', '"hi"\n', /^line 1: expected a JSON object, got a string$/);
  await assertFails('no-text.jsonl', '{"label":"a"}\n', /^line 1: missing key "text"$/);
  await assertFails('no-label.jsonl', '{"text":"hi","label":"a"}\n{"text":"hi"}\n', /^line 2: missing key "label"$/);
  await assertFails('inherited-key.jsonl', '{"toString":"hi","label":"a"}\n', /^line 1: missing key "text"$/);
  await assertFails('text-number.jsonl', '{"text":5,"label":"a"}\n', /^line 1: text "text" must be a string, got a number$/);
  await assertFails('label-boolean.jsonl', '{"text":"hi","label":true}\n', /^line 1: label "label" must be a string or a number, got a boolean$/);
  await assertFails('label-null.jsonl', '{"text":"hi","label":null}\n', /^line 1: label "label" must be a string or a number, got null$/);
  await assertFails('label-object.jsonl', '{"text":"hi","label":{}}\n', /^line 1: label "label" must be a string or a number, got an object$/);
});

test('empty texts and labels are errors on their line', async () => {
  await assertFails('empty-text.csv', 'text,label\nhi,a\n,b\n', /^line 3: empty text$/);
  await assertFails('blank-text.csv', 'text,label\nhi,a\n"two\nlines",a\n"  \t ",b\n', /^line 5: empty text$/);
  await assertFails('empty-label.csv', 'text,label\nhi,\n', /^line 2: empty label$/);
  await assertFails('empty-text.jsonl', '{"text":"hi","label":"a"}\n{"text":" ","label":"b"}\n', /^line 2: empty text$/);
  await assertFails('empty-label.jsonl', '{"text":"hi","label":""}\n', /^line 1: empty label$/);
});

test('labelsOf sorts the distinct labels and needs two of them', () => {
  const train: Dataset = {
    file: 'train.csv',
    examples: [
      { text: 'x', label: 'b', line: 2 },
      { text: 'y', label: 'B', line: 3 },
      { text: 'z', label: 'a', line: 4 },
      { text: 'w', label: 'b', line: 5 },
    ],
  };
  assert.deepEqual(labelsOf(train), ['B', 'a', 'b']);
  const oneLabel: Dataset = { file: 'one.csv', examples: [{ text: 'x', label: 'a', line: 2 }] };
  assert.throws(() => labelsOf(oneLabel), new ThawError('needs at least two labels to learn from; it has only "a"', 'one.csv'));
});

test('checkLabels names the validation file, the line and the training file', () => {
  const validation: Dataset = {
    file: 'validation.csv',
    examples: [
      { text: 'x', label: 'a', line: 2 },
      { text: 'y', label: 'c', line: 4 },
      { text: 'z', label: 'd', line: 5 },
    ],
  };
  checkLabels({ ...validation, examples: validation.examples.slice(0, 1) }, ['a', 'b'], 'train.csv');
  assert.throws(
    () => checkLabels(validation, ['a', 'b'], 'train.csv'),
    (error: unknown) =>
      error instanceof ThawError &&
      error.message === 'validation.csv: line 4: label "c" does not occur in the training data (train.csv): known labels: a, b',
  );
});
