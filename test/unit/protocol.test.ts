// Messages crossing a process boundary are validated on arrival: a well-formed event passes,
// anything else is refused with a reason (and the host logs and drops it).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseHostToWebview, parseWebviewToHost } from '../../src/protocol/panel-messages';
import { parseHostToTrainer, parseTrainerEvent } from '../../src/protocol/trainer-events';

const STEP = {
  type: 'step', time: '2026-11-27T09:00:00.000Z', phase: 'warm-up', phaseIndex: 0, step: 3, totalSteps: 40, globalStep: 3,
  loss: { a: 1.25, b: 0.69 }, learningRates: { 'layer.0': 0, task_a_head: 1e-3 }, elapsedMs: 1200,
};

test('a valid step event passes and comes back unchanged', () => {
  const parsed = parseTrainerEvent(STEP);
  assert.ok(parsed.ok);
  assert.deepEqual(parsed.value, STEP);
});

test('malformed events are refused with the offending field named', () => {
  const cases: [unknown, RegExp][] = [
    [{ ...STEP, type: 'explode' }, /type/],
    [{ ...STEP, loss: { c: 1 } }, /loss/],
    [{ ...STEP, loss: { a: Number.NaN } }, /loss\.a/],
    [{ ...STEP, learningRates: { 'layer.x': 1 } }, /learningRates/],
    [{ ...STEP, step: -1 }, /step/],
    [{ ...STEP, extra: true }, /extra|Unrecognized/],
    [{ ...STEP, time: 'yesterday' }, /time/],
    ['{"type":"step"}', /expected object/i],
    [null, /expected object/i],
  ];
  for (const [value, pattern] of cases) {
    const parsed = parseTrainerEvent(value);
    assert.ok(!parsed.ok, JSON.stringify(value));
    assert.match(parsed.error, pattern);
  }
});

test('the host may only send "stop"', () => {
  assert.ok(parseHostToTrainer({ type: 'stop' }).ok);
  assert.ok(!parseHostToTrainer({ type: 'stop', now: true }).ok);
  assert.ok(!parseHostToTrainer({ type: 'rm -rf' }).ok);
});

const SETUP = {
  type: 'setup',
  groups: [
    { group: 'embeddings', parameterCount: 10, frozen: true, learningRate: 2e-5, learningRateFrom: 'alias' },
    { group: 'task_a_head', parameterCount: 4, frozen: false, learningRate: 1e-3, learningRateFrom: 'group' },
    { group: 'task_b_head', parameterCount: 4, frozen: true },
  ],
  trainableParameters: 4,
  totalParameters: 18,
  training: false,
  experiment: 'thaw.json',
  phases: [{ name: 'warm-up', hasRun: true }, { name: 'fine-tune', hasRun: false }],
  selectedPhase: 'fine-tune',
};

test('a setup message carries the phases, the selected phase, and each group\'s rate and where it comes from', () => {
  const parsed = parseHostToWebview(SETUP);
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.error);
  assert.deepEqual(parsed.value, SETUP);
  // A frozen group without a rate in the phase, and a file with no phases selected, are fine.
  const minimal = parseHostToWebview({ ...SETUP, phases: [], selectedPhase: undefined });
  assert.ok(minimal.ok);
  const invalidFile = parseHostToWebview({ ...SETUP, problem: { message: 'phases[1].lr.encoder: expected a number', line: 12 } });
  assert.ok(invalidFile.ok);
  assert.deepEqual(invalidFile.value.type === 'setup' && invalidFile.value.problem, { message: 'phases[1].lr.encoder: expected a number', line: 12 });
});

test('malformed setup messages are refused with the offending field named', () => {
  const withoutPhases: Record<string, unknown> = { ...SETUP };
  delete withoutPhases.phases;
  const cases: [unknown, RegExp][] = [
    [withoutPhases, /phases/],
    [{ ...SETUP, phases: [{ name: '', hasRun: false }] }, /phases\.0\.name/],
    [{ ...SETUP, phases: [{ name: 'warm-up' }] }, /phases\.0\.hasRun/],
    [{ ...SETUP, selectedPhase: '' }, /selectedPhase/],
    [{ ...SETUP, problem: { message: '' } }, /problem\.message/],
    [{ ...SETUP, problem: { message: 'bad', line: 0 } }, /problem\.line/],
    [{ ...SETUP, problem: 'bad' }, /problem/],
    [{ ...SETUP, groups: [{ ...SETUP.groups[0], learningRateFrom: 'default' }] }, /groups\.0\.learningRateFrom/],
    [{ ...SETUP, groups: [{ ...SETUP.groups[0], learningRate: -1 }] }, /groups\.0\.learningRate/],
  ];
  for (const [value, pattern] of cases) {
    const parsed = parseHostToWebview(value);
    assert.ok(!parsed.ok, JSON.stringify(value));
    assert.match(parsed.error, pattern);
  }
});

test('the panel selects and starts phases of the file by name', () => {
  assert.deepEqual(parseWebviewToHost({ type: 'selectPhase', phase: 'fine-tune' }), { ok: true, value: { type: 'selectPhase', phase: 'fine-tune' } });
  // Any phase the file names, not only the two of the recipe.
  assert.deepEqual(parseWebviewToHost({ type: 'start', phase: 'continual-b' }), { ok: true, value: { type: 'start', phase: 'continual-b' } });
  for (const refused of [
    { type: 'selectPhase', phase: '' },
    { type: 'selectPhase' },
    { type: 'start', phase: '' },
    { type: 'start' },
    { type: 'start', phase: 3 },
    { type: 'start', phase: 'warm-up', now: true },
  ]) {
    assert.ok(!parseWebviewToHost(refused).ok, JSON.stringify(refused));
  }
});
