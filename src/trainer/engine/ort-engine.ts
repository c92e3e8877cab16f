// The ONNX Runtime engine: per task batch, the training graph of onnx-training/ (forward and
// backward in one session per head for the phase's trainable groups, dynamic batch and length
// axes) gives the loss and gradients; the engine sums them, weighted, and runs the Float32Array
// AdamW over weight arrays it owns for the phase, with the clipping factor applied as AdamW
// reads the gradients. The model's tfjs variables get the arrays back at syncWeights
// (checkpoints, hashes, validation), trainable groups only, so frozen groups keep their bits.
// While the encoder is frozen and cached, a step is the head's alone, in JS (head-step.ts), on
// the cached embeddings, as on tfjs: no session is built for such a phase.

import type { TaskKey } from '../../protocol/trainer-events';
import { ThawError } from '../../core/errors';
import type { ResolvedExperiment } from '../../core/experiment/load-experiment';
import type { ResolvedPhase } from '../../core/experiment/resolve-phase';
import { headOfTask, type GroupName, type HeadName } from '../../core/vocabulary/groups';
import { tf } from '../backend/tensorflow';
import { padBatch } from '../data/padded-batch';
import type { TaskData } from '../data/task-data';
import { dropoutMask } from '../model/dropout-masks';
import type { SentenceModel } from '../model/sentence-model';
import { NonFiniteMomentError } from '../optim/adamw';
import { ArrayAdamW } from '../optim/array-adamw';
import { OrtTrainingStep, type TaskGradients } from '../onnx-training/ort-training-step';
import { dropoutMaskSize, headDropoutRate } from '../onnx-training/dropout-sites';
import { addGradients } from '../onnx-training/sum-gradients';
import { DropoutPlan } from '../model/dropout';
import type { PooledEmbeddings } from '../train/pooled-embeddings';
import { headGradients } from './head-step';
import { clipCoefficient, nonFiniteGroupsOf, squaredGroupNorms } from '../train/array-gradients';
import { decays, stopBeforeMessage, type StepInput, type TrainingEngine } from './training-engine';

interface PhaseState {
  readonly phase: ResolvedPhase;
  /** Built at the first step that runs the graph (a phase on the embedding cache never does). */
  step?: OrtTrainingStep;
  /** Every weight, by Hugging Face name: the engine's copy for this phase. */
  readonly weights: Map<string, Float32Array>;
  /** Weights changed since the last syncWeights. */
  dirty: boolean;
}

export class OrtEngine implements TrainingEngine {
  readonly name = 'onnxruntime';
  readonly optimizer = new ArrayAdamW();
  private current: PhaseState | undefined;
  private readonly groupOf: Map<string, GroupName>;
  private readonly shapes: Map<string, readonly number[]>;

  constructor(
    private readonly model: SentenceModel,
    private readonly tasks: readonly TaskData[],
    private readonly experiment: ResolvedExperiment,
    private readonly threads: number,
    /** "onnxruntime 1.14.0 (2 threads)". */
    readonly description: string,
  ) {
    this.groupOf = new Map(model.parameters.all.map((parameter) => [parameter.name, parameter.group]));
    this.shapes = new Map(model.parameters.all.map((parameter) => [parameter.name, [...parameter.variable.shape]]));
  }

  async beginPhase(phase: ResolvedPhase): Promise<void> {
    await this.endPhase();
    const weights = new Map(this.model.parameters.all.map((parameter) => [parameter.name, new Float32Array(parameter.variable.dataSync())]));
    this.current = { phase, weights, dirty: false };
  }

  private async trainingStep(current: PhaseState): Promise<OrtTrainingStep> {
    const heads = new Map<HeadName, number>(this.tasks.map((task) => [task.head, task.labels.length]));
    current.step ??= await OrtTrainingStep.create(this.model.config, { trainable: current.phase.trainable, heads }, { threads: this.threads });
    return current.step;
  }

  /** One task batch's loss and gradients: the training graph, or the head alone on cached embeddings. */
  private async taskGradients(current: PhaseState, task: TaskData, indices: readonly number[], embeddings: PooledEmbeddings, globalStep: number): Promise<TaskGradients> {
    const { experiment, model } = this;
    const key = { seed: experiment.seed, step: globalStep, stream: task.key };
    const labels = indices.map((index) => task.train.classes[index]);
    const lossWeight = experiment.lossWeights[task.key];
    if (embeddings.cached) {
      const pooled = embeddings.pooled(task, 'train', indices, DropoutPlan.none);
      const values = pooled.dataSync() as Float32Array;
      pooled.dispose();
      const [rows, hidden] = [indices.length, model.config.hidden_size];
      const rate = headDropoutRate(model.config);
      const trains = current.phase.trainable.includes(task.head);
      const mask = trains && rate > 0 ? dropoutMask(key, `${task.head}.dropout`, rows * hidden, rate) : undefined;
      const head = headGradients({ pooled: values, rows, hidden, weight: current.weights.get(`${task.head}.weight`)!, bias: current.weights.get(`${task.head}.bias`)!, labels, lossWeight, mask });
      const gradients = new Map(trains ? [[`${task.head}.weight`, head.weight], [`${task.head}.bias`, head.bias]] : []);
      return { loss: head.loss, taskLoss: head.taskLoss, gradients };
    }
    const step = await this.trainingStep(current);
    const batch = padBatch(indices.map((index) => task.train.tokenIds[index]), model.tokenizer.padTokenId);
    const masks = new Map(step.dropoutSites(task.head).map((site) => [site.input, dropoutMask(key, site.input, dropoutMaskSize(site, model.config, batch.batchSize, batch.length), site.rate)]));
    return step.gradients({ head: task.head, batch, labels, lossWeight, masks }, current.weights);
  }

  async trainStep({ step, phase, learningRates, embeddings, globalStep }: StepInput): Promise<Partial<Record<TaskKey, number>>> {
    const current = this.current;
    if (current?.phase !== phase) throw new Error(`trainer bug: phase "${phase.name}" was not begun on the ONNX Runtime engine`);
    const { experiment } = this;
    const losses: Partial<Record<TaskKey, number>> = {};
    const weightedLosses = new Map<TaskKey, number>();
    let gradients: Map<string, Float32Array> | undefined;
    for (const scheduled of step.batches) {
      const task = this.tasks.find((candidate) => candidate.key === scheduled.task)!;
      const result = await this.taskGradients(current, task, scheduled.indices, embeddings, globalStep);
      losses[task.key] = result.taskLoss;
      weightedLosses.set(task.key, result.loss);
      gradients ??= new Map();
      addGradients(gradients, result.gradients);
    }
    if (phase.trainsNothing || gradients === undefined) return losses;

    // Stop before the update: the weights, and so the last checkpoint, stay good.
    const total = [...weightedLosses.values()].reduce((sum, loss) => Math.fround(sum + loss), 0);
    if (!Number.isFinite(total)) {
      const tasks = [...weightedLosses].filter(([, loss]) => !Number.isFinite(loss)).map(([key]) => `task ${key} (${headOfTask(key)})`);
      throw new ThawError(stopBeforeMessage(`the loss${tasks.length > 0 ? ` of ${tasks.join(', ')}` : ''} is ${total}`, globalStep, phase));
    }
    const groupOf = (name: string) => this.groupOf.get(name)!;
    const norms = squaredGroupNorms(gradients, groupOf);
    const badGradients = nonFiniteGroupsOf(norms);
    if (badGradients.length > 0) throw new ThawError(stopBeforeMessage(`the gradient norm of ${badGradients.join(', ')} is not finite`, globalStep, phase));
    // Clipping is a factor on every gradient, which AdamW applies as it reads them.
    const gradientScale = clipCoefficient([...norms.values()].reduce((sum, norm) => sum + norm, 0), experiment.maxGradNorm);
    // The graph gives gradients for trainable groups only; a head whose task this step does not
    // train gets none and is skipped, like PyTorch with grad None.
    const updates = [...gradients].map(([name, gradient]) => ({
      name,
      weight: current.weights.get(name)!,
      gradient,
      gradientScale,
      // No element exceeds its group's norm: bounds the moments without a pass of its own.
      gradientBound: gradientScale * Math.sqrt(norms.get(groupOf(name))!),
      learningRate: learningRates[groupOf(name)],
      weightDecay: decays(name) ? phase.settings.weightDecay : 0,
    }));
    try {
      this.optimizer.applyUpdates(updates, this.shapes);
    } catch (error) {
      if (!(error instanceof NonFiniteMomentError)) throw error;
      const groups = [...new Set(error.parameters.map(groupOf))];
      throw new ThawError(stopBeforeMessage(`the optimizer's moments of ${groups.join(', ')} would not be finite`, globalStep, phase));
    }
    current.dirty = true;
    return losses;
  }

  syncWeights(): void {
    const current = this.current;
    if (current === undefined || !current.dirty) return;
    const trainable = new Set(current.phase.trainable);
    for (const parameter of this.model.parameters.all) {
      if (!trainable.has(parameter.group)) continue;
      const values = current.weights.get(parameter.name)!;
      tf.tidy(() => parameter.variable.assign(tf.tensor(values, parameter.variable.shape, 'float32')));
    }
    current.dirty = false;
  }

  async endPhase(): Promise<void> {
    const current = this.current;
    if (current === undefined) return;
    this.syncWeights();
    this.current = undefined;
    await current.step?.dispose();
  }

  async dispose(): Promise<void> {
    const current = this.current;
    this.current = undefined;
    await current?.step?.dispose();
    this.optimizer.dispose();
  }
}
