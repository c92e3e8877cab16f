// New Experiment's dataset inspection and the experiment texts it and the demo write: problems
// are found before anything is written, and what is written parses as a valid experiment.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { ThawError } from '../../src/core/errors';
import { datasetFields, formatLabelCounts, guessColumns, inspectTaskData } from '../../src/core/data/inspect-dataset';
import { experimentText, MINILM_HUB_ID } from '../../src/core/experiment/experiment-text';
import { parseExperimentText } from '../../src/core/experiment/load-experiment';
import { DEMO_DATA_FILES, DEMO_TASKS, demoExperimentText } from '../../src/core/onboarding/demo-experiment';
import { missingModelFiles } from '../../src/core/model/model-folder-files';

const demoData = path.resolve(__dirname, '../../../demo/data');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'thaw-onboarding-'));
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

function written(name: string, content: string): string {
  const file = path.join(scratch, name);
  fs.writeFileSync(file, content);
  return file;
}

test('a CSV header and JSONL keys are read, and the usual text and label columns are offered first', async () => {
  assert.deepEqual(await datasetFields(path.join(demoData, 'questions-train.csv')), ['text', 'label']);
  const csv = written('quoted.csv', '"id","Sentence","category"\n1,"a, b",x\n');
  assert.deepEqual(await datasetFields(csv), ['id', 'Sentence', 'category']);
  assert.deepEqual(guessColumns(['id', 'Sentence', 'category'], csv), { text: 'Sentence', label: 'category' });
  const jsonl = written('keys.jsonl', '{"sentence":"hi","intent":1}\n\n{"sentence":"yo","intent":0,"extra":true}\n');
  assert.deepEqual(await datasetFields(jsonl), ['sentence', 'intent', 'extra']);
  assert.deepEqual(guessColumns(['a', 'b'], jsonl), { text: 'a', label: 'b' });
});

test('a CSV with no label column is told so, naming the file and the columns it has', async () => {
  const file = written('no-label.csv', 'text\nWhere is Lima?\nWho wrote Faust?\n');
  const fields = await datasetFields(file);
  assert.throws(() => guessColumns(fields, file), (error: unknown) => error instanceof ThawError && /has only the column "text": a task needs a text column and a label column/.test(error.message) && error.message.startsWith(file));
  const other = written('other-columns.csv', 'text,topic\nWhere is Lima?,geo\n');
  await assert.rejects(inspectTaskData(other, undefined, { text: 'text', label: 'label' }), /missing column "label"; the header's columns are "text", "topic"/);
});

test('label counts of training and validation, and labels only in validation, are problems before writing', async () => {
  const report = await inspectTaskData(path.join(demoData, 'reviews-train.csv'), path.join(demoData, 'reviews-validation.csv'), { text: 'text', label: 'label' });
  assert.deepEqual(report.problems, []);
  assert.deepEqual(report.labels.map((entry) => entry.label), ['negative', 'positive']);
  assert.equal(report.labels.reduce((sum, entry) => sum + entry.train, 0), report.trainExamples);
  assert.match(formatLabelCounts(report), /^negative: \d+ train, \d+ validation; positive: /);

  const train = written('t.csv', 'text,label\na,x\nb,y\nc,x\n');
  const validation = written('v.csv', 'text,label\nd,x\ne,z\nf,w\n');
  const mixed = await inspectTaskData(train, validation, { text: 'text', label: 'label' });
  assert.deepEqual(mixed.validationOnly, ['w', 'z']);
  assert.match(mixed.problems.join('\n'), /v\.csv has labels that training never shows.*"w", "z"/);
  assert.match(formatLabelCounts(mixed), /w: 0 train, 1 validation \(only in validation\)/);
  const single = await inspectTaskData(written('one.csv', 'text,label\na,x\nb,x\n'), undefined, { text: 'text', label: 'label' });
  assert.match(single.problems[0], /only the label "x": a classifier needs at least two/);
});

test('the demo experiment (hub or generated model) and a New Experiment text parse as valid experiments, comments kept', () => {
  const file = path.join(scratch, 'demo.thaw.json');
  for (const kind of ['hub', 'generated'] as const) {
    const text = demoExperimentText({ kind });
    const experiment = parseExperimentText(text, file);
    assert.deepEqual(experiment.phases.map((phase) => phase.name), ['warm-up', 'fine-tune']);
    assert.deepEqual(experiment.phases[0].frozen, ['encoder']);
    assert.equal(experiment.tasks.a!.train, path.join(scratch, DEMO_TASKS.a.train));
    assert.equal(experiment.model, kind === 'hub' ? MINILM_HUB_ID : path.join(scratch, 'model'));
    if (kind === 'generated') assert.match(text, /\/\/ NOTE: a GENERATED model with RANDOM weights/);
  }
  assert.deepEqual(DEMO_DATA_FILES.map((name) => fs.existsSync(path.join(demoData, name))), [true, true, true, true]);
  const text = experimentText({
    name: 'mine',
    model: '/models/minilm',
    modelNote: ['A local folder.'],
    tasks: { a: { name: 'intent', train: 'a.jsonl', textColumn: 'sentence', labelColumn: 'intent' }, b: DEMO_TASKS.b },
    warmUpEpochs: 3,
    fineTuneEpochs: 2,
  });
  const experiment = parseExperimentText(text, file);
  assert.equal(experiment.tasks.a!.textColumn, 'sentence');
  assert.equal(experiment.tasks.a!.labelColumn, 'intent');
  assert.equal(experiment.tasks.a!.validation, undefined);
  assert.match(text, /\/\/ A local folder\.\n {2}"model": "\/models\/minilm"/);
});

test('a model folder is checked for config.json, model.safetensors and tokenizer.json', () => {
  const folder = path.join(scratch, 'model');
  fs.mkdirSync(folder, { recursive: true });
  fs.writeFileSync(path.join(folder, 'config.json'), '{}');
  assert.deepEqual(missingModelFiles(folder), ['model.safetensors', 'tokenizer.json']);
});
