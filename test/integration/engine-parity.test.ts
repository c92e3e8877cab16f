// The two training engines on one tiny model: the same 50-step fine-tune (same data order, same
// dropout masks from the shared generator) gives per-step losses within 1e-4, and a run
// started on one engine resumes on the other from its checkpoint, continuing within 1e-4 of an
// uninterrupted run.

import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import type { TaskKey, TrainerEvent } from '../../src/protocol/trainer-events';
import { initBackend } from '../../src/trainer/backend/tensorflow';
import type { EngineChoice } from '../../src/core/vocabulary/engines';
import { EventSink } from '../../src/trainer/train/event-sink';
import { runTraining, type TrainResult } from '../../src/trainer/train/run-training';
import { temporaryFolder } from '../helpers/tiny-model';
import { tinyDemoModel, writeExperiment } from '../helpers/tiny-experiment';

const TOLERANCE = 1e-4;
const STEPS = 50;
const workspace = temporaryFolder();
let experimentFile: string;

before(async () => {
  await initBackend();
  process.env.THAW_CACHE = path.join(workspace.folder, 'cache');
  const model = await tinyDemoModel(workspace.folder);
  experimentFile = writeExperiment(workspace.folder, 'fine-tune', model, {
    phases: [{ name: 'fine-tune', steps: STEPS, lr: { encoder: 1e-4, heads: 1e-3 }, schedule: { warmupSteps: 5, decay: 'linear' } }],
    sampling: 'joint',
  });
});
after(() => workspace.cleanup());

type Losses = Map<number, Partial<Record<TaskKey, number>>>;

async function train(options: { engine: EngineChoice; maxSteps?: number; resumeRun?: string }): Promise<{ result: TrainResult; losses: Losses; events: TrainerEvent[] }> {
  const events: TrainerEvent[] = [];
  const sink = new EventSink({ listener: (event) => events.push(event) });
  const result = await runTraining({ ...(options.resumeRun === undefined ? { experimentFile } : { resumeRun: options.resumeRun }), engine: options.engine, maxSteps: options.maxSteps, sink, stop: { requested: false } });
  const losses: Losses = new Map(events.flatMap((event) => (event.type === 'step' ? [[event.globalStep, event.loss] as const] : [])));
  return { result, losses, events };
}

/** The largest |a - b| over the steps both have, asserting each within the tolerance. */
function assertLossesClose(actual: Losses, expected: Losses, label: string): number {
  let worst = 0;
  for (const [step, losses] of actual) {
    const reference = expected.get(step);
    assert.ok(reference !== undefined, `${label}: step ${step} has no reference`);
    for (const key of Object.keys(reference) as TaskKey[]) {
      const difference = Math.abs(losses[key]! - reference[key]!);
      worst = Math.max(worst, difference);
      assert.ok(difference <= TOLERANCE, `${label}: step ${step} task ${key}: ${losses[key]} vs ${reference[key]}`);
    }
  }
  return worst;
}

test('a warm-up on the embedding cache, then a fine-tune: losses within 1e-4 on both engines', async () => {
  const model = path.join(workspace.folder, 'model');
  const file = writeExperiment(workspace.folder, 'two-phases', model, {
    phases: [
      { name: 'warm-up', steps: 12, frozen: ['encoder'], lr: { heads: 1e-2 } },
      { name: 'fine-tune', steps: 12, lr: { encoder: 1e-4, heads: 1e-3 } },
    ],
  });
  const run = async (engine: EngineChoice) => {
    const events: TrainerEvent[] = [];
    await runTraining({ experimentFile: file, engine, sink: new EventSink({ listener: (event) => events.push(event) }), stop: { requested: false } });
    assert.deepEqual(events.flatMap((event) => (event.type === 'phase-start' ? [[event.usesEmbeddingCache, event.engine]] : [])), [[true, engine], [false, engine]]);
    return new Map(events.flatMap((event) => (event.type === 'step' ? [[event.globalStep, event.loss] as const] : [])));
  };
  const worst = assertLossesClose(await run('onnxruntime'), await run('tfjs'), 'two phases');
  console.log(`warm-up on the cache + fine-tune: largest difference ${worst.toExponential(2)}`);
});

let tfjsRun: Losses;
let ortRun: Losses;

test(`a ${STEPS}-step fine-tune gives per-step losses within 1e-4 on both engines`, async () => {
  const tfjs = await train({ engine: 'tfjs' });
  const ort = await train({ engine: 'onnxruntime' });
  tfjsRun = tfjs.losses;
  ortRun = ort.losses;
  assert.equal(ort.losses.size, STEPS);
  const engines = (events: TrainerEvent[]) => events.flatMap((event) => (event.type === 'phase-start' ? [event.engine] : []));
  assert.deepEqual(engines(tfjs.events), ['tfjs']);
  assert.deepEqual(engines(ort.events), ['onnxruntime']);
  const start = ort.events.find((event) => event.type === 'run-start');
  assert.match(start?.type === 'run-start' ? start.backend : '', /training: onnxruntime \d+\.\d+\.\d+ \(\d+ threads?\)/);
  const worst = assertLossesClose(ort.losses, tfjs.losses, 'onnxruntime vs tfjs');
  console.log(`largest per-step loss difference over ${STEPS} steps: ${worst.toExponential(2)}`);
});

for (const [first, second] of [
  ['onnxruntime', 'tfjs'],
  ['tfjs', 'onnxruntime'],
] as const) {
  test(`a run started on ${first} resumes on ${second} within 1e-4 of an uninterrupted run`, async () => {
    const started = await train({ engine: first, maxSteps: 20 });
    assert.equal(started.result.status, 'stopped');
    const resumed = await train({ engine: second, resumeRun: started.result.runFolder });
    assert.equal(resumed.result.status, 'completed');
    assert.deepEqual([...resumed.losses.keys()], Array.from({ length: STEPS - 20 }, (_, index) => index + 21));
    const reference = second === 'tfjs' ? tfjsRun : ortRun;
    const worst = assertLossesClose(resumed.losses, reference, `${first} -> ${second}`);
    console.log(`${first} -> ${second}: largest difference from an uninterrupted ${second} run ${worst.toExponential(2)}`);
  });
}
