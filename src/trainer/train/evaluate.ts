import type { Tensor1D } from '@tensorflow/tfjs';
import type { TaskMetrics } from '../../protocol/trainer-events';
import { tf } from '../backend/tensorflow';
import { lengthBucketedBatches } from '../data/padded-batch';
import type { TaskData } from '../data/task-data';
import { DropoutPlan } from '../model/dropout';
import type { SentenceModel } from '../model/sentence-model';
import { classificationMetrics } from './metrics';
import type { PooledEmbeddings } from './pooled-embeddings';

const EVALUATION_BATCH = 64;

/** Mean cross-entropy, accuracy and macro-F1 of a task's head on its validation data (inference mode). */
export async function evaluateTask(model: SentenceModel, task: TaskData, embeddings: PooledEmbeddings): Promise<TaskMetrics> {
  const validation = task.validation;
  if (validation === undefined) throw new Error(`task ${task.key} has no validation data`);
  const predictions = new Int32Array(validation.texts.length);
  let lossSum = 0;
  for (const indices of lengthBucketedBatches(validation.tokenIds.map((ids) => ids.length), EVALUATION_BATCH)) {
    const { loss, predicted } = tf.tidy(() => {
      const logits = model.headLogits(task.head, embeddings.pooled(task, 'validation', indices, DropoutPlan.none));
      const labels = tf.oneHot(tf.tensor1d(indices.map((index) => validation.classes[index]), 'int32'), task.labels.length);
      return {
        loss: tf.losses.softmaxCrossEntropy(labels, logits, undefined, undefined, tf.Reduction.SUM),
        predicted: tf.argMax<Tensor1D>(logits, 1),
      };
    });
    lossSum += (await loss.data())[0];
    const values = await predicted.data();
    indices.forEach((index, row) => (predictions[index] = values[row]!));
    tf.dispose([loss, predicted]);
  }
  const metrics = classificationMetrics(predictions, validation.classes, task.labels.length);
  return { loss: lossSum / validation.texts.length, ...metrics, examples: validation.texts.length };
}
