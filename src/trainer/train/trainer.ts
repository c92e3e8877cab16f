// The training loop, read like tfjs-layers' fit(): phases, then steps; a stop flag checked after
// every step; tensors made in a step disposed in it; only plain numbers leave it (as events).

import type { Scalar, Tensor } from '@tensorflow/tfjs';
import path from 'node:path';
import type { TaskKey, TaskMetrics } from '../../protocol/trainer-events';
import { tf } from '../backend/tensorflow';
import type { ScheduledStep } from '../data/batch-schedule';
import type { TaskData } from '../data/task-data';
import { ThawError } from '../../core/errors';
import { ignoredLearningRates } from '../../core/experiment/ignored-learning-rates';
import type { ResolvedExperiment } from '../../core/experiment/load-experiment';
import type { ResolvedPhase } from '../../core/experiment/resolve-phase';
import { cacheRoot } from '../../core/model/hub-paths';
import type { EncoderEngine } from '../encoder/encoder-engine';
import { openModelEncoder } from '../encoder/open-model-encoder';
import { DropoutPlan } from '../model/dropout';
import { isHead } from '../../core/vocabulary/groups';
import type { GroupName, NamedParameter } from '../model/parameter-groups';
import { headOfTask } from '../../core/vocabulary/groups';
import type { SentenceModel } from '../model/sentence-model';
import { NonFiniteMomentError, type AdamW } from '../optim/adamw';
import { learningRateFactor } from '../optim/lr-schedule';
import { writeCheckpoint, type RunPosition } from './checkpoint';
import { EmbeddingCache } from './embedding-cache';
import { evaluateTask } from './evaluate';
import type { EventSink } from './event-sink';
import { nonFiniteGradientGroups } from './finite-gradients';
import { clipByGlobalNorm } from './gradient-clipping';
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
  readonly optimizer: AdamW;
  readonly maxSeqLength: number;
  readonly runFolder: string;
  /** The run's copy of the tokenizer and companion files, for its checkpoints. */
  readonly modelFiles: string;
  readonly sink: EventSink;
  readonly stop: StopSignal;
  /** Stop (with a checkpoint) after this many steps of this invocation. */
  readonly maxSteps?: number;
}

/** No decay for biases and LayerNorm weights, as in BERT's and Hugging Face's recipes. */
function decays(parameter: NamedParameter): boolean {
  return !parameter.name.endsWith('.bias') && !parameter.name.includes('LayerNorm');
}

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
    const { experiment, model, sink, stop } = this.parts;
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

    let step = startStep;
    for (const scheduled of schedule.stepsFrom(startStep)) {
      const learningRates = this.learningRates(phase, step, totalSteps);
      const loss = this.trainStep(scheduled, phase, learningRates, embeddings, globalStep);
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
    this.parts.optimizer.resetState(unfrozen.flatMap((group) => this.parts.model.parameters.inGroup(group).map((parameter) => parameter.name)));
  }

  /** One optimizer step (or, when nothing trains, one forward pass); returns each task's loss. */
  private trainStep(
    step: ScheduledStep,
    phase: ResolvedPhase,
    learningRates: Record<string, number>,
    embeddings: PooledEmbeddings,
    globalStep: number,
  ): Partial<Record<TaskKey, number>> {
    const { model, experiment } = this.parts;
    const active = new Set(phase.trainable);
    const taskLosses = new Map<TaskKey, Scalar>();
    const totalLoss = (): Scalar =>
      tf.tidy(() => {
        let total: Scalar | undefined;
        for (const batch of step.batches) {
          const task = this.parts.tasks.find((candidate) => candidate.key === batch.task)!;
          const dropout = new DropoutPlan(active, { seed: experiment.seed, step: globalStep, stream: task.key });
          const logits = model.headLogits(task.head, embeddings.pooled(task, 'train', batch.indices, dropout), dropout);
          const labels = tf.oneHot(tf.tensor1d(batch.indices.map((index) => task.train.classes[index]), 'int32'), task.labels.length);
          const loss = tf.losses.softmaxCrossEntropy<Tensor, Scalar>(labels, logits);
          taskLosses.set(task.key, tf.keep(loss));
          const weighted = tf.mul<Scalar>(loss, experiment.lossWeights[task.key]);
          total = total === undefined ? weighted : tf.add<Scalar>(total, weighted);
        }
        return total!;
      });

    if (phase.trainsNothing) {
      tf.dispose(totalLoss());
    } else {
      const trainable = phase.trainable.flatMap((group) => model.parameters.inGroup(group));
      const { value, grads } = tf.variableGrads(totalLoss, trainable.map((parameter) => parameter.variable));
      // Stop before the update: the weights, and so the last checkpoint, stay good.
      const stopBefore = (what: string) => {
        tf.dispose([value, ...Object.values(grads), ...taskLosses.values()]);
        return new ThawError(`${what} at step ${globalStep + 1} (phase "${phase.name}"); the run stops before the update and keeps its last good checkpoint. Try a smaller learning rate or loss weight, or set maxGradNorm.`);
      };
      const total = value.dataSync()[0];
      if (!Number.isFinite(total)) {
        // Weighted in float32, as the total was: a loss weight can overflow a finite loss.
        const tasks = [...taskLosses].filter(([key, loss]) => !Number.isFinite(Math.fround(loss.dataSync()[0] * experiment.lossWeights[key]))).map(([key]) => `task ${key} (${headOfTask(key)})`);
        throw stopBefore(`the loss${tasks.length > 0 ? ` of ${tasks.join(', ')}` : ''} is ${total}`);
      }
      const badGradients = nonFiniteGradientGroups(grads, trainable);
      if (badGradients.length > 0) throw stopBefore(`the gradient norm of ${badGradients.join(', ')} is not finite`);
      const clipped = clipByGlobalNorm(grads, experiment.maxGradNorm);
      try {
        // A step that trains one task gives the other head no gradient: like PyTorch with
        // grad None, such a parameter is skipped (no moment update, no weight decay).
        this.parts.optimizer.applyUpdates(
          trainable.filter((parameter) => clipped[parameter.variable.name] !== undefined).map((parameter) => ({
            name: parameter.name,
            variable: parameter.variable,
            gradient: clipped[parameter.variable.name],
            learningRate: learningRates[parameter.group],
            weightDecay: decays(parameter) ? phase.settings.weightDecay : 0,
          })),
        );
      } catch (error) {
        tf.dispose(Object.values(clipped));
        if (!(error instanceof NonFiniteMomentError)) throw error;
        const groups = [...new Set(trainable.filter((parameter) => error.parameters.includes(parameter.name)).map((parameter) => parameter.group))];
        throw stopBefore(`the optimizer's moments of ${groups.join(', ')} would not be finite`);
      }
      tf.dispose([value, ...Object.values(grads), ...Object.values(clipped)]);
    }
    const losses: Partial<Record<TaskKey, number>> = {};
    for (const [key, loss] of taskLosses) losses[key] = loss.dataSync()[0]!;
    tf.dispose([...taskLosses.values()] as Tensor[]);
    return losses;
  }

  private async validate(phase: ResolvedPhase, epoch: number, globalStep: number, embeddings: PooledEmbeddings, baseline: ReadonlyMap<TaskKey, TaskMetrics>): Promise<void> {
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
   * epoch is cheap, and faster than tfjs over a validation split); on tfjs, the live encoder.
   */
  private async evaluationEmbeddings(embeddings: PooledEmbeddings, tasks: readonly TaskData[]): Promise<PooledEmbeddings> {
    const { model, encoderEngine } = this.parts;
    if (embeddings.cached || encoderEngine.name !== 'onnxruntime') return embeddings;
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
    const { runFolder, model, optimizer, modelFiles } = this.parts;
    const folder = await writeCheckpoint({ runFolder, label, periodic, model, optimizer, position, modelFiles });
    this.parts.sink.emit({ type: 'checkpoint', globalStep: position.globalStep, folder });
  }
}
