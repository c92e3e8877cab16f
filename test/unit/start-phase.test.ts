// Starting a phase from the host, with the editor, the trainer and the user's answers stubbed:
// the plan is worked out before anything changes, so a refused start leaves the file as it was;
// an accepted one runs exactly `thaw train FILE --phase NAME [--from CHECKPOINT]`.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as path from 'node:path';
import { buildSnapshot } from '../../src/extension/experiment/build-snapshot';
import type { ExperimentSnapshot } from '../../src/extension/experiment/experiment-snapshot';
import { TrainingController, type ExperimentAccess, type TrainerLauncher, type TrainingUi } from '../../src/extension/training/training-controller';
import { forkKeyOf, phaseEndCheckpoint, type RunRecord } from '../../src/core/runs/run-listing';
import { allGroupNames } from '../../src/core/vocabulary/groups';
import { parseExperimentText } from '../../src/core/experiment/load-experiment';

const FILE = path.resolve('/work/exp/thaw.json');
const TEXT = `{
  // the user's comment
  "model": "/models/tiny",
  "tasks": { "a": { "name": "q", "train": "a.csv" }, "b": { "name": "s", "train": "b.csv" } },
  "phases": [
    { "name": "warm-up", "epochs": 1, "frozen": ["encoder"], "lr": { "heads": 0.0123 } },
    { "name": "fine-tune", "epochs": 1, "lr": { "encoder": 2e-5, "heads": 1e-3 } }
  ]
}
`;
const MODEL = { numLayers: 2, groups: allGroupNames(2).map((group) => ({ group, parameterCount: 10 })) };

function harness(text: string, runs: RunRecord[] = [], answer?: string) {
  const said: string[] = [];
  const started: (readonly string[])[] = [];
  let fileText = text;
  const ui: TrainingUi = {
    info: (message) => said.push(`info: ${message}`),
    warn: (message) => said.push(`warn: ${message}`),
    error: (message) => said.push(`error: ${message}`),
    pick: (_title, items) => Promise.resolve(items.find((item) => item.value === answer)?.value),
    confirm: () => Promise.resolve(true),
  };
  const snapshot = (): ExperimentSnapshot => buildSnapshot({ file: FILE, text: fileText, model: MODEL, runs });
  const access: ExperimentAccess = {
    save: () => Promise.resolve(),
    current: () => Promise.resolve(snapshot()),
    replaceText: (next) => {
      fileText = next;
      return Promise.resolve();
    },
    runs: () => Promise.resolve(runs),
    runsFolderSetting: () => undefined,
    exists: (file) => file.includes('checkpoints'),
  };
  const trainer: TrainerLauncher = {
    running: false,
    start: (args) => {
      started.push(args);
      return Promise.resolve();
    },
    plan: () => Promise.resolve([]),
  };
  return { controller: new TrainingController(ui, access, () => Promise.resolve(trainer)), said, started, text: () => fileText };
}

const warmUpRun = (folder: string): RunRecord => ({
  folder,
  experimentFile: FILE,
  completedPhases: [{ name: 'warm-up', index: 0 }],
  forkKey: forkKeyOf(parseExperimentText(TEXT, FILE)),
});

test('Start Warm-up runs the file\'s warm-up exactly as written', async () => {
  const { controller, started, text } = harness(TEXT);
  assert.equal(await controller.startPhase('warm-up'), true);
  assert.deepEqual(started, [['train', FILE, '--phase', 'warm-up']]);
  assert.equal(text(), TEXT, 'nothing is written');
});

test('a refused Start Fine-tune (no warm-up checkpoint) leaves the file as it was and starts nothing', async () => {
  const { controller, said, started, text } = harness(TEXT);
  assert.equal(await controller.startPhase('fine-tune'), false);
  assert.deepEqual(started, []);
  assert.equal(text(), TEXT);
  assert.match(said.join('\n'), /warn: Thaw: "fine-tune" starts from the end of a "warm-up" phase of this experiment .* Run the "warm-up" phase first/);
});

test('a refused Start Fine-tune in a file that lacks the phase adds nothing', async () => {
  const onlyWarmUp = TEXT.replace(/,\n {4}\{ "name": "fine-tune".*\n/, '\n');
  const { controller, started, text } = harness(onlyWarmUp);
  assert.equal(await controller.startPhase('fine-tune'), false);
  assert.deepEqual(started, []);
  assert.equal(text(), onlyWarmUp);
});

test('Start Fine-tune forks from the warm-up checkpoint; with several it asks which', async () => {
  const one = harness(TEXT, [warmUpRun('/work/exp/runs/r1')]);
  assert.equal(await one.controller.startPhase('fine-tune'), true);
  assert.deepEqual(one.started, [['train', FILE, '--phase', 'fine-tune', '--from', phaseEndCheckpoint('/work/exp/runs/r1', 0, 'warm-up')]]);

  const other = phaseEndCheckpoint('/work/exp/runs/r2', 0, 'warm-up');
  const two = harness(TEXT, [warmUpRun('/work/exp/runs/r1'), warmUpRun('/work/exp/runs/r2')], other);
  assert.equal(await two.controller.startPhase('fine-tune'), true);
  assert.deepEqual(two.started[0].slice(-2), ['--from', other]);

  const otherData = { ...warmUpRun('/work/exp/runs/r3'), forkKey: 'another model' };
  assert.equal(await harness(TEXT, [otherData]).controller.startPhase('fine-tune'), false, 'a warm-up of other data does not count');
});

test('Start Warm-up in a file without a warm-up adds the recipe one first, comments kept', async () => {
  const noWarmUp = TEXT.replace(/ {4}\{ "name": "warm-up".*\n/, '');
  const { controller, started, said, text } = harness(noWarmUp);
  assert.equal(await controller.startPhase('warm-up'), true);
  assert.match(text(), /\/\/ the user's comment/);
  assert.match(text(), /\{ "name": "warm-up", "epochs": 3, "frozen": \["encoder"\], "lr": \{ "heads": 0.01 \} \},\n {4}\{ "name": "fine-tune"/);
  assert.deepEqual(started, [['train', FILE, '--phase', 'warm-up']]);
  assert.match(said.join('\n'), /added a "warm-up" phase/);
});

test('a phase that would train nothing is refused before anything runs', async () => {
  const allFrozen = TEXT.replace('"frozen": ["encoder"]', '"frozen": ["encoder", "heads"]');
  const { controller, said, started } = harness(allFrozen);
  assert.equal(await controller.startPhase('warm-up'), false);
  assert.deepEqual(started, []);
  assert.match(said.join('\n'), /every group is frozen/);
});

test('an invalid file is refused with its problem', async () => {
  const { controller, said, started } = harness('{ "model": ');
  assert.equal(await controller.startPhase('warm-up'), false);
  assert.deepEqual(started, []);
  assert.match(said.join('\n'), /line 1: not valid JSON/);
});
