// `thaw runs` over runs the real CLI made: three finished runs that differ in two settings, one
// killed mid-run (then resumed), a junk folder and a hidden one. What `runs list` and
// `runs compare` say is checked against what the test reads from events.jsonl itself.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { after, before, test } from 'node:test';
import type { RunComparison, RunSummary } from '../../src/protocol/run-summary';
import { RUN_PID_FILE, RUN_SUMMARY_FILE } from '../../src/core/runs/run-files';
import { phaseEndCheckpoint } from '../../src/core/runs/run-listing';
import { updateRunMetadata } from '../../src/core/runs/run-metadata';
import { initBackend } from '../../src/trainer/backend/tensorflow';
import { temporaryFolder } from '../helpers/tiny-model';
import { tinyDemoModel, writeExperiment } from '../helpers/tiny-experiment';
import { runThawCommand, type CommandResult } from '../helpers/thaw-child';

const CLI = path.resolve(__dirname, '../../src/trainer/cli/main.js');
const workspace = temporaryFolder();
const runsFolder = path.join(workspace.folder, 'runs');
let environment: NodeJS.ProcessEnv;
let model: string;
/** The three finished runs (A, B, C), the killed one. */
const finished: string[] = [];
/** Their experiment files. */
const files: string[] = [];
let killed: string;

function thaw(...args: string[]): Promise<CommandResult> {
  return runThawCommand(args, environment);
}

async function listJson(...folders: string[]): Promise<RunSummary[]> {
  const result = await thaw('runs', 'list', ...folders, '--json');
  assert.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout) as RunSummary[];
}

const byFolder = (runs: RunSummary[], folder: string): RunSummary => {
  const run = runs.find((summary) => summary.folder === folder);
  assert.ok(run !== undefined, `${folder} is listed`);
  return run;
};

/** Two short phases; only the seed and the warm-up's head rate vary. Same experiment name, so `name` does not differ. */
const phases = (headsRate: number, fineTuneSteps = 6) => [
  { name: 'warm-up', steps: 6, frozen: ['encoder'], lr: { heads: headsRate } },
  { name: 'fine-tune', steps: fineTuneSteps, lr: { encoder: 1e-4, heads: 1e-3 } },
];

/** `thaw train FILE --json`; resolves with the run folder once run-start names it, and the exit. */
function startTraining(file: string, onStep?: (globalStep: number) => void) {
  const child = spawn(process.execPath, [CLI, 'train', file, '--json'], { env: environment, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const folder = new Promise<string>((resolve) => {
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      const event = JSON.parse(line) as { type: string; runFolder?: string; globalStep?: number };
      if (event.type === 'run-start') resolve(event.runFolder!);
      if (event.type === 'step') onStep?.(event.globalStep!);
    });
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code, signal) => resolve(signal === null ? code : null)));
  return { child, folder, exited, stderr: () => stderr };
}

before(async () => {
  await initBackend();
  model = await tinyDemoModel(workspace.folder);
  environment = { ...process.env, THAW_CACHE: path.join(workspace.folder, 'cache') };
  const settings: [number, number][] = [
    [1, 1e-2],
    [2, 1e-2],
    [1, 5e-3],
  ];
  for (const [index, [seed, rate]] of settings.entries()) {
    files.push(writeExperiment(workspace.folder, `run-${index}`, model, { name: 'sweep', seed, phases: phases(rate), checkpointEverySteps: 0 }));
    const run = startTraining(files[index]);
    assert.equal(await run.exited, 0, run.stderr());
    finished.push(await run.folder);
  }
});
after(() => workspace.cleanup());

/** The test's own reading of events.jsonl: the validations and the distinct steps. */
function expectedFromEvents(folder: string) {
  const events = readFileSync(path.join(folder, 'events.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as { type: string; globalStep?: number; tasks?: Record<string, { accuracy: number; macroF1: number; loss: number }> });
  const validations = events.filter((event) => event.type === 'validation');
  const tasks: Record<string, unknown> = {};
  for (const key of ['a', 'b']) {
    const mine = validations.filter((event) => event.tasks?.[key] !== undefined);
    const last = mine.at(-1)!;
    let best = mine[0];
    for (const event of mine) if (event.tasks![key].accuracy > best.tasks![key].accuracy) best = event;
    tasks[key] = {
      final: { accuracy: last.tasks![key].accuracy, macroF1: last.tasks![key].macroF1, loss: last.tasks![key].loss, step: last.globalStep },
      best: { accuracy: best.tasks![key].accuracy, macroF1: best.tasks![key].macroF1, step: best.globalStep },
    };
  }
  return { tasks, steps: new Set(events.filter((event) => event.type === 'step').map((event) => event.globalStep)).size };
}

test('the trainer leaves summary.json and no trainer.pid when a run ends', () => {
  for (const folder of finished) {
    assert.ok(existsSync(path.join(folder, RUN_SUMMARY_FILE)), `${folder} has a summary`);
    assert.ok(!existsSync(path.join(folder, RUN_PID_FILE)), `${folder} has no pid file`);
  }
});

test('a run is running while its trainer lives, interrupted once it is SIGKILLed', async () => {
  let stepped: () => void = () => undefined;
  const atStep8 = new Promise<void>((resolve) => (stepped = resolve));
  const run = startTraining(writeExperiment(workspace.folder, 'killed', model, { name: 'sweep', seed: 1, phases: phases(1e-2, 60), checkpointEverySteps: 3 }), (step) => step >= 8 && stepped());
  killed = await run.folder;
  await atStep8;
  // Paused, so it cannot finish while it is listed; a stopped process is still alive.
  run.child.kill('SIGSTOP');
  const running = byFolder(await listJson(runsFolder), killed);
  assert.equal(running.status, 'running');
  assert.equal(running.resumable, false);
  assert.ok(running.progress !== undefined && running.progress.totalSteps > 0, 'progress while running');
  run.child.kill('SIGKILL');
  await run.exited;
  assert.ok(existsSync(path.join(killed, RUN_PID_FILE)), 'a SIGKILLed trainer leaves its pid file');

  const interrupted = byFolder(await listJson(runsFolder), killed);
  assert.equal(interrupted.status, 'interrupted');
  assert.equal(interrupted.resumable, true, 'it has checkpoints');
  assert.equal(interrupted.progress, undefined);
  assert.equal(interrupted.steps, expectedFromEvents(killed).steps);
});

test('runs list --json: each status, hidden entries skipped, newest first, metrics equal the events', async () => {
  const junk = path.join(runsFolder, 'my-notes');
  mkdirSync(junk, { recursive: true });
  writeFileSync(path.join(junk, 'todo.txt'), 'not a run\n');
  mkdirSync(path.join(runsFolder, '.trash', 'old-run'), { recursive: true });

  const runs = await listJson(runsFolder);
  const table = await thaw('runs', 'list', runsFolder);
  assert.equal(table.code, 0, table.stderr);
  const rows = table.stdout.trim().split('\n');
  assert.match(rows[0], /^STATUS +ID +NAME +PHASES +STEPS +ACC A +ACC B +DURATION$/);
  assert.match(rows[2], new RegExp(`^completed +${path.basename(finished[2])} +sweep +warm-up,fine-tune +12 +\\d+\\.\\d% +\\d+\\.\\d% +\\d+s$`));
  assert.match(rows.at(-1)!, /^my-notes: not a run folder/);
  assert.deepEqual(runs.map((run) => run.folder).sort(), [...finished, killed, junk].sort(), 'the hidden .trash is not listed');
  assert.deepEqual(runs.slice(0, 4).map((run) => run.folder), [killed, ...[...finished].reverse()], 'newest first, the damaged folder after the runs');
  assert.deepEqual(runs.map((run) => run.status), ['interrupted', 'completed', 'completed', 'completed', 'damaged']);
  const damaged = byFolder(runs, junk);
  assert.match(damaged.problem ?? '', /experiment\.json/);
  assert.ok(existsSync(path.join(junk, 'todo.txt')) && !existsSync(path.join(junk, RUN_SUMMARY_FILE)), 'a junk folder is left as it was');

  for (const folder of finished) {
    const run = byFolder(runs, folder);
    const expected = expectedFromEvents(folder);
    assert.deepEqual({ a: { final: run.tasks.a?.final, best: run.tasks.a?.best }, b: { final: run.tasks.b?.final, best: run.tasks.b?.best } }, expected.tasks, folder);
    assert.equal(run.tasks.a?.name, 'question type');
    assert.equal(run.steps, 12);
    assert.equal(run.steps, expected.steps);
    assert.deepEqual(run.phases, ['warm-up', 'fine-tune']);
    assert.equal(run.name, 'sweep');
    assert.equal(run.experimentFile, files[finished.indexOf(folder)]);
    assert.equal(run.forkedFrom, undefined);
    assert.equal(run.resumable, false);
    assert.ok(run.trainableParameters! > 0 && run.sizeBytes! > 0 && run.durationMs! > 0);
    assert.equal(run.config['phases.fine-tune.lr.encoder'], 1e-4);
  }
  const colors = runs.filter((run) => run.status !== 'damaged').map((run) => run.color);
  assert.deepEqual([...colors].sort(), [0, 1, 2, 3], 'distinct colors, oldest first');
  assert.deepEqual((await listJson(runsFolder)).map((run) => run.color), runs.map((run) => run.color), 'colors do not change');
});

test('runs compare --json names exactly the keys that differ', async () => {
  const result = await thaw('runs', 'compare', ...finished, '--json');
  assert.equal(result.code, 0, result.stderr);
  const comparison = JSON.parse(result.stdout) as RunComparison;
  assert.deepEqual(comparison.runs.map((run) => run.folder), finished);
  assert.deepEqual(comparison.differing, { 'phases.warm-up.lr.heads': [1e-2, 1e-2, 5e-3], seed: [1, 2, 1] });
  assert.equal(comparison.same.batchSize, 16);
  assert.equal(comparison.same['phases.fine-tune.steps'], 6);
  assert.ok(!('seed' in comparison.same));

  const pair = JSON.parse((await thaw('runs', 'compare', finished[0], finished[2], '--json')).stdout) as RunComparison;
  assert.deepEqual(Object.keys(pair.differing), ['phases.warm-up.lr.heads']);

  const table = await thaw('runs', 'compare', ...finished);
  assert.equal(table.code, 0, table.stderr);
  assert.match(table.stdout, /^seed +1 +2 +1$/m);
});

test('a rename in the metadata is the name; tags and notes show', async () => {
  await updateRunMetadata(finished[1], { name: 'seed two' });
  await updateRunMetadata(finished[1], { addTag: 'baseline', notes: 'the reference run' });
  const run = byFolder(await listJson(runsFolder), finished[1]);
  assert.equal(run.name, 'seed two');
  assert.deepEqual(run.tags, ['baseline']);
  assert.equal(run.notes, 'the reference run');
  assert.equal(byFolder(await listJson(runsFolder), finished[0]).name, 'sweep');
});

test('the summary cache is used, and rebuilt once events.jsonl grows (a torn last line skipped)', async () => {
  const folder = finished[0];
  const cacheFile = path.join(folder, RUN_SUMMARY_FILE);
  const cache = JSON.parse(readFileSync(cacheFile, 'utf8')) as { summary: RunSummary };
  cache.summary.steps = 999;
  writeFileSync(cacheFile, JSON.stringify(cache));
  assert.equal(byFolder(await listJson(runsFolder), folder).steps, 999, 'read from summary.json, not from the events');

  // What a kill in the middle of a write leaves behind.
  appendFileSync(path.join(folder, 'events.jsonl'), '{"time":"2026-12-01T10:00:00.000Z","type":"vali');
  const rebuilt = byFolder(await listJson(runsFolder), folder);
  assert.equal(rebuilt.steps, 12);
  assert.equal(rebuilt.status, 'completed');
  assert.equal(rebuilt.problem, undefined, 'a torn last line is not a problem');
});

test('resuming the killed run: completed, and the steps it ran twice count once', async () => {
  const child = spawn(process.execPath, [CLI, 'train', '--resume', killed], { env: environment, stdio: 'ignore' });
  assert.equal(await new Promise((resolve) => child.on('exit', resolve)), 0);
  const run = byFolder(await listJson(runsFolder), killed);
  assert.equal(run.status, 'completed');
  assert.equal(run.steps, 66);
  assert.equal(run.steps, expectedFromEvents(killed).steps);
  // The killed trainer ran past its last checkpoint; the resumed one ran those steps again.
  const events = readFileSync(path.join(killed, 'events.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { type: string; globalStep?: number; resumedFromStep?: number });
  const resumeAt = events.map((event) => event.type).lastIndexOf('run-start');
  const lastKilledStep = Math.max(...events.slice(0, resumeAt).filter((event) => event.type === 'step').map((event) => event.globalStep!));
  const repeated = lastKilledStep - events[resumeAt].resumedFromStep!;
  assert.equal(events.filter((event) => event.type === 'step').length, 66 + repeated);
  assert.ok(!existsSync(path.join(killed, RUN_PID_FILE)));
});

test('command-line errors: one line, exit 2 for usage and 1 for a missing folder', async () => {
  const usage = await thaw('runs', 'compare', finished[0]);
  assert.equal(usage.code, 2);
  const missing = await thaw('runs', 'list', path.join(workspace.folder, 'nowhere'));
  assert.equal(missing.code, 1);
  assert.equal(missing.stderr.trim().split('\n').length, 1, missing.stderr);
  assert.match(missing.stderr, /nowhere: runs folder does not exist/);
  const damaged = await thaw('runs', 'compare', finished[0], path.join(runsFolder, 'my-notes'));
  assert.equal(damaged.code, 1);
  assert.match(damaged.stderr, /cannot be compared/);
  assert.equal((await thaw('runs', 'bogus')).code, 2);
});

test('a fork (thaw train FILE --phase fine-tune --from CHECKPOINT) names the run it came from', async () => {
  const warmUp = phaseEndCheckpoint(finished[0], 0, 'warm-up');
  assert.ok(existsSync(warmUp), 'the warm-up checkpoint is kept');
  const child = spawn(process.execPath, [CLI, 'train', files[0], '--phase', 'fine-tune', '--from', warmUp, '--json'], { env: environment, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  assert.equal(await new Promise((resolve) => child.on('exit', resolve)), 0);
  const start = stdout.split('\n').filter((line) => line.includes('"run-start"')).map((line) => JSON.parse(line) as { runFolder: string; forkedFrom: { run: string; checkpoint: string } })[0];
  const run = byFolder(await listJson(runsFolder), start.runFolder);
  assert.equal(run.status, 'completed');
  assert.deepEqual(run.forkedFrom, start.forkedFrom);
  assert.equal(path.resolve(run.forkedFrom.run), finished[0]);
  assert.deepEqual(run.phases, ['fine-tune']);
  assert.equal(run.experimentFile, files[0]);
  assert.equal(run.steps, 6, 'the fork ran the fine-tune only');
});
