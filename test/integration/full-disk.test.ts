// A full disk, for real: the run's output on a small tmpfs (mounting needs root; elsewhere the
// test is skipped and says so). The run must end with one line naming the file, the space it
// needed and what to do; leave no temporary files; keep events.jsonl whole with a run-end at
// the real step; fail the same way when resumed on a disk still full; and resume to the end,
// with the uninterrupted run's losses, once there is room.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import type { TrainerEvent } from '../../src/protocol/trainer-events';
import { initBackend } from '../../src/trainer/backend/tensorflow';
import { auditCheckpoints } from '../helpers/checkpoint-audit';
import { FAULT_TOTAL_STEPS, writeFaultExperiment } from '../helpers/fault-experiment';
import { recordedEvents, runThaw, stepLosses } from '../helpers/thaw-child';
import { temporaryFolder } from '../helpers/tiny-model';
import { tinyDemoModel } from '../helpers/tiny-experiment';

const workspace = temporaryFolder();
const disk = path.join(workspace.folder, 'disk');
let mounted = false;
let model: string;
let environment: NodeJS.ProcessEnv;

/** Mounts a tmpfs of `size` on `disk`, or remounts it with that size; false where not allowed. */
function mountTmpfs(size: string): boolean {
  try {
    const args = mounted ? ['-o', `remount,size=${size}`, disk] : ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', disk];
    execFileSync('mount', args, { stdio: 'pipe' });
    mounted = true;
    return true;
  } catch {
    return false;
  }
}

before(async () => {
  await initBackend();
  model = await tinyDemoModel(workspace.folder);
  environment = { ...process.env, THAW_CACHE: path.join(workspace.folder, 'cache') };
  mkdirSync(disk);
});
after(() => {
  if (mounted) execFileSync('umount', [disk]);
  workspace.cleanup();
});

/** Thaw's temporary and hidden leftovers anywhere under `folder`. */
function leftovers(folder: string): string[] {
  return readdirSync(folder, { recursive: true, encoding: 'utf8' }).filter((entry) => /(^|\/)\.|\.tmp-|\.partial/.test(entry));
}

/** The one error line among stderr's progress lines: it starts with "thaw train:" and ends stderr. */
function errorLine(stderr: string): string {
  const lines = stderr.trim().split('\n');
  assert.ok(!stderr.includes('    at '), `no stack trace:\n${stderr}`);
  return lines.at(-1)!;
}

test('a full disk: one clear line, no temporary files, run-end at the real step, and a resume to the end once there is room', async (t) => {
  // A checkpoint of the tiny model takes about 6 MB: the first fits, the second cannot.
  if (!mountTmpfs('9m')) {
    t.skip(`cannot mount a tmpfs here (needs root and CAP_SYS_ADMIN): the full-disk case is not tested`);
    return;
  }
  const reference = runThaw([writeFaultExperiment(workspace.folder, 'reference', model)], environment);
  assert.equal(await reference.exited, 0, reference.stderr());
  const expected = stepLosses(reference.events);

  const full = runThaw([writeFaultExperiment(workspace.folder, 'full', model, path.join(disk, 'runs'))], environment);
  assert.equal(await full.exited, 1, full.stderr());
  const line = errorLine(full.stderr());
  assert.match(line, /^thaw train: \/.*\/checkpoints\/step-\d+\/[\w.]+: cannot write: the disk is full \(ENOSPC\); it needs about [\d.]+ MB\. Free some space .*thaw train --resume \//);
  const start = full.events.find((event) => event.type === 'run-start');
  assert.ok(start?.type === 'run-start');
  assert.deepEqual(leftovers(start.runFolder), [], 'the partial checkpoint is removed');
  const events = recordedEvents(start.runFolder);
  const lastStep = Math.max(...stepLosses(events).keys());
  const end = events.at(-1);
  assert.ok(end?.type === 'run-end' && end.status === 'failed' && end.resumable === true && end.reason === 'the disk is full', JSON.stringify(end));
  assert.equal(end.globalStep, lastStep, 'run-end reports the step the run reached');
  assert.ok(lastStep < FAULT_TOTAL_STEPS);
  assert.deepEqual((await auditCheckpoints(start.runFolder)).unloadable, [], 'what was written before is whole');

  const stillFull = runThaw(['--resume', start.runFolder], environment);
  assert.equal(await stillFull.exited, 1, stillFull.stderr());
  assert.match(errorLine(stillFull.stderr()), /cannot write: the disk is full/);
  assert.deepEqual(leftovers(start.runFolder), []);
  recordedEvents(start.runFolder); // every line still whole

  assert.ok(mountTmpfs('64m'));
  const resumed = runThaw(['--resume', start.runFolder], environment);
  assert.equal(await resumed.exited, 0, resumed.stderr());
  const all: TrainerEvent[] = recordedEvents(start.runFolder);
  for (const event of all) if (event.type === 'step') assert.deepEqual(event.loss, expected.get(event.globalStep)?.loss, `step ${event.globalStep}`);
  assert.equal(Math.max(...stepLosses(all).keys()), FAULT_TOTAL_STEPS);
  assert.deepEqual((await auditCheckpoints(start.runFolder)).unloadable, []);
  assert.deepEqual(leftovers(start.runFolder), []);
});
