// The fault suite: a run is SIGKILLed again and again at random moments (just after a
// checkpoint event, at a step, during the embedding cache, after a random delay) and resumed
// each time. Every checkpoint it keeps must load, every resume must succeed, and every step's
// losses must equal the uninterrupted run's. THAW_FAULT_KILLS sets the number of kills
// (default 6); THAW_FAULT_SEED the random choices. The kill and SIGTERM tests run on each
// training engine (THAW_FAULT_ENGINES, default onnxruntime,tfjs), each against its own
// uninterrupted run.

import assert from 'node:assert/strict';
import { truncateSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import seedrandom from 'seedrandom';
import type { TrainerEvent } from '../../src/protocol/trainer-events';
import { initBackend } from '../../src/trainer/backend/tensorflow';
import { readLatestCheckpoint } from '../../src/trainer/train/checkpoint';
import { auditCheckpoints } from '../helpers/checkpoint-audit';
import { FAULT_TOTAL_STEPS, writeFaultExperiment } from '../helpers/fault-experiment';
import { recordedEvents, runThaw, stepLosses, type ThawChild } from '../helpers/thaw-child';
import { temporaryFolder } from '../helpers/tiny-model';
import { tinyDemoModel } from '../helpers/tiny-experiment';

const KILLS = Number(process.env.THAW_FAULT_KILLS ?? 6);
/** Each kill may cost a few steps of progress; a longer fine-tune leaves room for many. */
const KILLED_FINE_TUNE_STEPS = Math.max(27, 4 * KILLS);
const random = seedrandom(process.env.THAW_FAULT_SEED ?? 'thaw-faults');
const workspace = temporaryFolder();
let model: string;
let environment: NodeJS.ProcessEnv;
const ENGINES = (process.env.THAW_FAULT_ENGINES ?? 'onnxruntime,tfjs').split(',');
type StepEvents = Map<number, TrainerEvent & { type: 'step' }>;
const references = new Map<string, StepEvents>();
const longReferences = new Map<string, StepEvents>();
/** The first engine's: the tests that are not run per engine use it. */
let reference: StepEvents;

before(async () => {
  await initBackend();
  model = await tinyDemoModel(workspace.folder);
  environment = { ...process.env, THAW_CACHE: path.join(workspace.folder, 'cache') };
  for (const engine of ENGINES) {
    const whole = runThaw([writeFaultExperiment(workspace.folder, `reference-${engine}`, model), '--engine', engine], environment);
    assert.equal(await whole.exited, 0, whole.stderr());
    references.set(engine, stepLosses(whole.events));
    assert.equal(references.get(engine)!.size, FAULT_TOTAL_STEPS);
    const long = runThaw([writeFaultExperiment(workspace.folder, `long-reference-${engine}`, model, undefined, KILLED_FINE_TUNE_STEPS), '--engine', engine], environment);
    assert.equal(await long.exited, 0, long.stderr());
    longReferences.set(engine, stepLosses(long.events));
  }
  reference = references.get(ENGINES[0])!;
});
after(() => workspace.cleanup());

const runFolderOf = (events: readonly TrainerEvent[]) => {
  const start = events.find((event) => event.type === 'run-start');
  assert.ok(start?.type === 'run-start', 'a run-start event');
  return start.runFolder;
};

/** How long the uninterrupted run trained: its last step's elapsed time. */
function trainingMs(steps: StepEvents): number {
  return Math.max(...[...steps.values()].map((event) => event.elapsedMs));
}

/** Steps whose losses differ from the uninterrupted run's. */
function lossMismatches(events: readonly TrainerEvent[], expectedSteps = reference): string[] {
  return events.flatMap((event) => {
    if (event.type !== 'step') return [];
    const expected = expectedSteps.get(event.globalStep);
    return JSON.stringify(event.loss) === JSON.stringify(expected?.loss) ? [] : [`step ${event.globalStep}: ${JSON.stringify(event.loss)} != ${JSON.stringify(expected?.loss)}`];
  });
}

type Trigger = 'embedding-cache' | 'after-checkpoint' | 'at-step' | 'delay';
/** In turn, so that every kind is tried; the cache first, while the run is still in its warm-up. */
const TRIGGERS: Trigger[] = ['embedding-cache', 'after-checkpoint', 'at-step', 'delay'];

/** Arms one kill on a running trainer; returns what it was killed at. */
function armKill(run: ThawChild, trigger: Trigger, wholeRunMs: number): () => string {
  let landed: string = trigger;
  const kill = (at: string) => {
    landed = at;
    run.child.kill('SIGKILL');
  };
  if (trigger === 'delay') {
    // Counted from run-start, within a quarter of the whole run's training time: an engine that
    // trains the tiny model in a second must still be killed mid-run.
    const delay = random() * Math.min(2500, wholeRunMs / 4);
    let timer: ReturnType<typeof setTimeout> | undefined;
    run.watch((event) => {
      if (event.type === 'run-start') timer = setTimeout(() => kill('delay'), delay);
    });
    void run.exited.then(() => clearTimeout(timer));
    return () => landed;
  }
  let resumedFrom = 0;
  const target = 1 + Math.floor(random() * 6);
  run.watch((event) => {
    if (event.type === 'run-start') resumedFrom = event.resumedFromStep ?? 0;
    const fire =
      (trigger === 'after-checkpoint' && event.type === 'checkpoint') ||
      (trigger === 'at-step' && event.type === 'step' && event.globalStep >= resumedFrom + target) ||
      // The cache fills only in the warm-up; past it, this kill falls back to the first step.
      (trigger === 'embedding-cache' && ((event.type === 'progress' && event.stage === 'embedding-cache') || event.type === 'step'));
    if (fire) kill(trigger === 'embedding-cache' && event.type === 'step' ? 'at-step (no cache to fill)' : trigger);
  });
  return () => landed;
}

for (const engine of ENGINES) {
test(`[${engine}] ${KILLS} random SIGKILLs, each followed by --resume: checkpoints load, losses match`, async () => {
  // The first invocation stops at step 4, so that every kill after it has a checkpoint to resume.
  const first = runThaw([writeFaultExperiment(workspace.folder, `killed-${engine}`, model, undefined, KILLED_FINE_TUNE_STEPS), '--max-steps', '4', '--engine', engine], environment);
  assert.equal(await first.exited, 0, first.stderr());
  const runFolder = runFolderOf(first.events);
  const counts = { kills: 0, killsByTrigger: {} as Record<string, number>, checkpointsLoaded: 0, unloadable: [] as string[], failedResumes: [] as string[], lossMismatches: [] as string[] };
  let completed = false;
  for (let attempt = 0; counts.kills < KILLS && attempt < KILLS * 3; attempt++) {
    const trigger = TRIGGERS[attempt % TRIGGERS.length];
    // A fresh cache makes the resumed warm-up fill it again, so that it can be killed there.
    const env = trigger === 'embedding-cache' ? { ...environment, THAW_CACHE: path.join(workspace.folder, `cache-${attempt}`) } : environment;
    const resumed = runThaw(['--resume', runFolder, '--engine', engine], env);
    const landed = armKill(resumed, trigger, trainingMs(longReferences.get(engine)!));
    const code = await resumed.exited;
    if (code === null) {
      counts.kills += 1;
      counts.killsByTrigger[landed()] = (counts.killsByTrigger[landed()] ?? 0) + 1;
    } else if (code !== 0) {
      counts.failedResumes.push(`exit ${code}: ${resumed.stderr().trim().split('\n').at(-1)}`);
    } else {
      completed = true; // the run reached its end before the kill: nothing left to kill
      break;
    }
    const audit = await auditCheckpoints(runFolder);
    counts.checkpointsLoaded += audit.loaded.length;
    counts.unloadable.push(...audit.unloadable);
  }
  if (!completed) {
    const last = runThaw(['--resume', runFolder, '--engine', engine], environment);
    const lastCode = await last.exited;
    if (lastCode !== 0) counts.failedResumes.push(`final resume exit ${lastCode}: ${last.stderr()}`);
  }
  const events = recordedEvents(runFolder);
  counts.lossMismatches = lossMismatches(events, longReferences.get(engine));
  const finalAudit = await auditCheckpoints(runFolder);
  counts.checkpointsLoaded += finalAudit.loaded.length;
  counts.unloadable.push(...finalAudit.unloadable);
  console.log(`fault suite: ${JSON.stringify({ ...counts, unloadable: counts.unloadable.length, failedResumes: counts.failedResumes.length, lossMismatches: counts.lossMismatches.length })}`);

  assert.equal(counts.kills, KILLS, 'every kill landed before the run ended');
  assert.deepEqual(counts.unloadable, [], 'every kept checkpoint loads');
  assert.deepEqual(counts.failedResumes, [], 'every resume succeeds');
  assert.deepEqual(counts.lossMismatches, [], 'losses equal the uninterrupted run step for step');
  assert.deepEqual([...new Set(events.flatMap((event) => (event.type === 'step' ? [event.globalStep] : [])))].sort((a, b) => a - b), [...longReferences.get(engine)!.keys()], 'every step ran');
  const end = events.at(-1);
  assert.ok(end?.type === 'run-end' && end.status === 'completed' && end.resumable === false);
  assert.deepEqual(finalAudit.loaded.sort(), ['phase-0-warm-up', 'phase-1-fine-tune'], 'only the phase-end checkpoints are left');
});
}

test('SIGKILL while the embedding cache fills, then --resume: the cache refills and the losses match', async () => {
  // The main loop reaches the cache only while its run is in the warm-up; this kills there on purpose.
  const kills = Math.max(1, Math.round(KILLS / 4));
  for (let index = 0; index < kills; index++) {
    const first = runThaw([writeFaultExperiment(workspace.folder, `cache-kill-${index}`, model), '--max-steps', String(1 + index), '--engine', ENGINES[0]], environment);
    assert.equal(await first.exited, 0, first.stderr());
    const runFolder = runFolderOf(first.events);
    const cold = { ...environment, THAW_CACHE: path.join(workspace.folder, `cold-cache-${index}`) };
    const killed = runThaw(['--resume', runFolder, '--engine', ENGINES[0]], cold);
    await killed.waitFor((event) => event.type === 'progress' && event.stage === 'embedding-cache');
    killed.child.kill('SIGKILL');
    assert.equal(await killed.exited, null);
    assert.ok(!killed.events.some((event) => event.type === 'step'), 'killed before any step');
    const resumed = runThaw(['--resume', runFolder, '--engine', ENGINES[0]], cold);
    assert.equal(await resumed.exited, 0, resumed.stderr());
    assert.deepEqual(lossMismatches(recordedEvents(runFolder)), []);
    assert.deepEqual((await auditCheckpoints(runFolder)).unloadable, []);
  }
});

for (const engine of ENGINES) {
test(`[${engine}] SIGTERM just after a checkpoint event: the step finishes, a checkpoint is written, exit 0, and the resume matches`, async () => {
  const run = runThaw([writeFaultExperiment(workspace.folder, `sigterm-${engine}`, model), '--engine', engine], environment);
  await run.waitFor((event) => event.type === 'checkpoint' && event.globalStep >= 12);
  run.child.kill('SIGTERM');
  assert.equal(await run.exited, 0, run.stderr());
  const end = run.events.at(-1);
  assert.ok(end?.type === 'run-end' && end.status === 'stopped' && end.resumable === true && end.reason === 'stop requested');
  const runFolder = runFolderOf(run.events);
  const lastStep = Math.max(...stepLosses(run.events).keys());
  assert.equal((await readLatestCheckpoint(runFolder))?.position.globalStep, lastStep, 'checkpointed at the last step run');
  assert.deepEqual((await auditCheckpoints(runFolder)).unloadable, []);
  const resumed = runThaw(['--resume', runFolder, '--engine', engine], environment);
  assert.equal(await resumed.exited, 0, resumed.stderr());
  assert.deepEqual(lossMismatches(recordedEvents(runFolder), references.get(engine)), []);
});
}

test('a damaged latest checkpoint: the resume says so, removes it, and continues from the newest whole one', async () => {
  const first = runThaw([writeFaultExperiment(workspace.folder, 'damaged', model), '--max-steps', '13', '--engine', ENGINES[0]], environment);
  assert.equal(await first.exited, 0, first.stderr());
  const runFolder = runFolderOf(first.events);
  const latest = (await readLatestCheckpoint(runFolder))!;
  assert.equal(latest.position.globalStep, 13);
  // A disk that lost the end of the weights file: the header promises more bytes than there are.
  truncateSync(path.join(latest.folder, 'model.safetensors'), 4096);
  const resumed = runThaw(['--resume', runFolder, '--engine', ENGINES[0]], environment);
  assert.equal(await resumed.exited, 0, resumed.stderr());
  const warning = resumed.events.find((event) => event.type === 'warning');
  assert.ok(warning?.type === 'warning');
  assert.match(warning.message, /step-000013 is damaged \(.*model\.safetensors: truncated or corrupt.*\) and was removed; resuming from checkpoints\/phase-0-warm-up \(step 9\) instead/);
  const start = resumed.events.find((event) => event.type === 'run-start');
  assert.ok(start?.type === 'run-start' && start.resumedFromStep === 9);
  assert.deepEqual(lossMismatches(recordedEvents(runFolder)), []);
  assert.deepEqual((await auditCheckpoints(runFolder)).unloadable, []);
});
