// A checkpoint continued by the other training engine: it works (the checkpoint files are the
// same), but the numbers are that engine's, so `thaw train` says so in one warning line, for a
// fork (--from) and for a resume (--resume). The same engine says nothing.

import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import type { TrainerEvent } from '../../src/protocol/trainer-events';
import { runThawCommand, type CommandResult } from '../helpers/thaw-child';
import { temporaryFolder } from '../helpers/tiny-model';
import { tinyDemoModel, writeExperiment } from '../helpers/tiny-experiment';

const workspace = temporaryFolder();
let experimentFile: string;
let environment: NodeJS.ProcessEnv;

before(async () => {
  const model = await tinyDemoModel(workspace.folder);
  environment = { ...process.env, THAW_CACHE: path.join(workspace.folder, 'cache') };
  experimentFile = writeExperiment(workspace.folder, 'recipe', model, {
    phases: [
      { name: 'warm-up', steps: 4, frozen: ['encoder'], lr: { heads: 1e-2 } },
      { name: 'fine-tune', steps: 6, lr: { encoder: 1e-4, heads: 1e-3 } },
    ],
  });
});
after(() => workspace.cleanup());

async function train(...args: string[]): Promise<CommandResult & { events: TrainerEvent[] }> {
  const result = await runThawCommand(['train', ...args, '--json'], environment);
  assert.equal(result.code, 0, result.stderr);
  const events = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as TrainerEvent);
  return { ...result, events };
}

const runFolderOf = (events: readonly TrainerEvent[]): string => {
  const start = events.find((event) => event.type === 'run-start');
  assert.ok(start?.type === 'run-start');
  return start.runFolder;
};
const engineLines = (stderr: string) => stderr.split('\n').filter((line) => /was trained on/.test(line));

test('a fork and a resume on the other engine each print one warning naming both engines; the same engine none', async () => {
  const warmUp = await train(experimentFile, '--phase', 'warm-up', '--engine', 'tfjs');
  const warmUpRun = runFolderOf(warmUp.events);

  const sameEngine = await train(experimentFile, '--phase', 'fine-tune', '--from', warmUpRun, '--engine', 'tfjs', '--max-steps', '1');
  assert.deepEqual(engineLines(sameEngine.stderr), []);

  const fork = await train(experimentFile, '--phase', 'fine-tune', '--from', warmUpRun, '--engine', 'onnxruntime', '--max-steps', '2');
  assert.deepEqual(engineLines(fork.stderr), [
    "warning: the checkpoint at step 4 was trained on tfjs and onnxruntime continues it; the checkpoint files are the same, but its losses may differ from tfjs's in the last bits",
  ]);
  assert.ok(fork.events.some((event) => event.type === 'warning' && /trained on tfjs and onnxruntime continues it/.test(event.message)), 'in the events too');
  const end = fork.events.at(-1);
  assert.ok(end?.type === 'run-end' && end.status === 'stopped');

  const resumed = await train('--resume', runFolderOf(fork.events), '--engine', 'tfjs');
  assert.deepEqual(engineLines(resumed.stderr), [
    "warning: the checkpoint at step 6 was trained on onnxruntime and tfjs continues it; the checkpoint files are the same, but its losses may differ from onnxruntime's in the last bits",
  ]);
  const resumedEnd = resumed.events.at(-1);
  assert.ok(resumedEnd?.type === 'run-end' && resumedEnd.status === 'completed');
});
