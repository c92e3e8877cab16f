// A task's examples as the trainer needs them: labels as class indices of the label set
// inferred from the training data, and token ids from the model's tokenizer.

import type { TaskKey } from '../../protocol/trainer-events';
import type { TaskConfig } from '../experiment/experiment-schema';
import type { HeadName } from '../model/parameter-groups';
import type { SentenceTokenizer } from '../model/tokenizer';
import { checkLabels, labelsOf } from './label-set';
import { readDataset, type Dataset } from './read-dataset';

export interface TaskSplit {
  readonly file: string;
  readonly texts: readonly string[];
  /** Class index of each example in the task's label set. */
  readonly classes: Int32Array;
  /** Token ids of each text, with [CLS] and [SEP], truncated to the experiment's max length. */
  readonly tokenIds: readonly (readonly number[])[];
}

export interface TaskData {
  readonly key: TaskKey;
  readonly name: string;
  readonly head: HeadName;
  readonly labels: readonly string[];
  readonly train: TaskSplit;
  readonly validation?: TaskSplit;
}

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

export function tokenizeTask(datasets: TaskDatasets, tokenizer: SentenceTokenizer, maxSeqLength: number): TaskData {
  const split = (dataset: Dataset): TaskSplit => ({
    file: dataset.file,
    texts: dataset.examples.map((example) => example.text),
    classes: Int32Array.from(dataset.examples, (example) => datasets.labels.indexOf(example.label)),
    tokenIds: dataset.examples.map((example) => tokenizer.tokenize(example.text, maxSeqLength)),
  });
  return {
    key: datasets.key,
    name: datasets.config.name,
    head: `task_${datasets.key}_head`,
    labels: datasets.labels,
    train: split(datasets.train),
    validation: datasets.validation && split(datasets.validation),
  };
}
