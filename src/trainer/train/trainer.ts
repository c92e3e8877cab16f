// The training loop, read like tfjs-layers' fit(): phases, then steps; a stop flag checked after
// every step; tensors made in a step disposed in it; only plain numbers leave it (as events).

import path from 'node:path';
import type { TaskKey, TaskMetrics } from '../../protocol/trainer-events';
import type { TaskData } from '../data/task-data';
import { ignoredLearningRates } from '../../core/experiment/ignored-learning-rates';
import type { ResolvedExperiment } from '../../core/experiment/load-experiment';
import type { ResolvedPhase } from '../../core/experiment/resolve-phase';
import { cacheRoot } from '../../core/model/hub-paths';
import type { EncoderEngine } from '../encoder/encoder-engine';
import { openModelEncoder } from '../encoder/open-model-encoder';
import { isHead } from '../../core/vocabulary/groups';
import type { GroupName } from '../model/parameter-groups';
import type { SentenceModel } from '../model/sentence-model';
import { learningRateFactor } from '../optim/lr-schedule';
import type { TrainingEngine } from '../engine/training-engine';
import { writeCheckpoint, type RunPosition } from './checkpoint';
import { EmbeddingCache } from './embedding-cache';
import { evaluateTask } from './evaluate';
import type { EventSink } from './event-sink';
import { groupHashes } from './group-hashes';
import { phaseSchedule } from './phase-schedule';
import { cachedEmbeddings, encodedValidationEmbeddings, liveEmbeddings, type PooledEmbeddings } from './pooled-embeddings';

/** Set by `stop` over IPC or SIGTERM; the loop finishes its step, checkpoints and returns. */
export interface StopSignal {
  requested: boolean;
}

export type RunStatus = 'completed' | 'stopped';

export interface RunOutcome {
  readonly status: RunStatus;
  readonly globalStep: number;
  /** Why it ended, in a few words: completed, stop requested, --max-steps reached. */
  readonly reason: string;
}

export interface TrainerParts {
  readonly experiment: ResolvedExperiment;
  /** Every phase of the experiment; a phase that unfreezes groups looks at the one before it. */
  readonly phases: readonly ResolvedPhase[];
  /** Run only the phase of this index (--phase). */
  readonly onlyPhase?: number;
  readonly model: SentenceModel;
  /** Runs the encoder wherever it is frozen and only its outputs count (the embedding cache). */
  readonly encoderEngine: EncoderEngine;
  readonly tasks: readonly TaskData[];
  /** Computes each optimizer step and owns the optimizer state. */
  readonly engine: TrainingEngine;
  readonly maxSeqLength: number;
  readonly runFolder: string;
  /** The run's copy of the tokenizer and companion files, for its checkpoints. */
  readonly modelFiles: string;
  readonly sink: EventSink;
  readonly stop: StopSignal;
  /** Stop (with a checkpoint) after this many steps of this invocation. */
  readonly maxSteps?: number;
}

/**
 * Below this many validation sentences, tfjs' pass is quicker than building an ONNX Runtime
 * session (about 1 s for MiniLM) and running it: npm run bench:encoder measured the break-even
 * at 46 sentences on 2 cores.
 */
const SESSION_WORTH_SENTENCES = 64;

export class Trainer {
  private readonly groups: GroupName[];
  private readonly encoderGroups: GroupName[];
  private readonly started = performance.now();
  private stepsThisRun = 0;
  private stepsDone = 0;

  constructor(private readonly parts: TrainerParts) {
    this.groups = parts.model.parameters.summaries().map((summary) => summary.group);
    this.encoderGroups = this.groups.filter((group) => !isHead(group));
  }

  /** The global step the run has reached: what a run-end after a failure reports. */
  get globalStep(): number {
    return this.stepsDone;
  }

  /** Runs the phases from `position` on. */
  async run(position: RunPosition): Promise<RunOutcome> {
    let globalStep = position.globalStep;
    this.stepsDone = globalStep;
    const phases = this.parts.phases.filter((phase) => phase.index >= position.phaseIndex && (this.parts.onlyPhase === undefined || phase.index === this.parts.onlyPhase));
    for (const [index, phase] of phases.entries()) {
      const startStep = phase.index === position.phaseIndex ? position.stepInPhase : 0;
      const outcome = await this.runPhase(phase, startStep, globalStep, index === phases.length - 1);
      globalStep = outcome.globalStep;
      if (outcome.stopped) return { status: 'stopped', globalStep, reason: this.parts.stop.requested ? 'stop requested' : '--max-steps reached' };
    }
    return { status: 'completed', globalStep, reason: 'completed' };
  }

  private async runPhase(phase: ResolvedPhase, startStep: number, globalStep: number, last: boolean): Promise<{ stopped: boolean; globalStep: number }> {
    const { experiment, model, sink, stop, engine } = this.parts;
    if (startStep === 0) this.resetUnfrozenState(phase);
    const schedule = phaseSchedule(experiment, phase, this.parts.tasks);
    const totalSteps = schedule.totalSteps;
    const encoderFrozen = this.encoderGroups.every((group) => phase.frozen.includes(group));
    const embeddings = encoderFrozen && experiment.embeddingCache ? await this.cachedEmbeddings() : liveEmbeddings(model);
    const startHashes = groupHashes(model.parameters, this.groups);
    sink.emit({
      type: 'phase-start',
      phase: phase.name,
      phaseIndex: phase.index,
      totalSteps,
      frozen: [...phase.frozen],
      learningRates: this.learningRates(phase, 0, totalSteps),
      groupHashes: startHashes,
      trainsNothing: phase.trainsNothing,
      usesEmbeddingCache: embeddings.cached,
      engine: engine.name,
    });
    for (const ignored of ignoredLearningRates({ name: phase.name, frozen: phase.settings.frozen, lr: phase.settings.lr }, this.groups)) {
      sink.emit({ type: 'warning', kind: 'ignored-learning-rate', message: ignored.message });
    }
    // A frozen head over a moving encoder can silently get worse: its task is watched.
    const watched = encoderFrozen ? [] : this.parts.tasks.filter((task) => phase.frozen.includes(task.head) && task.validation !== undefined);
    const baseline = new Map<TaskKey, TaskMetrics>();
    if (watched.length > 0) {
      const evaluation = await this.evaluationEmbeddings(embeddings, watched);
      for (const task of watched) baseline.set(task.key, await evaluateTask(model, task, evaluation));
    }

    await engine.beginPhase(phase);
    let step = startStep;
    for (const scheduled of schedule.stepsFrom(startStep)) {
      const learningRates = this.learningRates(phase, step, totalSteps);
      const loss = await engine.trainStep({ step: scheduled, phase, learningRates, embeddings, globalStep });
      globalStep += 1;
      this.stepsThisRun += 1;
      this.stepsDone = globalStep;
      // A step is synchronous work; yielding lets a "stop" message or SIGTERM be handled now.
      await new Promise((resolve) => setImmediate(resolve));
      sink.emit({ type: 'step', phase: phase.name, phaseIndex: phase.index, step: step + 1, totalSteps, globalStep, loss, learningRates, elapsedMs: Math.round(performance.now() - this.started) });
      const epoch = schedule.epochEndingAt(step + 1);
      if (epoch !== undefined) await this.validate(phase, epoch, globalStep, embeddings, baseline);
      const position = { phaseIndex: phase.index, stepInPhase: step + 1, globalStep, seed: experiment.seed };
      if ((stop.requested || this.outOfSteps()) && step + 1 < totalSteps) {
        await this.checkpoint(`step-${String(globalStep).padStart(6, '0')}`, true, position);
        return { stopped: true, globalStep };
      }
      const every = experiment.checkpointEverySteps;
      if (every > 0 && globalStep % every === 0 && step + 1 < totalSteps) await this.checkpoint(`step-${String(globalStep).padStart(6, '0')}`, true, position);
      step += 1;
    }
    await engine.endPhase();
    this.finishPhase(phase, startHashes);
    await this.checkpoint(`phase-${phase.index}-${phase.name}`, false, { phaseIndex: phase.index + 1, stepInPhase: 0, globalStep, seed: experiment.seed });
    return { stopped: !last && (stop.requested || this.outOfSteps()), globalStep };
  }

  /** This invocation has run the --max-steps it was given. */
  private outOfSteps(): boolean {
    return this.parts.maxSteps !== undefined && this.stepsThisRun >= this.parts.maxSteps;
  }

  /** Each group's learning rate at a step: base x schedule for trainable groups, 0 for frozen ones. */
  private learningRates(phase: ResolvedPhase, step: number, totalSteps: number): Record<string, number> {
    const factor = learningRateFactor(phase.settings.schedule, step, totalSteps);
    return Object.fromEntries(this.groups.map((group) => [group, (phase.learningRates[group] ?? 0) * factor]));
  }

  private resetUnfrozenState(phase: ResolvedPhase): void {
    const previous = this.parts.phases.find((other) => other.index === phase.index - 1);
    if (phase.settings.optimizerState !== 'reset' || previous === undefined) return;
    const unfrozen = phase.trainable.filter((group) => previous.frozen.includes(group));
    this.parts.engine.optimizer.resetState(unfrozen.flatMap((group) => this.parts.model.parameters.inGroup(group).map((parameter) => parameter.name)));
  }

  private async validate(phase: ResolvedPhase, epoch: number, globalStep: number, embeddings: PooledEmbeddings, baseline: ReadonlyMap<TaskKey, TaskMetrics>): Promise<void> {
    this.parts.engine.syncWeights();
    const tasks: Partial<Record<TaskKey, TaskMetrics>> = {};
    const validated = this.parts.tasks.filter((task) => task.validation !== undefined);
    if (validated.length === 0) return;
    const evaluation = await this.evaluationEmbeddings(embeddings, validated);
    for (const task of validated) tasks[task.key] = await evaluateTask(this.parts.model, task, evaluation);
    this.parts.sink.emit({ type: 'validation', phase: phase.name, globalStep, epoch, tasks });
    for (const [key, before] of baseline) {
      const now = tasks[key]!;
      if (before.accuracy - now.accuracy > this.parts.experiment.frozenHeadDropThreshold) {
        this.parts.sink.emit({
          type: 'warning',
          kind: 'frozen-head-drift',
          task: key,
          message: `task ${key}'s head is frozen, but its validation accuracy fell from ${before.accuracy.toFixed(3)} to ${now.accuracy.toFixed(3)} as the shared encoder trained (phase "${phase.name}", epoch ${epoch})`,
        });
      }
    }
  }

  /** Checks the phase kept its word: every frozen group bit-identical to the phase's start. */
  private finishPhase(phase: ResolvedPhase, startHashes: Record<string, string>): void {
    const endHashes = groupHashes(this.parts.model.parameters, this.groups);
    const changedGroups = this.groups.filter((group) => endHashes[group] !== startHashes[group]);
    this.parts.sink.emit({ type: 'phase-end', phase: phase.name, phaseIndex: phase.index, groupHashes: endHashes, changedGroups });
    const broken = changedGroups.filter((group) => phase.frozen.includes(group));
    if (broken.length > 0) throw new Error(`trainer bug: frozen group(s) ${broken.join(', ')} changed during phase "${phase.name}"`);
  }

  /**
   * What an evaluation reads: the cache while the encoder is frozen; otherwise, on ONNX
   * Runtime, one session over the current weights for this evaluation (DECISIONS: once an
   * epoch is cheap); on tfjs, or for a few sentences, the live encoder.
   */
  private async evaluationEmbeddings(embeddings: PooledEmbeddings, tasks: readonly TaskData[]): Promise<PooledEmbeddings> {
    const { model, encoderEngine } = this.parts;
    const sentences = tasks.reduce((sum, task) => sum + (task.validation?.texts.length ?? 0), 0);
    if (embeddings.cached || encoderEngine.name !== 'onnxruntime' || sentences < SESSION_WORTH_SENTENCES) return embeddings;
    const encoder = await openModelEncoder(encoderEngine, model);
    try {
      return await encodedValidationEmbeddings(encoder, tasks, model.tokenizer.padTokenId, model.config.hidden_size);
    } finally {
      await encoder.dispose();
    }
  }

  private async cachedEmbeddings(): Promise<PooledEmbeddings> {
    const { model, tasks, sink, maxSeqLength } = this.parts;
    const encoderHash = Object.values(groupHashes(model.parameters, this.encoderGroups)).join('').slice(0, 32);
    const cache = await EmbeddingCache.open(path.join(cacheRoot(), 'embeddings'), encoderHash, maxSeqLength, model.config.hidden_size);
    const texts = tasks.flatMap((task) => [...task.train.texts, ...(task.validation?.texts ?? [])]);
    const tokenIds = tasks.flatMap((task) => [...task.train.tokenIds, ...(task.validation?.tokenIds ?? [])]);
    await cache.fill(() => openModelEncoder(this.parts.encoderEngine, model), model.tokenizer.padTokenId, texts, tokenIds, (done, total) => {
      if (done === total || done % 512 < 64) sink.emit({ type: 'progress', stage: 'embedding-cache', done, total, message: `caching the frozen encoder's embeddings: ${done}/${total}` });
    });
    return cachedEmbeddings(cache, tasks, model.config.hidden_size);
  }

  private async checkpoint(label: string, periodic: boolean, position: RunPosition): Promise<void> {
    const { runFolder, model, engine, modelFiles } = this.parts;
    engine.syncWeights();
    const optimizer = engine.optimizer;
    const folder = await writeCheckpoint({ runFolder, label, periodic, model, optimizer, position: { ...position, engine: engine.name }, modelFiles });
    this.parts.sink.emit({ type: 'checkpoint', globalStep: position.globalStep, folder });
  }
}
