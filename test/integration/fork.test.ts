// `thaw train FILE --phase NAME --from RUN`, as the extension's Start Fine-tune runs it: the
// recipe run as warm-up, then fine-tune forked from the warm-up's run, equals the recipe run
// by `thaw train FILE` step for step, and records where it came from.

import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { initBackend } from '../../src/trainer/backend/tensorflow';
import { auditCheckpoints } from '../helpers/checkpoint-audit';
import { FAULT_TOTAL_STEPS, writeFaultExperiment } from '../helpers/fault-experiment';
import { runThaw, stepLosses } from '../helpers/thaw-child';
import { temporaryFolder } from '../helpers/tiny-model';
import { tinyDemoModel } from '../helpers/tiny-experiment';

const workspace = temporaryFolder();
let model: string;
let environment: NodeJS.ProcessEnv;

before(async () => {
  await initBackend();
  model = await tinyDemoModel(workspace.folder);
  environment = { ...process.env, THAW_CACHE: path.join(workspace.folder, 'cache') };
});
after(() => workspace.cleanup());

const runStartOf = (events: ReturnType<typeof runThaw>['events']) => {
  const start = events.find((event) => event.type === 'run-start');
  assert.ok(start?.type === 'run-start');
  return start;
};

test('--phase warm-up, then --phase fine-tune --from the warm-up run, equals the whole recipe step for step', async () => {
  const file = writeFaultExperiment(workspace.folder, 'recipe', model);
  const whole = runThaw([file], environment);
  assert.equal(await whole.exited, 0, whole.stderr());
  const expected = stepLosses(whole.events);
  assert.equal(expected.size, FAULT_TOTAL_STEPS);

  const warmUp = runThaw([file, '--phase', 'warm-up'], environment);
  assert.equal(await warmUp.exited, 0, warmUp.stderr());
  const warmUpRun = runStartOf(warmUp.events).runFolder;
  const fineTune = runThaw([file, '--phase', 'fine-tune', '--from', warmUpRun], environment);
  assert.equal(await fineTune.exited, 0, fineTune.stderr());

  const start = runStartOf(fineTune.events);
  assert.notEqual(start.runFolder, warmUpRun, 'a new run folder');
  assert.deepEqual(start.forkedFrom, { run: warmUpRun, checkpoint: path.join(warmUpRun, 'checkpoints', 'phase-0-warm-up') });
  assert.equal(start.experimentFile, file);
  assert.equal(start.phase, 'fine-tune');
  assert.equal(start.provenance?.engine, 'wasm');
  assert.equal(Object.keys(start.provenance?.datasets ?? {}).length, 4);
  const forked = [...stepLosses(warmUp.events).values(), ...stepLosses(fineTune.events).values()];
  assert.deepEqual(forked.map((step) => step.globalStep), [...expected.keys()], 'the fork continues at the checkpoint\'s position');
  for (const step of forked) assert.deepEqual(step.loss, expected.get(step.globalStep)?.loss, `step ${step.globalStep}`);
  const end = fineTune.events.at(-1);
  assert.ok(end?.type === 'run-end' && end.status === 'completed');
  // The fork's checkpoints carry their own tokenizer: they load even with the warm-up run gone.
  assert.deepEqual((await auditCheckpoints(start.runFolder)).unloadable, []);
  assert.ok(readFileSync(path.join(start.runFolder, 'model-files', 'tokenizer.json')).length > 0);
});

test('--from refuses a latest.json that points outside the run, and a folder that is neither run nor checkpoint', async () => {
  const file = writeFaultExperiment(workspace.folder, 'escape', model);
  const run = path.join(workspace.folder, 'forged-run');
  mkdirSync(path.join(run, 'checkpoints'), { recursive: true });
  writeFileSync(path.join(run, 'checkpoints', 'latest.json'), JSON.stringify({ folder: '../../model', periodic: false, globalStep: 1 }));
  const escaping = runThaw([file, '--phase', 'fine-tune', '--from', run], environment);
  assert.equal(await escaping.exited, 1);
  assert.match(escaping.stderr(), /latest\.json: "folder" must name a checkpoint inside .*forged-run\/checkpoints, got "\.\.\/\.\.\/model"/);
  const neither = runThaw([file, '--from', workspace.folder], environment);
  assert.equal(await neither.exited, 1);
  assert.match(neither.stderr(), /--from: neither a run folder/);
});

test('--output puts the run folder where the editor\'s thaw.runsFolder says, not in the file\'s "output"', async () => {
  const file = writeFaultExperiment(workspace.folder, 'elsewhere', model);
  const output = path.join(workspace.folder, 'settings-runs');
  const run = runThaw([file, '--phase', 'warm-up', '--max-steps', '2', '--output', output], environment);
  assert.equal(await run.exited, 0, run.stderr());
  assert.equal(path.dirname(runStartOf(run.events).runFolder), output);
});
