// The TensorFlow.js engine: tf.variableGrads over the step's task batches, on the model's own
// variables, and the tfjs AdamW. The Trainer's step as it was before engines were a choice.

import type { Scalar, Tensor } from '@tensorflow/tfjs';
import type { TaskKey } from '../../protocol/trainer-events';
import { ThawError } from '../../core/errors';
import type { ResolvedExperiment } from '../../core/experiment/load-experiment';
import { headOfTask } from '../../core/vocabulary/groups';
import { tf } from '../backend/tensorflow';
import type { TaskData } from '../data/task-data';
import { DropoutPlan } from '../model/dropout';
import type { SentenceModel } from '../model/sentence-model';
import { AdamW, NonFiniteMomentError } from '../optim/adamw';
import { nonFiniteGradientGroups } from '../train/finite-gradients';
import { clipByGlobalNorm } from '../train/gradient-clipping';
import { decays, stopBeforeMessage, type StepInput, type TrainingEngine } from './training-engine';

export class TfjsEngine implements TrainingEngine {
  readonly name = 'tfjs';

  constructor(
    private readonly model: SentenceModel,
    private readonly tasks: readonly TaskData[],
    private readonly experiment: ResolvedExperiment,
    readonly optimizer: AdamW,
    /** The tfjs backend's line, e.g. "wasm (...)". */
    readonly description: string,
  ) {}

  beginPhase(): Promise<void> {
    return Promise.resolve();
  }

  trainStep({ step, phase, learningRates, embeddings, globalStep }: StepInput): Promise<Partial<Record<TaskKey, number>>> {
    const { model, experiment } = this;
    const active = new Set(phase.trainable);
    const taskLosses = new Map<TaskKey, Scalar>();
    const totalLoss = (): Scalar =>
      tf.tidy(() => {
        let total: Scalar | undefined;
        for (const batch of step.batches) {
          const task = this.tasks.find((candidate) => candidate.key === batch.task)!;
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
        return new ThawError(stopBeforeMessage(what, globalStep, phase));
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
        this.optimizer.applyUpdates(
          trainable.filter((parameter) => clipped[parameter.variable.name] !== undefined).map((parameter) => ({
            name: parameter.name,
            variable: parameter.variable,
            gradient: clipped[parameter.variable.name],
            learningRate: learningRates[parameter.group],
            weightDecay: decays(parameter.name) ? phase.settings.weightDecay : 0,
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
    return Promise.resolve(losses);
  }

  /** The variables are the weights. */
  syncWeights(): void {}

  endPhase(): Promise<void> {
    return Promise.resolve();
  }

  dispose(): Promise<void> {
    this.optimizer.dispose();
    return Promise.resolve();
  }
}
