// The comparison's curves come from a run folder's events.jsonl. These write real run folders
// (a run resumed after a kill, so a step and a validation are repeated, and a torn last line)
// and check what the panel would draw: each step once with the later value, fractional epochs
// from the phase's pace, the phases' spans, and the whole message against the protocol.

import assert from 'node:assert/strict';
import { mkdtempSync, promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { comparisonMessage } from '../../src/extension/runs/comparison-message';
import { readRunSeries } from '../../src/extension/runs/run-series';
import { standInCompare, standInSummarize } from '../helpers/compare-stand-in';

const time = '2026-12-01T09:00:00.000Z';
const step = (phase: string, phaseIndex: number, stepInPhase: number, totalSteps: number, globalStep: number, loss: Record<string, number>, rate = 0.01) => ({
  time, type: 'step', phase, phaseIndex, step: stepInPhase, totalSteps, globalStep, loss, learningRates: { task_a_head: rate, 'layer.0': phaseIndex === 0 ? 0 : 2e-5 }, elapsedMs: globalStep * 100,
});
const validation = (phase: string, globalStep: number, epoch: number, accuracyA: number, accuracyB: number) => ({
  time, type: 'validation', phase, globalStep, epoch,
  tasks: { a: { loss: 1 - accuracyA, accuracy: accuracyA, macroF1: accuracyA - 0.1, examples: 10 }, b: { loss: 1 - accuracyB, accuracy: accuracyB, macroF1: accuracyB - 0.1, examples: 10 } },
});

/** warm-up: 4 steps in 2 epochs; killed after step 3 (a checkpoint at 2), resumed at 2: steps 3 again, then 4; fine-tune: 2 steps in 1 epoch. */
function resumedRunEvents(): object[] {
  return [
    { time, type: 'run-start', runId: 'r1', runFolder: '/r1', backend: 'wasm', model: { source: 'm', parameterCount: 1, groups: {} }, tasks: {}, provenance: { thawVersion: 'x' } },
    { time, type: 'phase-start', phase: 'warm-up', phaseIndex: 0, totalSteps: 4, frozen: [], learningRates: {}, groupHashes: {}, trainsNothing: false, usesEmbeddingCache: true },
    step('warm-up', 0, 1, 4, 1, { a: 2.0 }),
    step('warm-up', 0, 2, 4, 2, { b: 0.9 }),
    validation('warm-up', 2, 1, 0.4, 0.5),
    step('warm-up', 0, 3, 4, 3, { a: 1.5 }),
    // killed here; resumed from the checkpoint at step 2
    { time, type: 'run-start', runId: 'r1', runFolder: '/r1', backend: 'wasm', model: { source: 'm', parameterCount: 1, groups: {} }, tasks: {}, resumedFromStep: 2 },
    step('warm-up', 0, 3, 4, 3, { a: 1.4 }),
    step('warm-up', 0, 4, 4, 4, { b: 0.7 }),
    validation('warm-up', 4, 2, 0.6, 0.7),
    { time, type: 'phase-end', phase: 'warm-up', phaseIndex: 0, groupHashes: {}, changedGroups: [] },
    step('fine-tune', 1, 1, 2, 5, { a: 1.0, b: 0.6 }, 0.001),
    step('fine-tune', 1, 2, 2, 6, { a: 0.8, b: 0.5 }, 0.001),
    validation('fine-tune', 6, 1, 0.8, 0.75),
    { time, type: 'run-end', status: 'completed', globalStep: 6, elapsedMs: 600 },
  ];
}

async function writeRun(root: string, id: string, events: readonly object[], experiment: object, tail = ''): Promise<string> {
  const folder = path.join(root, id);
  await fs.mkdir(folder, { recursive: true });
  await fs.writeFile(path.join(folder, 'experiment.json'), JSON.stringify(experiment));
  await fs.writeFile(path.join(folder, 'events.jsonl'), events.map((event) => JSON.stringify(event)).join('\n') + '\n' + tail);
  return folder;
}

const experiment = (name: string, headRate: number) => ({ name, seed: 7, phases: [{ name: 'warm-up', epochs: 2, lr: { heads: headRate } }, { name: 'fine-tune', epochs: 1 }] });

test('a resumed run: each step once, the later value wins; a torn last line is skipped', async () => {
  const root = mkdtempSync(path.join(tmpdir(), 'thaw-series-'));
  const folder = await writeRun(root, '20261201-090000-resumed', resumedRunEvents(), experiment('resumed', 0.01), '{"time":"2026-12-01T09:00:00.000Z","type":"step","phase":"fine-tu');
  const series = await readRunSeries(folder, 'resumed', 3);
  assert.equal(series.runId, 'resumed');
  assert.equal(series.color, 3);
  assert.deepEqual(series.steps.globalStep, [1, 2, 3, 4, 5, 6]);
  // Step 3 ran twice: 1.5 before the kill, 1.4 after the resume.
  assert.deepEqual(series.steps.loss.a, [2.0, null, 1.4, null, 1.0, 0.8]);
  assert.deepEqual(series.steps.loss.b, [null, 0.9, null, 0.7, 0.6, 0.5]);
  assert.deepEqual(series.steps.learningRates.task_a_head, [0.01, 0.01, 0.01, 0.01, 0.001, 0.001]);
  // warm-up: 2 steps an epoch (its first validation, epoch 1, is at step 2); fine-tune after 2 epochs, 2 steps an epoch.
  assert.deepEqual(series.steps.epoch, [0.5, 1, 1.5, 2, 2.5, 3]);
  assert.deepEqual(series.validations.globalStep, [2, 4, 6]);
  assert.deepEqual(series.validations.epoch, [1, 2, 3]);
  assert.deepEqual(series.validations.tasks.a?.accuracy, [0.4, 0.6, 0.8]);
  assert.deepEqual(series.phases, [
    { name: 'warm-up', startStep: 1, endStep: 4 },
    { name: 'fine-tune', startStep: 5, endStep: 6 },
  ]);
});

test('without validations the epochs come from the recorded experiment; without either they are unknown', async () => {
  const root = mkdtempSync(path.join(tmpdir(), 'thaw-series-'));
  const events = resumedRunEvents().filter((event) => (event as { type: string }).type !== 'validation');
  const withEpochs = await readRunSeries(await writeRun(root, 'a', events, experiment('a', 0.01)), 'a', 0);
  assert.deepEqual(withEpochs.steps.epoch, [0.5, 1, 1.5, 2, 2.5, 3]);
  assert.deepEqual(withEpochs.validations.globalStep, []);
  const without = await readRunSeries(await writeRun(root, 'b', events, { name: 'b', phases: [] }), 'b', 0);
  assert.deepEqual(without.steps.epoch, [null, null, null, null, null, null]);
  const missing = await readRunSeries(path.join(root, 'no-such-run'), 'c', 0);
  assert.deepEqual(missing.steps.globalStep, []);
});

test('the comparison message of real run folders passes the protocol, config keys that differ named', async () => {
  const root = mkdtempSync(path.join(tmpdir(), 'thaw-series-'));
  const folders = [
    await writeRun(root, '20261201-090000-one', resumedRunEvents(), experiment('one', 0.01)),
    await writeRun(root, '20261201-090100-two', resumedRunEvents(), experiment('two', 0.005)),
  ];
  const message = await comparisonMessage(folders, { summarize: standInSummarize, compare: standInCompare });
  assert.deepEqual(message.runs.map((run) => run.id), ['20261201-090000-one', '20261201-090100-two']);
  assert.deepEqual(Object.keys(message.differing).sort(), ['name', 'phases']);
  assert.equal(message.same.seed, 7);
  assert.deepEqual(message.series.map((series) => series.steps.globalStep.length), [6, 6]);
  await assert.rejects(comparisonMessage(folders, { summarize: async (list) => (await standInSummarize(list)).map((run) => ({ ...run, steps: -1 })), compare: standInCompare }), /steps/);
});
