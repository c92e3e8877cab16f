// Bad experiments and datasets: each is one clear error naming the file (and line), and no run
// folder is created, so nothing is left half written.

import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { initBackend } from '../../src/trainer/backend/tensorflow';
import { ThawError } from '../../src/core/errors';
import { EventSink } from '../../src/trainer/train/event-sink';
import { runTraining } from '../../src/trainer/train/run-training';
import { temporaryFolder } from '../helpers/tiny-model';
import { tinyDemoModel, writeExperiment } from '../helpers/tiny-experiment';

const workspace = temporaryFolder();
let model: string;

before(async () => {
  await initBackend();
  model = await tinyDemoModel(workspace.folder);
});
after(() => workspace.cleanup());

function data(name: string, content: string | Buffer): string {
  const file = path.join(workspace.folder, name);
  writeFileSync(file, content);
  return file;
}

const GOOD_TRAIN = 'text,label\nWhat is a cat?,description\nWho is she?,human\n';

async function assertFails(name: string, settings: Record<string, unknown>, file: string, pattern: RegExp): Promise<void> {
  const output = path.join(workspace.folder, `runs-${name}`);
  const experimentFile = writeExperiment(workspace.folder, name, model, { preset: 'freeze-encoder', output, ...settings });
  await assert.rejects(runTraining({ experimentFile: experimentFile, sink: new EventSink(), stop: { requested: false } }), (error: unknown) => {
    assert.ok(error instanceof ThawError, `${name}: expected a ThawError, got ${String(error)}`);
    assert.ok(error.message.startsWith(`${file === 'EXPERIMENT' ? experimentFile : file}: `), `${name}: "${error.message}" should start with the file`);
    assert.match(error.message, pattern, name);
    return true;
  });
  assert.ok(!existsSync(output), `${name}: no run folder is created`);
}

const taskA = (train: string, validation?: string) => ({ tasks: { a: { name: 'q', train, ...(validation === undefined ? {} : { validation }) } } });

test('bad datasets name the file and the line', async () => {
  const noLabel = data('no-label.csv', 'text,category\nWhat is a cat?,description\n');
  await assertFails('missing-column', taskA(noLabel), noLabel, /line 1: missing column "label"/);
  const wide = data('wide.csv', `${GOOD_TRAIN}Where is Rome?,location,extra\n`);
  await assertFails('too-many-fields', taskA(wide), wide, /line 4: expected 2 fields .*got 3/);
  const emptyText = data('empty-text.csv', `${GOOD_TRAIN}"  ",human\n`);
  await assertFails('empty-text', taskA(emptyText), emptyText, /line 4: empty text/);
  const train = data('train.csv', GOOD_TRAIN);
  const unseen = data('unseen.csv', 'text,label\nWho won?,human\nHow far is it?,numeric\n');
  await assertFails('unseen-label', taskA(train, unseen), unseen, /line 3: label "numeric" does not occur in the training data/);
  const latin1 = data('latin1.csv', Buffer.from('text,label\nA caf\xe9?,description\nWho?,human\n', 'latin1'));
  await assertFails('not-utf8', taskA(latin1), latin1, /line 2: not UTF-8/);
  const empty = data('header-only.csv', 'text,label\n');
  await assertFails('empty-dataset', taskA(empty), empty, /no examples/);
  const jsonl = data('bad.jsonl', '{"text": "What?", "label": "description"}\n{"text": "Who?"\n');
  await assertFails('bad-jsonl', taskA(jsonl), jsonl, /line 2: not valid JSON/);
  const nul = data('nul.csv', `${GOOD_TRAIN}\0\0\0,human\n`);
  await assertFails('nul-text', taskA(nul), nul, /line 4: the text is only NUL bytes/);
  const nulJsonl = data('nul.jsonl', '{"text": "What?", "label": "description"}\n{"text": "\\u0000\\u0000", "label": "human"}\n');
  await assertFails('nul-text-jsonl', taskA(nulJsonl), nulJsonl, /line 2: the text is only NUL bytes/);
  const twoLabels = data('two-labels.csv', 'text,label,label\nWhat is a cat?,description,human\n');
  await assertFails('duplicate-label-column', taskA(twoLabels), twoLabels, /line 1: the header has two columns named "label"/);
});

test('experiments that cannot train, or would not fit, are refused up front with the key or limit named', async () => {
  await assertFails('zero-loss-weights', { lossWeights: { a: 0, b: 0 } }, 'EXPERIMENT', /lossWeights: a is 0 and b is 0, so no step would train anything/);
  const outputFile = data('output-is-a-file', 'not a folder\n');
  const experimentFile = writeExperiment(workspace.folder, 'output-file', model, { preset: 'freeze-encoder', output: outputFile });
  await assert.rejects(runTraining({ experimentFile, sink: new EventSink(), stop: { requested: false } }), (error: unknown) => {
    assert.ok(error instanceof ThawError);
    assert.match(error.message, /^.*output-file\.thaw\.json: "output": .*output-is-a-file is a file, not a folder/);
    return true;
  });
  const endless = { preset: undefined, phases: [{ name: 'endless', epochs: 1e12, frozen: ['encoder'], lr: { heads: 1e-3 } }] };
  await assertFails('too-many-steps', endless, 'EXPERIMENT', /phase "endless": 3\.80e\+13 steps is more than the limit of 100,000,000 steps in a phase/);
  const headsFrozen = { preset: undefined, phases: [{ name: 'no-task', steps: 2, frozen: ['heads'], lr: { encoder: 1e-4 } }] };
  await assertFails('no-training-task', headsFrozen, 'EXPERIMENT', /phase "no-task": every task's head is frozen \(task_a_head, task_b_head\), so no task trains/);
  await assertFails('too-long', { maxSeqLength: 65 }, 'EXPERIMENT', /maxSeqLength 65 exceeds the model's limit of 64 positions \(max_position_embeddings\)/);
});

test('bad experiments name the experiment file and the key or phase', async () => {
  const phase = (settings: object) => ({ preset: undefined, phases: [{ name: 'p', epochs: 1, frozen: ['encoder'], lr: { heads: 1e-3 }, ...settings }] });
  await assertFails('negative-lr', phase({ lr: { heads: -0.1 } }), 'EXPERIMENT', /phases\.0\.lr\.heads: must be >= 0/);
  await assertFails('unknown-group', phase({ frozen: ['layer.9'] }), 'EXPERIMENT', /phase "p": unknown parameter group "layer.9"/);
  await assertFails('all-frozen', phase({ frozen: ['encoder', 'heads'] }), 'EXPERIMENT', /phase "p": every group is frozen, so nothing would train/);
  await assertFails('unknown-key', { seeed: 1 }, 'EXPERIMENT', /unknown key "seeed"/);
  await assertFails('no-phases', { preset: undefined }, 'EXPERIMENT', /phases: give "phases" or a "preset"/);
});
