// The gradients of one task batch as tfjs autodiff gives them on Thaw's own model code (the
// reference the ONNX training graph is checked against): lossWeight * softmaxCrossEntropy, as
// Trainer.trainStep computes a task's share of the step's loss.

import type { Scalar, Tensor } from '@tensorflow/tfjs';
import { tf } from '../../src/trainer/backend/tensorflow';
import type { GroupName, HeadName } from '../../src/core/vocabulary/groups';
import type { PaddedBatch } from '../../src/trainer/data/padded-batch';
import type { SentenceModel } from '../../src/trainer/model/sentence-model';
import type { DropoutSite } from '../../src/trainer/onnx-training/dropout-sites';
import { GivenDropoutMasks } from './given-dropout';

export interface ReferenceStep {
  readonly loss: number;
  readonly taskLoss: number;
  readonly gradients: Map<string, Float32Array>;
}

export function tfjsStepGradients(
  model: SentenceModel,
  task: { head: HeadName; batch: PaddedBatch; tokenTypeIds?: Int32Array; labels: readonly number[]; lossWeight: number },
  trainable: ReadonlySet<GroupName>,
  sites: readonly DropoutSite[],
  masks: ReadonlyMap<string, Float32Array>,
): ReferenceStep {
  const classes = model.parameters.get(`${task.head}.bias`)!.variable.shape[0];
  const parameters = model.parameters.all.filter((parameter) => trainable.has(parameter.group) && (parameter.group === task.head || !parameter.group.startsWith('task_')));
  let taskLoss = Number.NaN;
  const weightedLoss = (): Scalar =>
      tf.tidy(() => {
        const dropout = new GivenDropoutMasks(sites, masks);
        const shape: [number, number] = [task.batch.batchSize, task.batch.length];
        const inputs = {
          inputIds: tf.tensor2d(task.batch.inputIds, shape, 'int32'),
          attentionMask: tf.tensor2d(task.batch.attentionMask, shape, 'int32'),
          ...(task.tokenTypeIds === undefined ? {} : { tokenTypeIds: tf.tensor2d(task.tokenTypeIds, shape, 'int32') }),
        };
        const logits = model.headLogits(task.head, model.embed(inputs, dropout), dropout);
        const loss = tf.losses.softmaxCrossEntropy<Tensor, Scalar>(tf.oneHot(tf.tensor1d([...task.labels], 'int32'), classes), logits);
        taskLoss = loss.dataSync()[0];
        return tf.mul<Scalar>(loss, task.lossWeight);
      });
  if (parameters.length === 0) {
    const loss = weightedLoss();
    const value = loss.dataSync()[0];
    loss.dispose();
    return { loss: value, taskLoss, gradients: new Map() };
  }
  const { value, grads } = tf.variableGrads(weightedLoss, parameters.map((parameter) => parameter.variable));
  const gradients = new Map<string, Float32Array>();
  for (const parameter of parameters) {
    const gradient = grads[parameter.variable.name];
    gradients.set(parameter.name, gradient === undefined ? new Float32Array(parameter.variable.size) : (gradient.dataSync() as Float32Array));
  }
  const loss = value.dataSync()[0];
  tf.dispose([value, ...Object.values(grads)]);
  return { loss, taskLoss, gradients };
}

/**
 * The largest |actual - expected| over the tensor, divided by max(|expected|_inf, floor): the
 * gradient tolerance rule of the ONNX training tests.
 */
export function relativeToLargest(actual: ArrayLike<number>, expected: ArrayLike<number>, floor = 1e-6): number {
  if (actual.length !== expected.length) throw new Error(`${actual.length} values against ${expected.length}`);
  let largest = 0;
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    largest = Math.max(largest, Math.abs(expected[i]));
    worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
  }
  return worst / Math.max(largest, floor);
}
