// `thaw sweep` as a child process on a tiny model and the demo data: one run per scenario with
// fair starts (bit-identical encoders and initial heads), one warm-up shared by three fine-tune
// rates, seeds grouped with the right statistics, a bad grid key, and stop then resume.

import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { readManifest, type SweepManifest } from '../../src/core/sweeps/sweep-manifest';
import { mean, sampleVariance } from '../../src/core/sweeps/statistics';
import { parseSafetensors } from '../../src/trainer/model/safetensors';
import type { TrainerEvent } from '../../src/protocol/trainer-events';
import { runSweepCli } from '../helpers/sweep-child';
import { recordedEvents, stepLosses } from '../helpers/thaw-child';
import { temporaryFolder } from '../helpers/tiny-model';
import { tinyDemoModel, writeExperiment } from '../helpers/tiny-experiment';

const workspace = temporaryFolder();
let model: string;
let environment: NodeJS.ProcessEnv;

before(async () => {
  model = await tinyDemoModel(workspace.folder);
  environment = { ...process.env, THAW_CACHE: path.join(workspace.folder, 'cache') };
});
after(() => workspace.cleanup());

const PHASES = [
  { name: 'warm-up', steps: 6, frozen: ['encoder'], lr: { heads: 1e-2 } },
  { name: 'fine-tune', steps: 12, lr: { encoder: 1e-4, heads: 1e-3 } },
];
const RATES = [1e-5, 5e-5, 2e-4];

function sweepFile(name: string, settings: Record<string, unknown>): string {
  return writeExperiment(workspace.folder, name, model, { phases: PHASES, output: path.join(workspace.folder, `runs-${name}`), ...settings });
}

async function manifestOf(name: string): Promise<SweepManifest> {
  const folder = path.join(workspace.folder, `runs-${name}`, '.sweeps');
  const files = readdirSync(folder).filter((file) => file.endsWith('.json'));
  assert.equal(files.length, 1, 'one manifest');
  return readManifest(path.join(folder, files[0]));
}

const runFolders = (name: string) => readdirSync(path.join(workspace.folder, `runs-${name}`)).filter((entry) => !entry.startsWith('.'));
const runOf = (manifest: SweepManifest, scenario: string) => manifest.runs.find((run) => run.id === manifest.variants.find((variant) => variant.keys.scenario === scenario)!.run)!.runFolder!;
const checkpointFile = (runFolder: string, file: string) => {
  const latest = JSON.parse(readFileSync(path.join(runFolder, 'checkpoints', 'latest.json'), 'utf8')) as { folder: string };
  return readFileSync(path.join(runFolder, 'checkpoints', latest.folder, file));
};
const headTensors = (runFolder: string, head: string) =>
  [...parseSafetensors(checkpointFile(runFolder, 'heads.safetensors'), 'heads').tensors.values()].filter((tensor) => tensor.name.startsWith(head)).map((tensor) => [tensor.name, Buffer.from(tensor.bytes).toString('hex')]);
const ofType = <T extends TrainerEvent['type']>(events: readonly TrainerEvent[], type: T) => events.filter((event): event is Extract<TrainerEvent, { type: T }> => event.type === type);

test('thaw sweep --scenarios: one run per scenario from the same encoder and initial heads; the report has a row each', async () => {
  const file = sweepFile('scenarios', { recipeFrozenHead: 'a' });
  const sweep = runSweepCli([file, '--scenarios', '--json'], environment);
  assert.equal(await sweep.exited, 0, sweep.stderr());
  assert.match(sweep.stderr(), /size: 6 variants, \d+ steps in 6 runs/);
  assert.match(sweep.stderr(), /scenario=freeze-head-a: freeze-head-a \(12 steps; frozen: task_a_head; lr encoder 0\.0001, task_b_head 0\.001\)/, "the preview: the file's fine-tune rates and steps");
  const manifest = await manifestOf('scenarios');
  assert.equal(manifest.status, 'completed');
  assert.deepEqual(manifest.variants.map((variant) => variant.keys.scenario), ['freeze-all', 'freeze-encoder', 'freeze-head-a', 'freeze-head-b', 'recipe', 'recipe+freeze-head-a']);
  assert.equal(runFolders('scenarios').length, 6, 'one run per scenario (the frozen-head recipe continues the recipe)');

  for (const variant of manifest.variants) {
    const folder = manifest.runs.find((run) => run.id === variant.run)!.runFolder!;
    const recorded = JSON.parse(readFileSync(path.join(folder, 'experiment.json'), 'utf8')) as Record<string, unknown>;
    assert.equal(recorded.preset, String(variant.keys.scenario).split('+')[0], 'experiment.json names the scenario in preset');
    assert.equal(recorded.sweep, undefined, 'no sweep key in a variant run');
    const start = ofType(recordedEvents(folder), 'run-start')[0];
    assert.deepEqual(start.sweep, { id: manifest.id, variant: variant.keys });
  }
  const encoder = readFileSync(path.join(model, 'model.safetensors'));
  assert.ok(checkpointFile(runOf(manifest, 'freeze-all'), 'model.safetensors').equals(encoder), "freeze-all's encoder is the model folder's, bit for bit");
  assert.ok(checkpointFile(runOf(manifest, 'freeze-encoder'), 'model.safetensors').equals(encoder), "freeze-encoder's too");
  assert.ok(!checkpointFile(runOf(manifest, 'recipe'), 'model.safetensors').equals(encoder), "the recipe's encoder moved");
  const initialA = headTensors(runOf(manifest, 'freeze-all'), 'task_a_head');
  const initialB = headTensors(runOf(manifest, 'freeze-all'), 'task_b_head');
  assert.equal(initialA.length, 2);
  assert.deepEqual(headTensors(runOf(manifest, 'freeze-head-a'), 'task_a_head'), initialA, "freeze-head-a's head A is freeze-all's: the same initial heads");
  assert.deepEqual(headTensors(runOf(manifest, 'freeze-head-b'), 'task_b_head'), initialB, 'and likewise B');
  assert.notDeepEqual(headTensors(runOf(manifest, 'freeze-encoder'), 'task_a_head'), initialA);

  const frozenHead = ofType(recordedEvents(runOf(manifest, 'recipe+freeze-head-a')), 'run-start')[0];
  assert.equal(frozenHead.forkedFrom?.run, runOf(manifest, 'recipe'), 'the frozen-head recipe forks from the recipe');
  assert.equal(frozenHead.forkedFrom?.checkpoint, path.join(runOf(manifest, 'recipe'), 'checkpoints', 'phase-1-fine-tune'));

  const end = sweep.sweepEvents.at(-1);
  assert.ok(end?.type === 'sweep-end' && end.status === 'completed');
  const report = end.report as { rows: { label: string; drift?: { note?: string; before?: number } }[] };
  assert.deepEqual(report.rows.map((row) => row.label), manifest.variants.map((variant) => variant.keys.scenario));
  assert.equal(report.rows[2].drift?.note, 'n/a (head never trained)');
  assert.equal(typeof report.rows[5].drift?.before, 'number', 'real drift on the recipe with a frozen head');

  const text = runSweepCli(['report', manifest.id, '--runs', path.join(workspace.folder, 'runs-scenarios')], environment);
  assert.equal(await text.exited, 0, text.stderr());
  assert.match(text.stdout(), /^freeze-head-a +1 .* a: n\/a \(head never trained\)$/m);
  assert.match(text.stdout(), /^best for task a \(question type\): /m);
});

test('a grid of three fine-tune encoder rates runs ONE warm-up; each branch starts from its end, bit for bit', async () => {
  const file = sweepFile('grid', { sweep: { grid: { 'phases.fine-tune.lr.encoder': RATES } } });
  const sweep = runSweepCli([file, '--json'], environment);
  assert.equal(await sweep.exited, 0, sweep.stderr());
  const manifest = await manifestOf('grid');
  assert.equal(runFolders('grid').length, 4, 'one warm-up run and three fine-tune runs');
  const warmUpStarts = ofType(sweep.trainerEvents, 'phase-start').filter((event) => event.phase === 'warm-up');
  assert.equal(warmUpStarts.length, 1, 'exactly one warm-up phase ran');
  const trunk = manifest.runs[0].runFolder!;
  const warmUpEnd = ofType(recordedEvents(trunk), 'phase-end')[0];
  assert.equal(warmUpEnd.phase, 'warm-up');
  const branches = manifest.variants.map((variant) => manifest.runs.find((run) => run.id === variant.run)!.runFolder!);
  assert.equal(new Set(branches).size, 3);
  branches.forEach((branch, index) => {
    const events = recordedEvents(branch);
    const start = ofType(events, 'run-start')[0];
    assert.equal(start.forkedFrom?.run, trunk);
    assert.deepEqual(start.sweep?.variant, { 'phases.fine-tune.lr.encoder': RATES[index] });
    const fineTune = ofType(events, 'phase-start');
    assert.deepEqual(fineTune.map((event) => event.phase), ['fine-tune']);
    assert.deepEqual(fineTune[0].groupHashes, warmUpEnd.groupHashes, "the fine-tune starts where the warm-up ended");
    assert.equal(fineTune[0].learningRates['layer.0'], RATES[index]);
  });
  const plan = sweep.sweepEvents[0];
  assert.ok(plan.type === 'sweep-plan', 'the plan comes first');
  assert.deepEqual([plan.totalSteps, plan.unsharedSteps, plan.runs.length], [6 + 3 * 12, 3 * (6 + 12), 4]);
  assert.equal(sweep.sweepEvents[1].type, 'sweep-start');
  const progress = sweep.sweepEvents.filter((event) => event.type === 'sweep-progress');
  assert.ok(progress.length > 0 && progress.at(-1)!.type === 'sweep-progress');
  const last = progress.at(-1)!;
  assert.ok(last.type === 'sweep-progress' && last.done === last.total && last.total === 6 + 3 * 12);
});

test('seeds [1, 2, 3] are one group of three whose mean and sample std are those of the runs\' final validations', async () => {
  const file = sweepFile('seeds', { phases: [PHASES[0]], sweep: { seeds: [1, 2, 3] } });
  const sweep = runSweepCli([file], environment);
  assert.equal(await sweep.exited, 0, sweep.stderr());
  const manifest = await manifestOf('seeds');
  const report = runSweepCli(['report', manifest.id, '--runs', path.join(workspace.folder, 'runs-seeds'), '--json'], environment);
  assert.equal(await report.exited, 0, report.stderr());
  const json = JSON.parse(report.stdout()) as { groups: { variant: object; runs: string[]; n: number; tasks: Record<string, { final: { accuracy: { mean: number; std: number } } }> }[] };
  assert.equal(json.groups.length, 1);
  const [group] = json.groups;
  assert.equal(group.n, 3);
  assert.deepEqual(group.variant, {});
  assert.equal(group.runs.length, 3);
  for (const task of ['a', 'b']) {
    const finals = manifest.runs.map((run) => ofType(recordedEvents(run.runFolder!), 'validation').at(-1)!.tasks[task as 'a' | 'b']!.accuracy);
    assert.equal(new Set(manifest.runs.map((run) => (JSON.parse(readFileSync(path.join(run.runFolder!, 'experiment.json'), 'utf8')) as { seed: number }).seed)).size, 3);
    const expectedMean = finals.reduce((sum, value) => sum + value, 0) / 3;
    const expectedStd = Math.sqrt(finals.reduce((sum, value) => sum + (value - expectedMean) ** 2, 0) / 2);
    assert.ok(Math.abs(group.tasks[task].final.accuracy.mean - expectedMean) < 1e-12, `task ${task} mean`);
    assert.ok(Math.abs(group.tasks[task].final.accuracy.std - expectedStd) < 1e-12, `task ${task} std`);
    assert.ok(Math.abs(mean(finals) - expectedMean) < 1e-12 && Math.abs(Math.sqrt(sampleVariance(finals)) - expectedStd) < 1e-12);
  }
});

test('a grid key that leads nowhere is one line naming it, before any run exists', async () => {
  const file = sweepFile('bad', { sweep: { grid: { 'phases.fine-tun.lr.encoder': RATES } } });
  const sweep = runSweepCli([file], environment);
  assert.equal(await sweep.exited, 1);
  assert.equal(sweep.stderr().trim().split('\n').length, 1, sweep.stderr());
  assert.match(sweep.stderr(), /^thaw sweep: .*bad\.thaw\.json: sweep\.grid: "phases\.fine-tun\.lr\.encoder" applies to no variant/);
  assert.ok(!existsSync(path.join(workspace.folder, 'runs-bad')) || runFolders('bad').length === 0);
  const unknown = runSweepCli([sweepFile('bad2', { sweep: { grid: { 'phases.fine-tune.rate': RATES } } })], environment);
  assert.equal(await unknown.exited, 1);
  assert.match(unknown.stderr(), /sweep\.grid: "phases\.fine-tune\.rate": unknown key "rate"/);
});

test('stop ends the current run with a checkpoint; --resume finishes the sweep without redoing finished runs, with the same losses', async () => {
  const file = sweepFile('resume', { sweep: { grid: { 'phases.fine-tune.lr.encoder': RATES } } });
  const first = runSweepCli([file, '--json'], environment);
  let signalled = false;
  first.onTrainerEvent((event) => {
    if (!signalled && event.type === 'step' && event.phase === 'fine-tune' && event.step === 5) {
      signalled = true;
      first.child.kill('SIGTERM');
    }
  });
  assert.equal(await first.exited, 0, first.stderr());
  assert.match(first.stderr(), /continue with: thaw sweep --resume /);
  const stopped = await manifestOf('resume');
  assert.equal(stopped.status, 'stopped');
  assert.deepEqual(stopped.runs.map((run) => run.status), ['completed', 'stopped', 'pending', 'pending']);

  const resumed = runSweepCli(['--resume', stopped.id, '--runs', path.join(workspace.folder, 'runs-resume'), '--json'], environment);
  assert.equal(await resumed.exited, 0, resumed.stderr());
  const done = await manifestOf('resume');
  assert.equal(done.status, 'completed');
  assert.deepEqual(done.runs.map((run) => run.status), ['completed', 'completed', 'completed', 'completed']);
  assert.equal(done.runs[1].runFolder, stopped.runs[1].runFolder, 'the stopped run is resumed in its folder');
  assert.ok(!ofType(resumed.trainerEvents, 'phase-start').some((event) => event.phase === 'warm-up'), 'the finished warm-up is not run again');
  const resumedFrom = ofType(resumed.trainerEvents, 'run-start')[0].resumedFromStep!;
  assert.ok(resumedFrom >= 6 + 5 && resumedFrom < 6 + 12, `resumed mid-fine-tune, after step ${resumedFrom}`);
  assert.equal(runFolders('resume').length, 4);
  // The same sweep uninterrupted (the grid test's) has the same losses at every step.
  const grid = await manifestOf('grid');
  for (let index = 1; index < 4; index++) {
    const expected = stepLosses(recordedEvents(grid.runs[index].runFolder!));
    const actual = stepLosses(recordedEvents(done.runs[index].runFolder!));
    assert.deepEqual([...actual.keys()], [...expected.keys()]);
    for (const [step, event] of actual) assert.deepEqual(event.loss, expected.get(step)!.loss, `run ${index} step ${step}`);
  }
});
