// A task's training and validation files, read and checked, and its label set: what the
// trainer tokenizes, and what the host counts a head's parameters from.

import type { TaskConfig } from '../experiment/experiment-schema';
import type { TaskKey } from '../vocabulary/groups';
import { checkLabels, labelsOf } from './label-set';
import { readDataset, type Dataset } from './read-dataset';

/** The task's datasets, read and checked, before a tokenizer is at hand. */
export interface TaskDatasets {
  readonly key: TaskKey;
  readonly config: TaskConfig;
  readonly labels: string[];
  readonly train: Dataset;
  readonly validation?: Dataset;
}

export async function readTaskDatasets(key: TaskKey, config: TaskConfig): Promise<TaskDatasets> {
  const columns = { text: config.textColumn, label: config.labelColumn };
  const train = await readDataset(config.train, columns);
  const labels = labelsOf(train);
  const validation = config.validation === undefined ? undefined : await readDataset(config.validation, columns);
  if (validation !== undefined) checkLabels(validation, labels, train.file);
  return { key, config, labels, train, validation };
}
