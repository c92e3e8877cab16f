// Flattening experiments to dotted keys, comparing runs key by key, and run colors.

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { after, test } from 'node:test';
import type { RunSummary } from '../../src/protocol/run-summary';
import { compareRuns } from '../../src/core/runs/compare-runs';
import { flattenConfig } from '../../src/core/runs/flatten-config';
import { listRuns } from '../../src/core/runs/list-runs';
import { readRunMetadata, updateRunMetadata } from '../../src/core/runs/run-metadata';
import { summarizeRun } from '../../src/core/runs/summarize-run';
import { writeSyntheticRun } from '../helpers/synthetic-run';
import { temporaryFolder } from '../helpers/tiny-model';

const workspace = temporaryFolder('thaw-compare-');
after(() => workspace.cleanup());

test('flattening: phases keyed by name, group names with dots, arrays and empty objects as values', () => {
  const flat = flattenConfig({
    $schema: '../schemas/thaw-experiment.schema.json',
    name: 'demo',
    tasks: { a: { name: 'questions', train: '/d/a.csv' } },
    batchSize: 16,
    maxGradNorm: null,
    phases: [
      { name: 'warm-up', epochs: 3, frozen: ['encoder'], lr: { task_a_head: 0.01 } },
      { name: 'fine-tune', steps: 10, frozen: [], lr: { 'layer.0': 2e-5 }, schedule: {} },
    ],
  });
  assert.deepEqual(flat, {
    name: 'demo',
    'tasks.a.name': 'questions',
    'tasks.a.train': '/d/a.csv',
    batchSize: 16,
    maxGradNorm: null,
    'phases.warm-up.name': 'warm-up',
    'phases.warm-up.epochs': 3,
    'phases.warm-up.frozen': ['encoder'],
    'phases.warm-up.lr.task_a_head': 0.01,
    'phases.fine-tune.name': 'fine-tune',
    'phases.fine-tune.steps': 10,
    'phases.fine-tune.frozen': [],
    'phases.fine-tune.lr.layer.0': 2e-5,
    'phases.fine-tune.schedule': {},
  });
  assert.deepEqual(flattenConfig(null), {});
  assert.deepEqual(flattenConfig({ phases: [{ epochs: 1 }] }), { 'phases.0.epochs': 1 }, 'a phase without a name by its position');
});

const run = (id: string, config: Record<string, unknown>): RunSummary => ({ id, folder: `/runs/${id}`, name: id, status: 'completed', steps: 1, phases: [], resumable: false, tags: [], notes: '', color: 0, config, tasks: {} });

test('compare: differing holds only keys whose values differ, one value per run; a missing key differs (null)', () => {
  const a = run('a', { seed: 1, batchSize: 16, 'phases.warm-up.frozen': ['encoder'], 'phases.warm-up.lr.heads': 0.01 });
  const b = run('b', { seed: 2, batchSize: 16, 'phases.warm-up.frozen': ['encoder'], 'phases.warm-up.lr.heads': 0.01, 'phases.extra.steps': 5 });
  const c = run('c', { seed: 1, batchSize: 16, 'phases.warm-up.frozen': ['heads'], 'phases.warm-up.lr.heads': 0.01 });
  const comparison = compareRuns([a, b, c]);
  assert.deepEqual(comparison.differing, { 'phases.extra.steps': [null, 5, null], 'phases.warm-up.frozen': [['encoder'], ['encoder'], ['heads']], seed: [1, 2, 1] });
  assert.deepEqual(comparison.same, { batchSize: 16, 'phases.warm-up.lr.heads': 0.01 });
  assert.deepEqual(comparison.runs, [a, b, c]);
  assert.deepEqual(compareRuns([a, a]).differing, {});
  // A key that is null in one run and missing in another still differs: null is a value (no clipping).
  assert.deepEqual(compareRuns([run('x', { maxGradNorm: null }), run('y', {})]).differing, { maxGradNorm: [null, null] });
});

test('colors: the smallest index no other run holds, given oldest first, kept, never changed or shared', async () => {
  const runs = path.join(workspace.folder, 'colors');
  const at = (hour: number) => ({ end: 'completed' as const, phases: [{ name: 'p', steps: 2, frozen: [] }], start: new Date(Date.UTC(2026, 11, 1, hour)) });
  const oldest = writeSyntheticRun(runs, '20261201-080000-x', at(8));
  const middle = writeSyntheticRun(runs, '20261201-090000-x', at(9));
  const newest = writeSyntheticRun(runs, '20261201-100000-x', at(10));
  await updateRunMetadata(middle, { color: 0 });
  const junk = path.join(runs, 'junk');
  mkdirSync(junk);

  const first = await listRuns(runs);
  const colorOf = (summaries: RunSummary[], folder: string) => summaries.find((summary) => summary.folder === folder)?.color;
  assert.deepEqual([colorOf(first, oldest), colorOf(first, middle), colorOf(first, newest)], [1, 0, 2]);
  assert.equal((await readRunMetadata(oldest)).color, 1, 'kept in the metadata');
  assert.ok(!existsSync(path.join(junk, 'run.meta.json')), 'a folder that is not a run gets none');

  // A deleted run's index is free again: a new run takes the smallest free one, the others keep theirs.
  rmSync(oldest, { recursive: true });
  const later = writeSyntheticRun(runs, '20261201-110000-x', at(11));
  assert.equal((await summarizeRun(later)).color, 1);
  const again = await listRuns(runs, { cache: false });
  assert.deepEqual([colorOf(again, middle), colorOf(again, newest), colorOf(again, later)], [0, 2, 1]);
});
