// `thaw train` as the extension runs it: a real child process that streams events (stdout and
// IPC), stops cleanly on SIGTERM or a "stop" message, and resumes after SIGKILL with exactly
// the losses an uninterrupted run has.

import assert from 'node:assert/strict';
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { after, before, test } from 'node:test';
import { parseTrainerEvent, type TrainerEvent } from '../../src/protocol/trainer-events';
import { temporaryFolder } from '../helpers/tiny-model';
import { tinyDemoModel, writeExperiment } from '../helpers/tiny-experiment';
import { initBackend } from '../../src/trainer/backend/tensorflow';
import { readLatestCheckpoint } from '../../src/trainer/train/checkpoint';

const CLI = path.resolve(__dirname, '../../src/trainer/cli/main.js');
const workspace = temporaryFolder();
let model: string;
let environment: NodeJS.ProcessEnv;

before(async () => {
  await initBackend();
  model = await tinyDemoModel(workspace.folder);
  environment = { ...process.env, THAW_CACHE: path.join(workspace.folder, 'cache') };
});
after(() => workspace.cleanup());

/** Warm-up on the cache, then fine-tuning with dropout: everything a resume must reproduce. */
const TWO_PHASES = {
  phases: [
    { name: 'warm-up', steps: 4, frozen: ['encoder'], lr: { heads: 1e-2 } },
    { name: 'fine-tune', steps: 40, lr: { encoder: 1e-4, heads: 1e-3 }, schedule: { warmupSteps: 2, decay: 'linear' } },
  ],
  checkpointEverySteps: 3,
};

interface Running {
  child: ChildProcess;
  events: TrainerEvent[];
  exited: Promise<number | null>;
  /** Resolves with the first event that satisfies `predicate`. */
  waitFor(predicate: (event: TrainerEvent) => boolean): Promise<TrainerEvent>;
}

/** Runs `thaw train` with --json and collects the events from its stdout, each validated. */
function runThaw(args: string[]): Running {
  const child = spawn(process.execPath, [CLI, 'train', ...args, '--json'], { env: environment, stdio: ['ignore', 'pipe', 'pipe'] });
  const events: TrainerEvent[] = [];
  const waiters: { predicate: (event: TrainerEvent) => boolean; resolve: (event: TrainerEvent) => void }[] = [];
  readline.createInterface({ input: child.stdout }).on('line', (line) => {
    const parsed = parseTrainerEvent(JSON.parse(line));
    assert.ok(parsed.ok, `stdout line is not a trainer event: ${line}`);
    events.push(parsed.value);
    for (const waiter of waiters.filter((w) => w.predicate(parsed.value))) waiter.resolve(parsed.value);
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  void exited.then((code) => code !== 0 && code !== null && console.error(stderr));
  return {
    child,
    events,
    exited,
    waitFor: (predicate) => {
      const found = events.find(predicate);
      return found !== undefined ? Promise.resolve(found) : new Promise((resolve) => waiters.push({ predicate, resolve }));
    },
  };
}

/** Model-loading progress comes before the run exists; everything from run-start on is recorded. */
const runStart = (events: TrainerEvent[]) => {
  const start = events.find((event) => event.type === 'run-start');
  assert.ok(start?.type === 'run-start', 'a run-start event');
  return start;
};

const stepLosses = (events: TrainerEvent[]) => new Map(events.flatMap((event) => (event.type === 'step' ? [[event.globalStep, event.loss] as const] : [])));

test('--json: every stdout line is a valid event, and events.jsonl records the same', async () => {
  const run = runThaw([writeExperiment(workspace.folder, 'json', model, { phases: [{ name: 'heads', steps: 5, frozen: ['encoder'], lr: { heads: 1e-2 } }] })]);
  assert.equal(await run.exited, 0);
  assert.deepEqual(run.events.map((event) => event.type).filter((type) => type !== 'progress'), [
    'run-start', 'phase-start', 'step', 'step', 'step', 'step', 'step', 'validation', 'phase-end', 'checkpoint', 'run-end',
  ]);
  const start = runStart(run.events);
  const recorded = readFileSync(path.join(start.runFolder, 'events.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as TrainerEvent);
  assert.deepEqual(recorded, run.events.slice(run.events.indexOf(start)));
});

test('SIGTERM: the trainer finishes its step, checkpoints, and exits 0', async () => {
  const run = runThaw([writeExperiment(workspace.folder, 'sigterm', model, TWO_PHASES)]);
  const step = await run.waitFor((event) => event.type === 'step' && event.globalStep === 6);
  assert.ok(step.type === 'step');
  run.child.kill('SIGTERM');
  assert.equal(await run.exited, 0);
  const end = run.events.at(-1)!;
  assert.ok(end.type === 'run-end' && end.status === 'stopped');
  const lastStep = [...stepLosses(run.events).keys()].at(-1)!;
  assert.ok(lastStep < 44, 'stopped before the end');
  const start = runStart(run.events);
  assert.equal((await readLatestCheckpoint(start.runFolder))?.position.globalStep, lastStep, 'the checkpoint is at the last step run');
});

test('IPC: a malformed message is ignored, {"type":"stop"} stops the run', async () => {
  const child = fork(CLI, ['train', writeExperiment(workspace.folder, 'ipc', model, TWO_PHASES)], { env: environment, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const messages: TrainerEvent[] = [];
  child.on('message', (message) => {
    const parsed = parseTrainerEvent(message);
    assert.ok(parsed.ok, `IPC message is not a trainer event: ${JSON.stringify(message)}`);
    messages.push(parsed.value);
    if (parsed.value.type === 'step' && parsed.value.globalStep === 2) child.send({ type: 'explode' });
    if (parsed.value.type === 'step' && parsed.value.globalStep === 6) child.send({ type: 'stop' });
  });
  const code = await new Promise((resolve) => child.on('exit', resolve));
  assert.equal(code, 0, stderr);
  assert.match(stderr, /ignored an invalid message from the host/);
  const end = messages.at(-1)!;
  assert.ok(end.type === 'run-end' && end.status === 'stopped' && end.globalStep >= 6 && end.globalStep < 44);
});

test('SIGKILL mid-run, then --resume: the losses after the checkpoint equal an uninterrupted run', async () => {
  const uninterrupted = runThaw([writeExperiment(workspace.folder, 'whole', model, TWO_PHASES)]);
  assert.equal(await uninterrupted.exited, 0);
  const expected = stepLosses(uninterrupted.events);
  assert.equal(expected.size, 44);

  const killed = runThaw([writeExperiment(workspace.folder, 'killed', model, TWO_PHASES)]);
  await killed.waitFor((event) => event.type === 'step' && event.globalStep === 14);
  killed.child.kill('SIGKILL');
  await killed.exited;
  const start = runStart(killed.events);
  const checkpoint = (await readLatestCheckpoint(start.runFolder))!;
  assert.ok(checkpoint.position.globalStep >= 12 && checkpoint.position.globalStep % 3 === 0);

  const resumed = runThaw(['--resume', start.runFolder]);
  assert.equal(await resumed.exited, 0);
  assert.equal(runStart(resumed.events).resumedFromStep, checkpoint.position.globalStep);
  const actual = stepLosses(resumed.events);
  assert.deepEqual([...actual.keys()], Array.from({ length: 44 - checkpoint.position.globalStep }, (_, i) => checkpoint.position.globalStep + 1 + i));
  for (const [step, loss] of actual) assert.deepEqual(loss, expected.get(step), `step ${step}`);
});
