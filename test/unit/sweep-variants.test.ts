import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ThawError } from '../../src/core/errors';
import { parseExperiment } from '../../src/core/experiment/load-experiment';
import { parseGridKey } from '../../src/core/sweeps/grid-keys';
import { groupRuns } from '../../src/core/sweeps/sweep-groups';
import { planSegments } from '../../src/core/sweeps/sweep-plan';
import { sweepVariants } from '../../src/core/sweeps/sweep-variants';

const FILE = '/work/x.thaw.json';
const BASE = {
  model: '/models/tiny',
  tasks: { a: { name: 'questions', train: '/data/a.csv' }, b: { name: 'sentiment', train: '/data/b.csv' } },
  phases: [
    { name: 'warm-up', epochs: 2, frozen: ['encoder'], lr: { heads: 1e-2 } },
    { name: 'fine-tune', epochs: 1, lr: { encoder: 2e-5, heads: 1e-3 } },
  ],
};
const experiment = (settings: object) => parseExperiment({ ...BASE, ...settings }, FILE);
const rejects = (fn: () => unknown, pattern: RegExp) => assert.throws(fn, (error: unknown) => error instanceof ThawError && pattern.test(error.message) && !error.message.includes('\n'));

test('grid keys are parsed with the schema: phases by name, group names keep their dots', () => {
  assert.deepEqual(parseGridKey('phases.fine-tune.lr.layer.0', ['warm-up', 'fine-tune']), [{ key: 'phases' }, { phase: 'fine-tune' }, { key: 'lr' }, { key: 'layer.0' }]);
  assert.deepEqual(parseGridKey('phases.v1.2.epochs', ['v1.2']), [{ key: 'phases' }, { phase: 'v1.2' }, { key: 'epochs' }]);
  assert.deepEqual(parseGridKey('lossWeights.a', []), [{ key: 'lossWeights' }, { key: 'a' }]);
  rejects(() => parseGridKey('phases.fine-tune.lrr.encoder', ['fine-tune'], FILE), /sweep\.grid: "phases\.fine-tune\.lrr\.encoder": unknown key "lrr"/);
  rejects(() => parseGridKey('batchSize.x', [], FILE), /"batchSize" is a value/);
  rejects(() => parseGridKey('output', [], FILE), /"output" cannot be swept/);
});

test('every combination of grid values and seeds is a variant, recording the keys as written and without the sweep key', () => {
  const variants = sweepVariants(experiment({ sweep: { grid: { 'phases.fine-tune.lr.layer.0': [1e-5, 3e-5], batchSize: [8, 16] }, seeds: [1, 2] } }));
  assert.equal(variants.length, 8);
  assert.deepEqual(variants[0].keys, { 'phases.fine-tune.lr.layer.0': 1e-5, batchSize: 8, seed: 1 });
  const last = variants[7].experiment;
  assert.equal(last.phases[1].lr['layer.0'], 3e-5);
  assert.equal(last.phases[1].lr.encoder, 2e-5);
  assert.equal(last.batchSize, 16);
  assert.equal(last.seed, 2);
  assert.equal(last.sweep, undefined);
});

test('a grid key applies only where it leads somewhere: scenarios without the phase are not multiplied; a key that applies to none is one line naming it', () => {
  const file = experiment({ sweep: { grid: { 'phases.fine-tune.lr.encoder': [1e-5, 2e-5, 5e-5] } } });
  const variants = sweepVariants(file, { scenarios: true });
  const labels = variants.map((variant) => variant.label);
  assert.equal(labels.filter((label) => label.startsWith('scenario=recipe ')).length, 3);
  assert.equal(labels.filter((label) => label.startsWith('scenario=freeze-all')).length, 1, 'freeze-all has no fine-tune phase: not multiplied');
  assert.equal(variants.length, 4 + 3);
  const recipe = variants.find((variant) => variant.label.startsWith('scenario=recipe '))!;
  assert.equal(recipe.experiment.preset, 'recipe', 'a scenario run names its scenario in preset');
  assert.equal(recipe.experiment.phases[0].epochs, 2, "the file's epochs where a phase matches");
  rejects(() => sweepVariants(experiment({ sweep: { grid: { 'phases.fine-tun.lr.encoder': [1e-5] } } })), /^\/work\/x\.thaw\.json: sweep\.grid: "phases\.fine-tun\.lr\.encoder" applies to no variant: .*phase named "fine-tun"/);
  rejects(() => sweepVariants(experiment({ sweep: { grid: { 'phases.fine-tune.lr.encoder': [5] } } })), /sweep \(phases\.fine-tune\.lr\.encoder=5\): invalid experiment: phases\.1\.lr\.encoder: must be <= 1/);
});

test("scenarios use the file's rates and epochs by name or by role; the recipe with a frozen head only when the file sets it", () => {
  const variants = sweepVariants(experiment({ recipeFrozenHead: 'a' }), { scenarios: true });
  assert.deepEqual(variants.map((variant) => variant.keys.scenario), ['freeze-all', 'freeze-encoder', 'freeze-head-a', 'freeze-head-b', 'recipe', 'recipe+freeze-head-a']);
  const byName = (name: string) => variants.find((variant) => variant.keys.scenario === name)!.experiment;
  assert.deepEqual(byName('freeze-encoder').phases[0].lr, { heads: 1e-2 });
  assert.equal(byName('freeze-encoder').phases[0].epochs, 2);
  assert.deepEqual(byName('freeze-head-a').phases[0].lr, { encoder: 2e-5, task_b_head: 1e-3 });
  assert.equal(byName('freeze-head-a').phases[0].epochs, 1);
  assert.deepEqual(byName('recipe+freeze-head-a').phases.map((phase) => phase.name), ['warm-up', 'fine-tune', 'freeze-head-a']);
  assert.equal(byName('recipe').recipeFrozenHead, undefined);
});

test('runs fork after the longest common prefix: three fine-tune rates share one warm-up; the recipe with a frozen head continues the recipe', () => {
  const grid = planSegments(sweepVariants(experiment({ sweep: { grid: { 'phases.fine-tune.lr.encoder': [1e-5, 2e-5, 5e-5] } } })));
  assert.deepEqual(grid.map((segment) => [segment.id, segment.parent, segment.firstPhase, segment.lastPhase, segment.variants]), [
    ['r0', undefined, 0, 0, []],
    ['r1', 'r0', 1, 1, [0]],
    ['r2', 'r0', 1, 1, [1]],
    ['r3', 'r0', 1, 1, [2]],
  ]);
  const scenarios = planSegments(sweepVariants(experiment({ recipeFrozenHead: 'b' }), { scenarios: true }));
  const recipe = scenarios.find((segment) => segment.experiment.preset === 'recipe' && segment.experiment.recipeFrozenHead === undefined)!;
  const frozenHead = scenarios.find((segment) => segment.experiment.recipeFrozenHead === 'b')!;
  assert.equal(frozenHead.parent, recipe.id);
  assert.equal(frozenHead.firstPhase, 2);
  assert.equal(scenarios.length, 6);
  // Seeds shape every phase: nothing is shared between them.
  const seeds = planSegments(sweepVariants(experiment({ sweep: { seeds: [1, 2, 3] } })));
  assert.equal(seeds.length, 3);
  assert.ok(seeds.every((segment) => segment.parent === undefined));
});

test('groups: runs that differ only by the group-by keys; n, mean, sample std, min, max; Welch p against the baseline with groups of 3', () => {
  const outcome = (accuracy: number) => ({ a: { first: metrics(0.1), final: metrics(accuracy), best: metrics(accuracy + 0.01) } });
  const metrics = (accuracy: number) => ({ loss: 1, accuracy, macroF1: accuracy / 2, examples: 10 });
  const runs = [0.81, 0.79, 0.84, 0.72, 0.75, 0.7].map((accuracy, index) => ({ id: `run${index}`, keys: { lr: index < 3 ? 1 : 2, seed: index % 3 }, tasks: outcome(accuracy) }));
  const grouped = groupRuns(runs, ['seed']);
  assert.equal(grouped.groups.length, 2);
  const [first, second] = grouped.groups;
  assert.deepEqual(first.runs, ['run0', 'run1', 'run2']);
  assert.equal(first.n, 3);
  const final = first.tasks.a!.final.accuracy;
  assert.ok(Math.abs(final.mean - 0.8133333333333334) < 1e-12);
  assert.ok(Math.abs(final.std! - 0.025166114784235857) < 1e-12);
  assert.deepEqual([final.min, final.max], [0.79, 0.84]);
  assert.equal(grouped.baseline, 'lr=1');
  assert.equal(first.pValues, undefined);
  assert.ok(Math.abs(second.pValues!.a!.accuracy! - 0.01187510911723981) < 1e-10, 'the scipy case above');
  assert.equal(groupRuns(runs.slice(0, 4), ['seed']).groups[1].pValues, undefined, 'no p-value for a group of one');
});

test('with one task there is no freeze-head scenario (it would freeze the only head, or one that does not exist)', () => {
  const variants = sweepVariants(experiment({ tasks: { a: { name: 'questions', train: '/data/a.csv' } } }), { scenarios: true });
  assert.deepEqual(variants.map((variant) => variant.keys.scenario), ['freeze-all', 'freeze-encoder', 'recipe']);
});
