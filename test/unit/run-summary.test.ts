// Run summaries from run folders on disk: status, steps, best and final, torn lines, the cache.

import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { parseTrainerEvent, type TrainerEvent } from '../../src/protocol/trainer-events';
import { RUN_PID_FILE, RUN_SUMMARY_FILE } from '../../src/core/runs/run-files';
import { listRuns } from '../../src/core/runs/list-runs';
import { readRunMetadata, updateRunMetadata } from '../../src/core/runs/run-metadata';
import { summarizeRun } from '../../src/core/runs/summarize-run';
import { writeTrainerPid } from '../../src/core/runs/trainer-pid';
import { syntheticEvents, writeSyntheticRun } from '../helpers/synthetic-run';
import { temporaryFolder } from '../helpers/tiny-model';

const workspace = temporaryFolder('thaw-runs-');
after(() => workspace.cleanup());
let count = 0;
/** A fresh runs folder per test. */
const runsFolder = () => path.join(workspace.folder, `runs-${count++}`);
/** A pid no process has (beyond Linux's pid_max). */
const DEAD_PID = 2 ** 30;
const SHORT = [
  { name: 'warm-up', steps: 4, frozen: ['embeddings', 'layer.0', 'layer.1', 'layer.2', 'layer.3', 'layer.4', 'layer.5'] },
  { name: 'fine-tune', steps: 6, frozen: ['task_b_head'] },
];

const eventsFile = (folder: string) => path.join(folder, 'events.jsonl');
const lines = (events: TrainerEvent[]) => events.map((event) => `${JSON.stringify(event)}\n`).join('');

test('synthetic events are valid trainer events (so these tests read what the trainer writes)', () => {
  for (const event of syntheticEvents('/runs/x', { phases: SHORT, validateEvery: 2, checkpointEvery: 3, end: 'completed' })) assert.ok(parseTrainerEvent(JSON.parse(JSON.stringify(event))).ok, event.type);
});

test('a completed run: steps, phases, final and best per task, trainable parameters of the last phase', async () => {
  // Accuracy of a peaks at step 4 and reaches the same value again at step 8 (best: the first of equals).
  const accuracy = (task: 'a' | 'b', step: number) => (task === 'a' ? [0.5, 0.8, 0.7, 0.8, 0.6][step / 2 - 1] : 0.5 + step / 100);
  const folder = writeSyntheticRun(runsFolder(), '20261201-090000-a', { phases: SHORT, validateEvery: 2, accuracy, end: 'completed' });
  const summary = await summarizeRun(folder);
  assert.equal(summary.status, 'completed');
  assert.equal(summary.steps, 10);
  assert.deepEqual(summary.phases, ['warm-up', 'fine-tune']);
  assert.equal(summary.tasks.a?.name, 'question type');
  assert.deepEqual(summary.tasks.a?.best, { accuracy: 0.8, macroF1: 0.8 - 0.05, step: 4 });
  assert.deepEqual(summary.tasks.a?.final, { accuracy: 0.6, macroF1: 0.6 - 0.05, loss: 1 - 0.6, step: 10 });
  assert.deepEqual(summary.tasks.b?.best?.step, 10);
  // Every group but task_b_head (frozen in the last phase): 7 encoder groups and head a.
  assert.equal(summary.trainableParameters, 7 * 1_000_000 + (0 + 1 + 2 + 3 + 4 + 5 + 6) + 1_000 + 7);
  assert.equal(summary.resumable, false);
  assert.equal(summary.startedAt, '2026-12-01T09:00:00.000Z');
  assert.ok(summary.durationMs! > 0 && summary.endedAt !== undefined);
  assert.equal(summary.config['phases.fine-tune.frozen'] instanceof Array, true);
  assert.equal(summary.sizeBytes, statSync(eventsFile(folder)).size + statSync(path.join(folder, 'experiment.json')).size + statSync(path.join(folder, 'run.meta.json')).size);
});

test('a step run again after a resume counts once; the last invocation decides the status', async () => {
  const folder = path.join(runsFolder(), '20261201-090000-resumed');
  mkdirSync(folder, { recursive: true });
  writeSyntheticRun(path.dirname(folder), path.basename(folder), { phases: SHORT });
  const killed = syntheticEvents(folder, { phases: SHORT, checkpointEvery: 3, stopAfterStep: 7 });
  const resumed = syntheticEvents(folder, { phases: SHORT, checkpointEvery: 3, end: 'completed', start: new Date('2026-12-01T10:00:00.000Z') });
  // The resume starts from the checkpoint at step 6: steps 7..10 again.
  const fromCheckpoint = resumed.filter((event) => event.type === 'run-start' || !('globalStep' in event) || event.globalStep > 6);
  writeFileSync(eventsFile(folder), lines([...killed, ...fromCheckpoint]));
  const summary = await summarizeRun(folder);
  assert.equal(summary.steps, 10);
  assert.equal(summary.status, 'completed');
  assert.equal(summary.startedAt, '2026-12-01T09:00:00.000Z', 'the first start');
  const killedMs = Date.parse(killed.at(-1)!.time) - Date.parse(killed[0].time);
  const resumedEnd = fromCheckpoint.at(-1)!;
  assert.ok(resumedEnd.type === 'run-end');
  assert.equal(summary.durationMs, killedMs + resumedEnd.elapsedMs, 'time trained, not the hour between');

  // Killed again after the resume: no run-end after the last run-start.
  writeFileSync(eventsFile(folder), lines([...killed, ...killed]));
  assert.equal((await summarizeRun(folder)).status, 'interrupted');
});

test('the engine that trained each phase, from its phase-starts: a resume on the other engine adds it; older runs have none', async () => {
  const folder = path.join(runsFolder(), '20261201-090000-engines');
  writeSyntheticRun(path.dirname(folder), path.basename(folder), { phases: SHORT });
  const onnx = SHORT.map((phase) => ({ ...phase, engine: 'onnxruntime' as const }));
  // Killed in the fine-tune (step 7) on onnxruntime, resumed from step 6 on tfjs.
  const killed = syntheticEvents(folder, { phases: onnx, checkpointEvery: 3, stopAfterStep: 7 });
  const resumed = syntheticEvents(folder, { phases: [onnx[0], { ...onnx[1], engine: 'tfjs' }], checkpointEvery: 3, end: 'completed', start: new Date('2026-12-01T10:00:00.000Z') });
  const fromCheckpoint = resumed.filter((event) => event.type === 'run-start' || (event.type === 'phase-start' && event.phaseIndex === 1) || (!('globalStep' in event) && event.type !== 'phase-start') || ('globalStep' in event && event.globalStep > 6));
  writeFileSync(eventsFile(folder), lines([...killed, ...fromCheckpoint]));
  const summary = await summarizeRun(folder);
  assert.deepEqual(summary.phaseEngines, { 'warm-up': ['onnxruntime'], 'fine-tune': ['onnxruntime', 'tfjs'] });
  assert.deepEqual((await summarizeRun(folder)).phaseEngines, summary.phaseEngines, 'the same from the cache');

  const older = writeSyntheticRun(runsFolder(), '20261201-090000-older', { phases: SHORT, end: 'completed' });
  assert.equal((await summarizeRun(older)).phaseEngines, undefined);
});

test('a torn last line is skipped and is no problem; an unreadable line inside is reported', async () => {
  const folder = writeSyntheticRun(runsFolder(), '20261201-090000-torn', { phases: SHORT, validateEvery: 4, checkpointEvery: 3, stopAfterStep: 7 });
  const size = statSync(eventsFile(folder)).size;
  truncateSync(eventsFile(folder), size - 20);
  const torn = await summarizeRun(folder, { cache: false });
  assert.equal(torn.status, 'interrupted');
  assert.equal(torn.steps, 6, 'the torn step 7 is not counted');
  assert.equal(torn.problem, undefined);
  assert.equal(torn.resumable, true, 'it has checkpoints');
  assert.ok(torn.endedAt !== undefined);

  appendFileSync(eventsFile(folder), '\n{"time":"2026-12-01T09:30:00.000Z","type":"step","phase":"fine-tune","phaseIndex":1,"step":6,"totalSteps":6,"globalStep":10,"loss":{"a":0.5},"learningRates":{},"elapsedMs":1}\n');
  const after = await summarizeRun(folder, { cache: false });
  assert.equal(after.steps, 7);
  assert.match(after.problem ?? '', /1 unreadable line/);
});

test('no run-end: running while the pid in trainer.pid lives (with progress), interrupted after', async () => {
  const folder = writeSyntheticRun(runsFolder(), '20261201-090000-live', { phases: SHORT, stopAfterStep: 3 });
  await writeTrainerPid(folder, process.pid);
  const running = await summarizeRun(folder);
  assert.equal(running.status, 'running');
  assert.deepEqual(running.progress, { phase: 'warm-up', step: 3, totalSteps: 4 });
  assert.equal(running.resumable, false);
  assert.ok(!existsSync(path.join(folder, RUN_SUMMARY_FILE)), 'a running run is not cached');

  // Written before the last boot: whatever process has that pid now is not its trainer.
  const beforeBoot = new Date(Date.now() - os.uptime() * 1000 - 60_000);
  utimesSync(path.join(folder, RUN_PID_FILE), beforeBoot, beforeBoot);
  assert.equal((await summarizeRun(folder)).status, 'interrupted');

  await writeTrainerPid(folder, DEAD_PID);
  const interrupted = await summarizeRun(folder);
  assert.equal(interrupted.status, 'interrupted');
  assert.equal(interrupted.progress, undefined);
  assert.equal(interrupted.resumable, false, 'killed before its first checkpoint');
  // From the cache now: liveness is still asked every time.
  await writeTrainerPid(folder, process.pid);
  assert.ok(existsSync(path.join(folder, RUN_SUMMARY_FILE)));
  const again = await summarizeRun(folder);
  assert.equal(again.status, 'running');
  assert.deepEqual(again.progress, { phase: 'warm-up', step: 3, totalSteps: 4 });
});

test('stopped and failed runs: resumable from the run-end', async () => {
  const folders = runsFolder();
  const stopped = await summarizeRun(writeSyntheticRun(folders, '20261201-090000-stopped', { phases: SHORT, end: 'stopped' }));
  assert.deepEqual([stopped.status, stopped.resumable], ['stopped', true]);
  const failedFolder = writeSyntheticRun(folders, '20261201-090001-failed', { phases: SHORT, end: 'failed' });
  assert.deepEqual([(await summarizeRun(failedFolder)).status, (await summarizeRun(failedFolder)).resumable], ['failed', false]);
  // A run-end that says it can be resumed (a full disk).
  const events = readFileSync(eventsFile(failedFolder), 'utf8').trim().split('\n');
  const end = { ...(JSON.parse(events.at(-1)!) as object), reason: 'the disk is full', resumable: true };
  writeFileSync(eventsFile(failedFolder), `${[...events.slice(0, -1), JSON.stringify(end)].join('\n')}\n`);
  assert.equal((await summarizeRun(failedFolder)).resumable, true);
});

test('damaged: not a run, unreadable experiment, no events; nothing is written into them', async () => {
  const folders = runsFolder();
  const junk = path.join(folders, 'holiday-photos');
  mkdirSync(junk, { recursive: true });
  writeFileSync(path.join(junk, 'beach.jpg'), 'jpeg');
  const broken = writeSyntheticRun(folders, '20261201-090000-broken', { phases: SHORT, end: 'completed' });
  writeFileSync(path.join(broken, 'experiment.json'), '{"name": ');
  const empty = writeSyntheticRun(folders, '20261201-090001-empty', { phases: SHORT });
  writeFileSync(eventsFile(empty), '');
  const noEvents = path.join(folders, '20261201-090002-no-events');
  mkdirSync(noEvents);
  writeFileSync(path.join(noEvents, 'experiment.json'), '{"name":"x"}');

  const runs = await listRuns(folders);
  const problems = Object.fromEntries(runs.map((run) => [path.basename(run.folder), [run.status, run.problem]]));
  assert.deepEqual(problems['holiday-photos'], ['damaged', 'not a run folder: it has no experiment.json']);
  assert.equal(problems['20261201-090000-broken'][0], 'damaged');
  assert.match(problems['20261201-090000-broken'][1]!, /experiment\.json cannot be read/);
  assert.deepEqual(problems['20261201-090001-empty'], ['damaged', 'events.jsonl has no run-start (the trainer stopped before the run began)']);
  assert.deepEqual(problems['20261201-090002-no-events'], ['damaged', 'it has no events.jsonl']);
  assert.deepEqual(readdirSync(junk), ['beach.jpg']);
  assert.ok(!existsSync(path.join(broken, RUN_SUMMARY_FILE)));
});

test('the cache: written once, read while fresh, rebuilt when events grow; a metadata change is overlaid', async () => {
  const folder = writeSyntheticRun(runsFolder(), '20261201-090000-cached', { phases: SHORT, validateEvery: 2, end: 'completed' });
  await summarizeRun(folder);
  const cacheFile = path.join(folder, RUN_SUMMARY_FILE);
  const cache = JSON.parse(readFileSync(cacheFile, 'utf8')) as { summary: { steps: number } };
  cache.summary.steps = 12_345;
  writeFileSync(cacheFile, JSON.stringify(cache));
  assert.equal((await summarizeRun(folder)).steps, 12_345, 'read from the cache');

  await updateRunMetadata(folder, { name: 'renamed', addTag: 'x' });
  const renamed = await summarizeRun(folder);
  assert.deepEqual([renamed.name, renamed.tags, renamed.steps], ['renamed', ['x'], 12_345], 'metadata overlaid without reading the events');

  appendFileSync(eventsFile(folder), '\n');
  assert.equal((await summarizeRun(folder)).steps, 10, 'events.jsonl changed: rebuilt');
  writeFileSync(cacheFile, '{"version": 1, "garbage": tr');
  assert.equal((await summarizeRun(folder)).steps, 10, 'an unreadable cache is rebuilt');
  assert.equal(readdirSync(folder).filter((name) => name.includes('.tmp-')).length, 0, 'atomic writes leave no temporary files');
});

test('metadata: rename and back, notes, tags added once and removed; an invalid file reads as empty', async () => {
  const folder = writeSyntheticRun(runsFolder(), '20261201-090000-meta', { phases: SHORT, end: 'completed' });
  await updateRunMetadata(folder, { name: '  lr 3e-5  ', notes: 'first try' });
  await updateRunMetadata(folder, { addTag: 'baseline' });
  await updateRunMetadata(folder, { addTag: 'baseline' });
  await updateRunMetadata(folder, { addTag: 'sweep' });
  assert.deepEqual(await readRunMetadata(folder), { name: 'lr 3e-5', notes: 'first try', tags: ['baseline', 'sweep'] });
  await updateRunMetadata(folder, { removeTag: 'baseline', name: null });
  assert.deepEqual(await readRunMetadata(folder), { notes: 'first try', tags: ['sweep'] });
  assert.equal((await summarizeRun(folder)).name, '20261201-090000-meta', "the experiment's name again");
  writeFileSync(path.join(folder, 'run.meta.json'), '{"tags": "not a list"}');
  assert.deepEqual(await readRunMetadata(folder), {});
  assert.match((await summarizeRun(folder)).problem ?? '', /run\.meta\.json is not valid/);
});

test('listing: newest first, hidden entries skipped, several folders, a missing folder is an error', async () => {
  const first = runsFolder();
  const second = runsFolder();
  writeSyntheticRun(first, 'b', { phases: SHORT, end: 'completed', start: new Date('2026-12-01T08:00:00Z') });
  writeSyntheticRun(first, 'a', { phases: SHORT, end: 'completed', start: new Date('2026-12-01T10:00:00Z') });
  writeSyntheticRun(second, 'c', { phases: SHORT, end: 'completed', start: new Date('2026-12-01T09:00:00Z') });
  mkdirSync(path.join(first, '.trash', 'old'), { recursive: true });
  mkdirSync(path.join(first, '.sweep-1'));
  writeFileSync(path.join(first, 'notes.txt'), 'a file, not a folder');
  const runs = await listRuns([first, second, first]);
  assert.deepEqual(runs.map((run) => run.id), ['a', 'c', 'b']);
  await assert.rejects(listRuns(path.join(workspace.folder, 'nowhere')), /runs folder does not exist/);
  assert.ok(!existsSync(path.join(first, RUN_PID_FILE)));
});
