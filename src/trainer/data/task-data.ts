// A task's examples as the trainer needs them: labels as class indices of the label set
// inferred from the training data, and token ids from the model's tokenizer.

import type { TaskKey } from '../../protocol/trainer-events';
import type { HeadName } from '../model/parameter-groups';
import type { SentenceTokenizer } from '../model/tokenizer';
import type { Dataset } from '../../core/data/read-dataset';
import type { TaskDatasets } from '../../core/data/task-datasets';

export { readTaskDatasets, type TaskDatasets } from '../../core/data/task-datasets';

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
