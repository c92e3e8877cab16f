// The comparison's seed groups: which runs form a group, the spread of their final metrics, and
// the curves' statistics at aligned steps, worked by hand; and the protocol's check of a groups
// payload.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { comparisonGroups, spreadColumns } from '../../src/extension/runs/run-groups';
import { parseCompareHostToWebview, type RunSeries } from '../../src/protocol/compare-messages';
import type { RunSummary } from '../../src/protocol/run-summary';

const close = (actual: number | null | undefined, expected: number, what: string) => assert.ok(actual !== null && actual !== undefined && Math.abs(actual - expected) < 1e-5, `${what}: ${actual} vs ${expected}`);

function run(id: string, variant: Record<string, unknown> | undefined, accuracy: number, macroF1: number): RunSummary {
  return {
    id,
    folder: `/runs/${id}`,
    name: id,
    status: 'completed',
    steps: 3,
    phases: ['fine-tune'],
    resumable: false,
    tags: [],
    notes: '',
    color: 0,
    config: {},
    tasks: { a: { name: 'sentiment', final: { accuracy, macroF1, loss: 0.5, step: 3 } } },
    ...(variant === undefined ? {} : { sweep: { id: 'sweep-1', variant } }),
  };
}

function series(runId: string, steps: number[], loss: (number | null)[], validationSteps: number[], accuracy: (number | null)[]): RunSeries {
  return {
    runId,
    color: 0,
    phases: [],
    steps: { globalStep: steps, epoch: steps.map((step) => step / 10), loss: { a: loss }, learningRates: {} },
    validations: { globalStep: validationSteps, epoch: validationSteps.map(() => 1), tasks: { a: { loss: accuracy.map(() => 0.5), accuracy, macroF1: accuracy } } },
  };
}

test('spreadColumns: mean and sample std at each aligned step, a run without the step left out', () => {
  // Step 1: 1, 3, 5 -> mean 3, sample std 2. Step 2: 2 and 6 (the third run lacks it) -> mean 4, std sqrt(8) = 2.828427.
  // Step 3: only 7 -> mean 7, std null. Step 4: no run -> all null.
  const columns = spreadColumns(
    [1, 2, 3, 4],
    [
      { steps: [1, 2], values: [1, 2] },
      { steps: [1, 2, 3], values: [3, 6, 7] },
      { steps: [1, 3], values: [5, null] },
    ],
  );
  assert.deepEqual(columns.mean, [3, 4, 7, null]);
  close(columns.std[0], 2, 'std at step 1');
  close(columns.std[1], Math.sqrt(8), 'std at step 2');
  assert.equal(columns.std[2], null);
  assert.equal(columns.std[3], null);
  assert.deepEqual(columns.min, [1, 2, 7, null]);
  assert.deepEqual(columns.max, [5, 6, 7, null]);
});

test('comparisonGroups: runs differing only by seed form a group; other runs are groups of one', () => {
  const runs = [
    run('r1', { lr: 1, seed: 1 }, 0.8, 0.7),
    run('r2', { lr: 2, seed: 1 }, 0.6, 0.5),
    run('r3', { lr: 1, seed: 2 }, 0.9, 0.8),
    run('r4', undefined, 0.5, 0.4),
  ];
  const groups = comparisonGroups(runs, [
    series('r1', [0, 1, 2], [1.0, 0.8, 0.6], [2], [0.7]),
    series('r2', [0, 1, 2], [1.0, 0.9, 0.8], [2], [0.5]),
    series('r3', [0, 2], [0.6, 0.4], [2], [0.9]),
    series('r4', [0], [1], [], []),
  ]);
  assert.ok(groups !== undefined);
  assert.deepEqual(groups.map((group) => [group.label, group.runIds, group.n]), [
    ['lr=1', ['r1', 'r3'], 2],
    ['lr=2', ['r2'], 1],
    ['r4', ['r4'], 1],
  ]);
  const [pair] = groups;
  close(pair.tasks.a?.final.accuracy.mean, 0.85, 'final accuracy mean');
  close(pair.tasks.a?.final.accuracy.std, Math.sqrt(0.005), 'final accuracy std');
  close(pair.tasks.a?.final.macroF1.mean, 0.75, 'final macro-F1 mean');
  // Loss at steps 0, 1, 2: (1.0, 0.6) -> 0.8; only r1's 0.8 at step 1 -> std null; (0.6, 0.4) -> 0.5.
  assert.deepEqual(pair.steps?.globalStep, [0, 1, 2]);
  assert.deepEqual(pair.steps?.loss.a?.mean, [0.8, 0.8, 0.5]);
  close(pair.steps?.loss.a?.std[0], Math.sqrt(0.08), 'loss std at step 0');
  assert.equal(pair.steps?.loss.a?.std[1], null);
  close(pair.validations?.tasks.a?.accuracy.mean[0], 0.8, 'validation accuracy mean');
  assert.equal(groups[1].steps, undefined, 'a group of one sends no curves');
  // The message with these groups passes the protocol.
  const message = { type: 'comparison', runs, differing: {}, same: {}, series: [], groups };
  assert.ok(parseCompareHostToWebview(message).ok);
});

test('comparisonGroups: no groups when no two runs differ only by seed', () => {
  const runs = [run('r1', { lr: 1, seed: 1 }, 0.8, 0.7), run('r2', { lr: 2, seed: 1 }, 0.6, 0.5), run('r3', undefined, 0.5, 0.4)];
  assert.equal(comparisonGroups(runs, []), undefined);
});

test('protocol: a groups payload is checked', () => {
  const spreadOf = { mean: 0.8, std: 0.1, min: 0.7, max: 0.9 };
  const columns = { mean: [1, 0.5], std: [0.1, null], min: [0.9, 0.5], max: [1.1, 0.5] };
  const group = {
    label: 'lr=1',
    runIds: ['r1', 'r2'],
    n: 2,
    tasks: { a: { final: { accuracy: spreadOf, macroF1: spreadOf } } },
    steps: { globalStep: [0, 1], epoch: [0, 0.1], loss: { a: columns } },
  };
  const message = (groups: unknown) => ({ type: 'comparison', runs: [], differing: {}, same: {}, series: [], groups });
  assert.ok(parseCompareHostToWebview(message([group])).ok);
  assert.ok(parseCompareHostToWebview({ type: 'comparison', runs: [], differing: {}, same: {}, series: [] }).ok, 'groups are optional');
  const rejected = (groups: unknown, why: string) => assert.equal(parseCompareHostToWebview(message(groups)).ok, false, why);
  rejected([{ ...group, n: 3 }], 'n must count the runIds');
  rejected([{ ...group, runIds: [], n: 0 }], 'a group has a run');
  rejected([{ ...group, tasks: { c: group.tasks.a } }], 'tasks are a or b');
  rejected([{ ...group, tasks: { a: { final: { accuracy: { ...spreadOf, std: NaN }, macroF1: spreadOf } } } }], 'a spread is finite');
  rejected([{ ...group, steps: { ...group.steps, loss: { a: { ...columns, std: [0.1] } } } }], 'spread columns have one value per step');
  rejected([{ ...group, steps: { ...group.steps, globalStep: [0] } }], 'step columns have one value per step');
  rejected([{ ...group, extra: true }], 'no unknown fields');
});
