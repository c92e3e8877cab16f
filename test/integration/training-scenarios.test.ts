// The seed's scenarios on a tiny generated model and the demo data, run through the same
// entry point as `thaw train`. Weights are compared byte for byte between the model the run
// started from and the checkpoint it ended with.

import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import type { TrainerEvent } from '../../src/protocol/trainer-events';
import { initBackend } from '../../src/trainer/backend/tensorflow';
import { loadSentenceModel } from '../../src/trainer/model/load-sentence-model';
import type { GroupName } from '../../src/trainer/model/parameter-groups';
import { EventSink } from '../../src/trainer/train/event-sink';
import { runTraining, type TrainResult } from '../../src/trainer/train/run-training';
import { readLatestCheckpoint } from '../../src/trainer/train/checkpoint';
import { temporaryFolder } from '../helpers/tiny-model';
import { DEMO_TASKS, tinyDemoModel, writeExperiment } from '../helpers/tiny-experiment';

const workspace = temporaryFolder();
let model: string;

before(async () => {
  await initBackend();
  process.env.THAW_CACHE = path.join(workspace.folder, 'cache');
  model = await tinyDemoModel(workspace.folder);
});
after(() => workspace.cleanup());

const HEADS = { task_a_head: { labels: ['abbreviation', 'description', 'entity', 'human', 'location', 'numeric'] }, task_b_head: { labels: ['negative', 'positive'] } };

/** Each group's weights as one byte string, for exact comparison. */
async function groupBytes(folder: string): Promise<Map<GroupName, Buffer>> {
  const loaded = await loadSentenceModel(folder, { heads: HEADS, seed: 42 });
  try {
    const groups = new Map<GroupName, Buffer>();
    for (const summary of loaded.parameters.summaries()) {
      const parts = loaded.parameters.inGroup(summary.group).map((parameter) => Buffer.from((parameter.variable.dataSync() as Float32Array).buffer));
      groups.set(summary.group, Buffer.concat(parts));
    }
    return groups;
  } finally {
    await loaded.dispose();
  }
}

async function train(name: string, settings: Record<string, unknown>, maxSteps?: number): Promise<{ result: TrainResult; events: TrainerEvent[] }> {
  const events: TrainerEvent[] = [];
  const experimentFile = writeExperiment(workspace.folder, `${name}-${String(settings.engine)}`, model, settings);
  const result = await runTraining({ experimentFile, sink: new EventSink({ listener: (event) => events.push(event) }), stop: { requested: false }, maxSteps });
  return { result, events };
}

async function changedGroups(result: TrainResult): Promise<GroupName[]> {
  const before = await groupBytes(model);
  const after = await groupBytes((await readLatestCheckpoint(result.runFolder))!.folder);
  return [...before.keys()].filter((group) => !before.get(group)!.equals(after.get(group)!));
}

const ENCODER = ['embeddings', 'layer.0', 'layer.1'];

function majorityShare(events: TrainerEvent[], task: 'a' | 'b'): number {
  // The demo validation sets are balanced: 6 x 12 questions, 36 + 36 reviews.
  const start = events.find((event) => event.type === 'run-start');
  assert.ok(start?.type === 'run-start');
  return 1 / start.tasks[task]!.labels.length;
}

// Every scenario on both training engines: the same freezing guarantees, whichever computes the steps.
for (const engine of ['onnxruntime', 'tfjs'] as const) {

  test(`[${engine}] freeze-encoder: every encoder byte unchanged, both heads changed, warm epochs on the cache`, async () => {
    const { result, events } = await train('freeze-encoder', { engine, preset: 'freeze-encoder' });
    assert.equal(result.status, 'completed');
    assert.deepEqual(await changedGroups(result), ['task_a_head', 'task_b_head']);
    const phaseStart = events.find((event) => event.type === 'phase-start')!;
    assert.ok(phaseStart.type === 'phase-start' && phaseStart.usesEmbeddingCache);
    assert.equal(phaseStart.engine, engine, 'phase-start records the engine that trained the phase');
    const phaseEnd = events.find((event) => event.type === 'phase-end');
    assert.deepEqual(phaseEnd?.type === 'phase-end' && phaseEnd.changedGroups, ['task_a_head', 'task_b_head']);
  });

  test(`[${engine}] freeze-head-a: task_a_head bit-identical while the encoder and task_b_head change; its task is watched`, async () => {
    const { result, events } = await train('freeze-head-a', { engine, preset: 'freeze-head-a' });
    assert.deepEqual(await changedGroups(result), [...ENCODER, 'task_b_head']);
    const steps = events.filter((event) => event.type === 'step');
    assert.ok(steps.every((event) => event.type === 'step' && Object.keys(event.loss).join() === 'b'), 'only task b trains');
    const validations = events.filter((event) => event.type === 'validation');
    assert.ok(validations.length === 2 && validations.every((event) => event.type === 'validation' && event.tasks.a !== undefined), "task a's metric is reported every epoch");
  });

  test(`[${engine}] freeze-all: nothing changes, the loop still reports losses and validation metrics`, async () => {
    const { result, events } = await train('freeze-all', { engine, preset: 'freeze-all' });
    assert.equal(result.status, 'completed');
    assert.deepEqual(await changedGroups(result), []);
    const phaseStart = events.find((event) => event.type === 'phase-start');
    assert.ok(phaseStart?.type === 'phase-start' && phaseStart.trainsNothing && phaseStart.frozen.length === 5);
    assert.ok(events.filter((event) => event.type === 'step').length > 0);
    assert.ok(events.some((event) => event.type === 'validation'));
  });


  test(`[${engine}] recipe: validation loss falls and both tasks end above the majority-class baseline`, async () => {
    const { result, events } = await train('recipe', { engine, preset: 'recipe' });
    assert.equal(result.status, 'completed');
    const validations = events.filter((event) => event.type === 'validation');
    const first = validations[0];
    const last = validations.at(-1)!;
    assert.ok(first.type === 'validation' && last.type === 'validation');
    for (const task of ['a', 'b'] as const) {
      assert.ok(last.tasks[task]!.loss < first.tasks[task]!.loss, `task ${task}: loss ${first.tasks[task]!.loss} -> ${last.tasks[task]!.loss}`);
      assert.ok(last.tasks[task]!.accuracy > majorityShare(events, task), `task ${task}: accuracy ${last.tasks[task]!.accuracy}`);
    }
    const phases = events.filter((event) => event.type === 'phase-start').map((event) => event.type === 'phase-start' && [event.phase, event.usesEmbeddingCache]);
    assert.deepEqual(phases, [['warm-up', true], ['fine-tune', false]]);
  });

  test(`[${engine}] per-group LR: a group at LR 0 does not move, one at 1e-3 does; the schedule shows in step events`, async () => {
    const { result, events } = await train('per-group-lr', { engine,
      phases: [{ name: 'two-rates', steps: 8, frozen: ['encoder'], lr: { task_a_head: 0, task_b_head: 1e-3 }, schedule: { warmupSteps: 4, decay: 'linear' } }],
      sampling: 'joint',
    });
    assert.deepEqual(await changedGroups(result), ['task_b_head']);
    const rates = events.filter((event) => event.type === 'step').map((event) => event.type === 'step' && event.learningRates.task_b_head);
    // Warm-up over 4 steps, then linear decay to 0 over the remaining 4: 1e-3 x (1/4, 2/4, 3/4, 1, 1, 3/4, 2/4, 1/4).
    const expected = [0.25, 0.5, 0.75, 1, 1, 0.75, 0.5, 0.25].map((factor) => factor * 1e-3);
    (rates as number[]).forEach((rate, index) => assert.ok(Math.abs(rate - expected[index]) < 1e-12, `step ${index + 1}: ${rate}`));
  });

  test(`[${engine}] an infinite loss stops the run before the update and keeps the last good checkpoint`, async () => {
    const events: TrainerEvent[] = [];
    const experimentFile = writeExperiment(workspace.folder, `blow-up-${engine}`, model, {
      engine,
      phases: [{ name: 'heads', steps: 6, frozen: ['encoder'], lr: { heads: 1e-3 } }],
      sampling: 'round-robin',
      lossWeights: { a: 1, b: 1e39 },
      checkpointEverySteps: 1,
    });
    await assert.rejects(
      runTraining({ experimentFile, sink: new EventSink({ listener: (event) => events.push(event) }), stop: { requested: false } }),
      /the loss of task b \(task_b_head\) is Infinity at step 2 \(phase "heads"\); the run stops before the update and keeps its last good checkpoint/,
    );
    const start = events.find((event) => event.type === 'run-start');
    assert.ok(start?.type === 'run-start');
    const checkpoint = await readLatestCheckpoint(start.runFolder);
    assert.equal(checkpoint?.position.globalStep, 1);
    const weights = await groupBytes(checkpoint.folder);
    for (const [group, bytes] of weights) {
      const values = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
      assert.ok(values.every(Number.isFinite), `${group} is finite in the kept checkpoint`);
    }
    assert.deepEqual(events.slice(-2).map((event) => event.type), ['error', 'run-end']);
    const end = events.at(-1);
    assert.ok(end?.type === 'run-end' && end.status === 'failed' && end.globalStep === 1 && end.resumable === false, 'run-end has the real step');
  });

  test(`[${engine}] a gradient too large for float32 stops the run before the update, naming the groups`, async () => {
    const events: TrainerEvent[] = [];
    // The case: the loss stays finite, the squared gradients (and AdamW's second moments) overflow.
    const experimentFile = writeExperiment(workspace.folder, `huge-gradient-${engine}`, model, {
      engine,
      phases: [{ name: 'all', steps: 6, lr: { encoder: 1e-4, heads: 1e-3 } }],
      tasks: { a: DEMO_TASKS.a },
      lossWeights: { a: 1e36, b: 1 },
      maxGradNorm: null,
      checkpointEverySteps: 1,
    });
    await assert.rejects(
      runTraining({ experimentFile, sink: new EventSink({ listener: (event) => events.push(event) }), stop: { requested: false } }),
      /the gradient norm of [\w., ]*task_a_head[\w., ]* is not finite at step 1 \(phase "all"\); the run stops before the update/,
    );
    const start = events.find((event) => event.type === 'run-start');
    assert.ok(start?.type === 'run-start');
    assert.equal(await readLatestCheckpoint(start.runFolder), undefined, 'no checkpoint was written from a poisoned step');
    assert.equal(events.filter((event) => event.type === 'step').length, 0);
  });

  test(`[${engine}] a rate given to a frozen group is a warning at phase start, and the run trains`, async () => {
    const events: TrainerEvent[] = [];
    const experimentFile = writeExperiment(workspace.folder, `ignored-rate-${engine}`, model, {
      engine,
      phases: [{ name: 'fine-tune', steps: 2, frozen: ['encoder', 'task_a_head'], lr: { encoder: 2e-5, heads: 1e-3, task_a_head: 0.5 } }],
    });
    const result = await runTraining({ experimentFile, sink: new EventSink({ listener: (event) => events.push(event) }), stop: { requested: false } });
    assert.equal(result.status, 'completed');
    const warnings = events.filter((event) => event.type === 'warning');
    assert.deepEqual(warnings.map((event) => event.type === 'warning' && [event.kind, event.message]), [
      ['ignored-learning-rate', 'encoder is frozen in phase fine-tune; its rate 0.00002 is ignored'],
      ['ignored-learning-rate', 'task_a_head is frozen in phase fine-tune; its rate 0.5 is ignored'],
    ]);
    assert.ok(events.findIndex((event) => event.type === 'phase-start') < events.indexOf(warnings[0]));
  });
}
