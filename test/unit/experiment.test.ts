import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { ThawError } from '../../src/core/errors';
import { experimentJsonSchema } from '../../src/core/experiment/experiment-json-schema';
import { loadExperiment, parseExperiment } from '../../src/core/experiment/load-experiment';
import { resolvePhase } from '../../src/core/experiment/resolve-phase';
import { allGroupNames } from '../../src/trainer/model/parameter-groups';

const BASE = { model: './models/tiny', tasks: { a: { name: 'questions', train: 'a.csv' } } };
const GROUPS = allGroupNames(2);

function parse(json: object) {
  return parseExperiment(json, '/work/x.thaw.json');
}

function assertInvalid(json: object, pattern: RegExp): void {
  assert.throws(() => parse(json), (error: unknown) => error instanceof ThawError && error.message.startsWith('/work/x.thaw.json: invalid experiment: ') && pattern.test(error.message));
}

test('defaults fill in; paths become absolute, relative to the file', () => {
  const experiment = parse({ ...BASE, phases: [{ name: 'p', epochs: 1, lr: { heads: 1e-3 } }] });
  assert.equal(experiment.batchSize, 16);
  assert.equal(experiment.seed, 42);
  assert.equal(experiment.sampling, 'proportional');
  assert.deepEqual(experiment.lossWeights, { a: 1, b: 1 });
  assert.equal(experiment.tasks.a!.train, '/work/a.csv');
  assert.equal(experiment.tasks.a!.textColumn, 'text');
  assert.equal(experiment.output, '/work/runs');
  assert.equal(experiment.model, '/work/models/tiny', 'not a hub id: a path relative to the file');
  assert.equal(parse({ ...BASE, model: 'owner/name', preset: 'recipe' }).model, 'owner/name', 'no such folder here: a hub id');
  assert.equal(parse({ ...BASE, model: 'sentence-transformers/paraphrase-MiniLM-L6-v2', preset: 'recipe' }).model, 'sentence-transformers/paraphrase-MiniLM-L6-v2');
  const phase = experiment.phases[0];
  assert.deepEqual([phase.weightDecay, phase.schedule, phase.optimizerState, phase.evaluateOnly], [0.01, { warmupSteps: 0, decay: 'constant' }, 'keep', false]);
});

test('unknown keys and wrong types are errors that name the key', () => {
  assertInvalid({ ...BASE, preset: 'recipe', batchsize: 8 }, /\(top level\): unknown key "batchsize"/);
  assertInvalid({ ...BASE, phases: [{ name: 'p', epochs: 1, lrr: {} }] }, /phases\.0: unknown key "lrr"/);
  assertInvalid({ ...BASE, preset: 'recipe', batchSize: '16' }, /batchSize: Invalid input: expected number, received string/);
  assertInvalid({ ...BASE, preset: 'recipe', sampling: 'random' }, /sampling: /);
  assertInvalid({ ...BASE, phases: [{ name: 'p', epochs: 1, lr: { heads: -1e-3 } }] }, /phases\.0\.lr\.heads: must be >= 0/);
  assertInvalid({ ...BASE, phases: [{ name: 'p', epochs: 1, lr: { heads: Number.NaN } }] }, /phases\.0\.lr\.heads: /);
  assertInvalid({ ...BASE, phases: [{ name: 'p', epochs: 1, lr: { heads: 3 } }] }, /must be <= 1/);
  assertInvalid({ ...BASE, phases: [{ name: 'p', epochs: 1, steps: 5 }] }, /give exactly one of "epochs" and "steps"/);
  assertInvalid({ ...BASE }, /phases: give "phases" or a "preset"/);
  assertInvalid({ ...BASE, tasks: {}, preset: 'recipe' }, /tasks: give at least one task/);
  assertInvalid({ ...BASE, phases: [{ name: 'p', epochs: 1 }, { name: 'p', epochs: 2 }] }, /two phases are named "p"/);
});

test('presets expand into phases; the recipe can end with one head frozen', () => {
  assert.deepEqual(parse({ ...BASE, preset: 'recipe' }).phases.map((phase) => phase.name), ['warm-up', 'fine-tune']);
  const recipe = parse({ ...BASE, preset: 'recipe', recipeFrozenHead: 'a' });
  assert.deepEqual(recipe.phases.map((phase) => [phase.name, phase.frozen]), [['warm-up', ['encoder']], ['fine-tune', []], ['freeze-head-a', ['task_a_head']]]);
  assert.equal(parseExperiment({ ...BASE, phases: [{ name: 'mine', epochs: 1 }] }, '/work/x.thaw.json', 'freeze-all').phases[0].name, 'freeze-all', 'a preset given on the command line wins');
});

test('a phase resolves aliases, takes a group LR over its alias LR, and freezes exactly what it says', () => {
  const phase = parse({ ...BASE, phases: [{ name: 'p', epochs: 1, frozen: ['embeddings', 'task_b_head'], lr: { encoder: 2e-5, 'layer.1': 1e-4, heads: 1e-3 } }] }).phases[0];
  const resolved = resolvePhase(phase, 0, GROUPS, 2, 'x');
  assert.deepEqual(resolved.frozen, ['embeddings', 'task_b_head']);
  assert.deepEqual(resolved.learningRates, { 'layer.0': 2e-5, 'layer.1': 1e-4, task_a_head: 1e-3 });
});

test('phases that make no sense are refused, naming the phase', () => {
  const resolve = (phase: object) => resolvePhase(parse({ ...BASE, phases: [{ name: 'p', epochs: 1, ...phase }] }).phases[0], 0, GROUPS, 2, 'x.thaw.json');
  assert.throws(() => resolve({ frozen: ['layer.7'] }), /x.thaw.json: phase "p": unknown parameter group "layer.7"/);
  assert.throws(() => resolve({ lr: { decoder: 1e-3 } }), /phase "p": unknown parameter group "decoder"/);
  assert.throws(() => resolve({ frozen: ['encoder', 'heads'] }), /phase "p": every group is frozen, so nothing would train; use the freeze-all preset/);
  assert.throws(() => resolve({ frozen: ['encoder'], lr: {} }), /phase "p": group task_a_head trains but has no learning rate \(set lr.task_a_head or lr.heads\)/);
  assert.throws(() => resolve({ frozen: ['encoder'], evaluateOnly: true, lr: { heads: 1e-3 } }), /evaluateOnly trains nothing, but task_a_head, task_b_head are not frozen/);
  assert.equal(resolve({ frozen: ['encoder', 'heads'], evaluateOnly: true }).trainsNothing, true);
});

test('the shipped JSON Schema is the one generated from the validator (npm run schema)', () => {
  const shipped = JSON.parse(readFileSync(path.resolve(__dirname, '../../../schemas/thaw-experiment.schema.json'), 'utf8')) as unknown;
  assert.deepEqual(shipped, experimentJsonSchema());
});

test('the demo experiment is valid', async () => {
  const demo = await loadExperiment(path.resolve(__dirname, '../../../demo/demo.thaw.json'));
  assert.deepEqual(demo.phases.map((phase) => phase.name), ['warm-up', 'fine-tune']);
});
