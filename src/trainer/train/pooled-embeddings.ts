// Where a step's sentence embeddings come from: the frozen encoder's cache, or a live forward
// pass of the encoder (with dropout in the groups that train).

import type { Tensor2D } from '@tensorflow/tfjs';
import { tf } from '../backend/tensorflow';
import { lengthBucketedBatches, padBatch } from '../data/padded-batch';
import type { TaskData, TaskSplit } from '../data/task-data';
import type { FrozenEncoder } from '../encoder/frozen-encoder';
import type { DropoutPlan } from '../model/dropout';
import type { SentenceModel } from '../model/sentence-model';
import type { EmbeddingCache } from './embedding-cache';

export type SplitName = 'train' | 'validation';

export interface PooledEmbeddings {
  /** Pooled embeddings [indices.length, hidden] of those examples of a task's split. */
  pooled(task: TaskData, split: SplitName, indices: readonly number[], dropout: DropoutPlan): Tensor2D;
  readonly cached: boolean;
}

function splitOf(task: TaskData, split: SplitName): TaskSplit {
  const data = split === 'train' ? task.train : task.validation;
  if (data === undefined) throw new Error(`task ${task.key} has no ${split} data`);
  return data;
}

/** Runs the encoder on every batch. */
export function liveEmbeddings(model: SentenceModel): PooledEmbeddings {
  return {
    cached: false,
    pooled(task, split, indices, dropout) {
      const tokenIds = splitOf(task, split).tokenIds;
      return tf.tidy(() => model.embed(model.inputsFor(padBatch(indices.map((index) => tokenIds[index]), model.tokenizer.padTokenId)), dropout));
    },
  };
}

/** Reads rows of the cache; valid only while every encoder group is frozen. */
export function cachedEmbeddings(cache: EmbeddingCache, tasks: readonly TaskData[], hidden: number): PooledEmbeddings {
  const matrices = new Map<string, Float32Array>();
  for (const task of tasks) {
    matrices.set(`${task.key}:train`, cache.matrix(task.train.texts));
    if (task.validation !== undefined) matrices.set(`${task.key}:validation`, cache.matrix(task.validation.texts));
  }
  return matrixEmbeddings(matrices, hidden, true);
}

/**
 * The validation splits of `tasks` encoded once by a frozen encoder (the weights as they are
 * now), for one evaluation. While the encoder trains this is ONNX Runtime over a session
 * built for that evaluation: faster than tfjs' forward pass over the whole split.
 */
export async function encodedValidationEmbeddings(encoder: FrozenEncoder, tasks: readonly TaskData[], padTokenId: number, hidden: number): Promise<PooledEmbeddings> {
  const matrices = new Map<string, Float32Array>();
  for (const task of tasks) {
    const tokenIds = task.validation?.tokenIds;
    if (tokenIds === undefined) continue;
    const matrix = new Float32Array(tokenIds.length * hidden);
    for (const indices of lengthBucketedBatches(tokenIds.map((ids) => ids.length), 64)) {
      const rows = await encoder.pooled(padBatch(indices.map((index) => tokenIds[index]), padTokenId));
      indices.forEach((index, row) => matrix.set(rows.subarray(row * hidden, (row + 1) * hidden), index * hidden));
    }
    matrices.set(`${task.key}:validation`, matrix);
  }
  return matrixEmbeddings(matrices, hidden, false);
}

/** Rows of precomputed [examples x hidden] matrices, by `task:split`. */
function matrixEmbeddings(matrices: ReadonlyMap<string, Float32Array>, hidden: number, cached: boolean): PooledEmbeddings {
  return {
    cached,
    pooled(task, split, indices) {
      const matrix = matrices.get(`${task.key}:${split}`);
      if (matrix === undefined) throw new Error(`no ${split} embeddings of task ${task.key} were computed`);
      const rows = new Float32Array(indices.length * hidden);
      indices.forEach((index, row) => rows.set(matrix.subarray(index * hidden, (index + 1) * hidden), row * hidden));
      return tf.tensor2d(rows, [indices.length, hidden]);
    },
  };
}
