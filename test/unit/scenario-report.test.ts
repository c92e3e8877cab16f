// The scenario report from run folders written by hand: a fork's history starts with its
// parent's validations up to the fork, drift is measured over the frozen phase, and a
// standalone freeze-head scenario says its head never trained.

import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { readRunHistory, taskOutcomes } from '../../src/core/sweeps/run-history';
import { formatScenarioReport, scenarioReport } from '../../src/core/sweeps/scenario-report';
import { temporaryFolder } from '../helpers/tiny-model';

const workspace = temporaryFolder();
after(() => workspace.cleanup());
const time = '2026-12-01T09:00:00.000Z';
const metrics = (accuracy: number) => ({ loss: 1, accuracy, macroF1: accuracy / 2, examples: 10 });
const validation = (phase: string, globalStep: number, a: number, b: number) => ({ type: 'validation', time, phase, globalStep, epoch: 1, tasks: { a: metrics(a), b: metrics(b) } });
const phaseStart = (phase: string, phaseIndex: number, frozen: string[]) => ({ type: 'phase-start', time, phase, phaseIndex, totalSteps: 4, frozen, learningRates: {}, groupHashes: {}, trainsNothing: false, usesEmbeddingCache: false });

function writeRun(name: string, events: object[], forkedFrom?: { run: string; step: number }): string {
  const folder = path.join(workspace.folder, name);
  mkdirSync(folder, { recursive: true });
  const start = {
    type: 'run-start', time, runId: name, runFolder: folder, backend: 'wasm',
    model: { source: 'm', parameterCount: 110, groups: { embeddings: 50, 'layer.0': 50, task_a_head: 6, task_b_head: 4 } },
    tasks: {},
    ...(forkedFrom === undefined ? {} : { forkedFrom: { run: forkedFrom.run, checkpoint: path.join(forkedFrom.run, 'checkpoints', 'x') } }),
  };
  if (forkedFrom !== undefined) {
    mkdirSync(path.join(forkedFrom.run, 'checkpoints', 'x'), { recursive: true });
    writeFileSync(path.join(forkedFrom.run, 'checkpoints', 'x', 'position.json'), JSON.stringify({ phaseIndex: 2, stepInPhase: 0, globalStep: forkedFrom.step }));
  }
  const end = { type: 'run-end', time, status: 'completed', globalStep: 8, elapsedMs: 1000 };
  writeFileSync(path.join(folder, 'events.jsonl'), [start, ...events, end].map((event) => `${JSON.stringify(event)}\n`).join('') + '{"type":"vali');
  return folder;
}

test('a fork continues its parent up to the fork; drift is the frozen task over its frozen phase', () => {
  const recipe = writeRun('recipe', [phaseStart('warm-up', 0, ['embeddings', 'layer.0']), validation('warm-up', 4, 0.3, 0.5), phaseStart('fine-tune', 1, []), validation('fine-tune', 8, 0.6, 0.55), validation('fine-tune', 9, 0.99, 0.99)]);
  const frozen = writeRun('frozen', [phaseStart('freeze-head-a', 2, ['task_a_head']), validation('freeze-head-a', 12, 0.4, 0.7)], { run: recipe, step: 8 });
  const standalone = writeRun('standalone', [phaseStart('freeze-head-a', 0, ['task_a_head']), validation('freeze-head-a', 4, 0.2, 0.6)]);
  const history = readRunHistory(frozen);
  assert.deepEqual(history.validations.map((event) => event.globalStep), [4, 8, 12], "the parent's validations after the fork are not this run's");
  assert.equal(history.elapsedMs, 2000);
  assert.deepEqual(history.ancestors, [recipe]);
  assert.deepEqual(taskOutcomes(history).a, { first: metrics(0.3), final: metrics(0.4), best: metrics(0.6) });

  const report = scenarioReport([
    { keys: { scenario: 'freeze-head-a' }, history: readRunHistory(standalone) },
    { keys: { scenario: 'recipe+freeze-head-a' }, history },
  ]);
  assert.deepEqual(report.rows[0].drift, { task: 'a', note: 'n/a (head never trained)' });
  assert.deepEqual(report.rows[1].drift, { task: 'a', before: 0.6, after: 0.4 });
  assert.equal(report.rows[1].trainableParameters, 104);
  assert.equal(report.best.find((best) => best.task === 'b')?.label, 'recipe+freeze-head-a');
  const text = formatScenarioReport(report, { a: 'question type' });
  assert.match(text, /^recipe\+freeze-head-a +1 +0\.300→0\.400 +0\.150→0\.200 .* a: 0\.600→0\.400 \(-0\.200\)$/m);
  assert.match(text, /^best for task a \(question type\): recipe\+freeze-head-a, final accuracy 0\.400$/m);
});

test('with seeds a row is the mean of its runs, and the best line gives mean ± std and p against the runner-up', () => {
  const runs = [0.8, 0.82, 0.78, 0.6, 0.62, 0.58].map((accuracy, index) => ({
    keys: { scenario: index < 3 ? 'recipe' : 'freeze-encoder', seed: index % 3 },
    history: readRunHistory(writeRun(`seed${index}`, [phaseStart('p', 0, []), validation('p', 4, 0.1, 0.5), validation('p', 8, accuracy, 0.5)])),
  }));
  const report = scenarioReport(runs);
  assert.equal(report.rows.length, 2);
  assert.equal(report.rows[0].n, 3);
  assert.ok(Math.abs(report.rows[0].tasks.a!.after.accuracy - 0.8) < 1e-12);
  const best = report.best.find((entry) => entry.task === 'a')!;
  assert.equal(best.label, 'recipe');
  assert.ok(best.pValues['freeze-encoder']! < 0.001);
  assert.match(formatScenarioReport(report), /best for task a: recipe, final accuracy 0\.800 ± 0\.020 \(n=3\); Welch p vs freeze-encoder: /);
});
