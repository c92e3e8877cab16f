// Run folders written without training: experiment.json and an events.jsonl of valid trainer
// events (run-start, phase-start, steps, validations, checkpoints, phase-end, run-end), shaped
// as the trainer writes them, for unit tests and the runs benchmark.

import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { EngineName } from '../../src/core/vocabulary/engines';
import type { TrainerEvent } from '../../src/protocol/trainer-events';

const GROUPS = ['embeddings', 'layer.0', 'layer.1', 'layer.2', 'layer.3', 'layer.4', 'layer.5', 'task_a_head', 'task_b_head'];
const GROUP_SIZES = Object.fromEntries(GROUPS.map((group, index) => [group, group.startsWith('task') ? 1_000 + index : 1_000_000 + index]));

export interface SyntheticPhase {
  readonly name: string;
  readonly steps: number;
  readonly frozen: readonly string[];
  /** What its phase-start says trained it; absent as in runs from before engines were a choice. */
  readonly engine?: EngineName;
}

export interface SyntheticRun {
  readonly start?: Date;
  readonly seed?: number;
  readonly phases?: readonly SyntheticPhase[];
  /** A validation every this many steps (and at each phase's end). */
  readonly validateEvery?: number;
  readonly checkpointEvery?: number;
  /** Accuracy of a task at a step; the default rises with the step. */
  readonly accuracy?: (task: 'a' | 'b', globalStep: number) => number;
  /** How the run ends; undefined: it has no run-end (killed). */
  readonly end?: 'completed' | 'stopped' | 'failed';
  /** Stop writing after this global step (a kill). */
  readonly stopAfterStep?: number;
}

export const DEFAULT_PHASES: readonly SyntheticPhase[] = [
  { name: 'warm-up', steps: 200, frozen: ['embeddings', 'layer.0', 'layer.1', 'layer.2', 'layer.3', 'layer.4', 'layer.5'] },
  { name: 'fine-tune', steps: 1_800, frozen: [] },
];

/** The experiment a synthetic run records, resolved as experiment.json holds it. */
export function syntheticExperiment(name: string, options: SyntheticRun): Record<string, unknown> {
  return {
    name,
    model: '/models/minilm',
    tasks: { a: { name: 'question type', train: '/data/a-train.csv', validation: '/data/a-val.csv', textColumn: 'text', labelColumn: 'label' }, b: { name: 'sentiment', train: '/data/b-train.csv', validation: '/data/b-val.csv', textColumn: 'text', labelColumn: 'label' } },
    batchSize: 16,
    seed: options.seed ?? 42,
    phases: (options.phases ?? DEFAULT_PHASES).map((phase) => ({ name: phase.name, steps: phase.steps, frozen: phase.frozen, lr: phase.frozen.length > 0 ? { heads: 1e-2 } : { encoder: 2e-5, heads: 1e-3 }, weightDecay: 0.01, schedule: { warmupSteps: 0, decay: 'constant' }, optimizerState: 'keep', evaluateOnly: false })),
    checkpointEverySteps: options.checkpointEvery ?? 0,
    output: '/runs',
  };
}

/** The events of a synthetic run, in order, each with its time. */
export function syntheticEvents(runFolder: string, options: SyntheticRun): TrainerEvent[] {
  const start = options.start ?? new Date('2026-12-01T09:00:00.000Z');
  let clock = start.getTime();
  const at = (ms = 0) => new Date((clock += ms)).toISOString();
  const accuracy = options.accuracy ?? ((task, step) => Math.min(0.99, 0.5 + step / 10_000 + (task === 'a' ? 0.1 : 0)));
  const events: TrainerEvent[] = [];
  const phases = options.phases ?? DEFAULT_PHASES;
  events.push({
    time: at(),
    type: 'run-start',
    runId: path.basename(runFolder),
    runFolder,
    backend: 'backend: wasm (synthetic)',
    model: { source: '/models/minilm', parameterCount: Object.values(GROUP_SIZES).reduce((a, b) => a + b, 0), groups: GROUP_SIZES },
    tasks: { a: { name: 'question type', labels: ['x', 'y'], trainExamples: 1000, validationExamples: 100 }, b: { name: 'sentiment', labels: ['neg', 'pos'], trainExamples: 1000, validationExamples: 100 } },
  });
  let globalStep = 0;
  const validate = (phase: string, epoch: number) =>
    events.push({
      time: at(500),
      type: 'validation',
      phase,
      globalStep,
      epoch,
      tasks: Object.fromEntries((['a', 'b'] as const).map((task) => [task, { loss: 1 - accuracy(task, globalStep), accuracy: accuracy(task, globalStep), macroF1: accuracy(task, globalStep) - 0.05, examples: 100 }])),
    });
  for (const [phaseIndex, phase] of phases.entries()) {
    const learningRates = Object.fromEntries(GROUPS.filter((group) => !phase.frozen.includes(group)).map((group) => [group, group.startsWith('task') ? 1e-3 : 2e-5]));
    const hashes = Object.fromEntries(GROUPS.map((group) => [group, `h${phaseIndex}${group.length}`]));
    events.push({ time: at(), type: 'phase-start', phase: phase.name, phaseIndex, totalSteps: phase.steps, frozen: [...phase.frozen], learningRates, groupHashes: hashes, trainsNothing: false, usesEmbeddingCache: phase.frozen.length === 7, ...(phase.engine === undefined ? {} : { engine: phase.engine }) });
    for (let step = 1; step <= phase.steps; step++) {
      globalStep++;
      events.push({ time: at(40), type: 'step', phase: phase.name, phaseIndex, step, totalSteps: phase.steps, globalStep, loss: { a: 1 / (1 + globalStep / 100), b: 0.7 / (1 + globalStep / 150) }, learningRates, elapsedMs: globalStep * 40 });
      if (options.validateEvery !== undefined && step % options.validateEvery === 0 && step !== phase.steps) validate(phase.name, Math.floor(step / options.validateEvery));
      if (options.checkpointEvery !== undefined && options.checkpointEvery > 0 && globalStep % options.checkpointEvery === 0) events.push({ time: at(200), type: 'checkpoint', globalStep, folder: path.join(runFolder, 'checkpoints', `step-${globalStep}`) });
      if (globalStep === options.stopAfterStep) return events;
    }
    validate(phase.name, 1);
    events.push({ time: at(), type: 'phase-end', phase: phase.name, phaseIndex, groupHashes: hashes, changedGroups: GROUPS.filter((group) => !phase.frozen.includes(group)) });
    events.push({ time: at(300), type: 'checkpoint', globalStep, folder: path.join(runFolder, 'checkpoints', `phase-${phaseIndex}-${phase.name}`) });
  }
  if (options.end !== undefined) events.push({ time: at(), type: 'run-end', status: options.end, globalStep, elapsedMs: clock - start.getTime() });
  return events;
}

/** Writes `runsFolder/id/` with experiment.json and events.jsonl; returns the folder. */
export function writeSyntheticRun(runsFolder: string, id: string, options: SyntheticRun = {}): string {
  const folder = path.join(runsFolder, id);
  mkdirSync(folder, { recursive: true });
  writeFileSync(path.join(folder, 'experiment.json'), `${JSON.stringify(syntheticExperiment(id, options), null, 2)}\n`);
  writeFileSync(path.join(folder, 'events.jsonl'), syntheticEvents(folder, options).map((event) => `${JSON.stringify(event)}\n`).join(''));
  return folder;
}
