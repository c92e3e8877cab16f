// What "Thaw: New Experiment" learns from a dataset file the moment it is picked, before any
// file is written: the columns (CSV header) or keys (JSONL) it has, the likely text and label
// columns, and, once those are chosen, each label's count in training and validation. Every
// problem is said here, in words, so the experiment written afterwards can be trained.

import { parse } from 'csv-parse/sync';
import path from 'node:path';
import { ThawError, messageOf } from '../errors';
import { readUtf8Text } from '../io/read-utf8-text';
import { checkDatasetSize } from './dataset-limits';
import { readDataset, type Dataset, type DatasetColumns } from './read-dataset';

/** JSONL records looked at for their keys: enough to see every key a consistent file has. */
const JSONL_RECORDS_FOR_KEYS = 50;

/**
 * The columns of a CSV file's header, or the keys of a JSONL file's first records.
 *
 * @example await datasetFields('data/train.csv') // ['text', 'label']
 */
export async function datasetFields(file: string): Promise<string[]> {
  const extension = path.extname(file).toLowerCase();
  if (extension !== '.csv' && extension !== '.jsonl') throw new ThawError(`cannot tell the format from the extension ${JSON.stringify(extension)}: expected .csv or .jsonl`, file);
  await checkDatasetSize(file);
  const text = await readUtf8Text(file);
  return extension === '.csv' ? csvHeader(text, file) : jsonlKeys(text, file);
}

function csvHeader(text: string, file: string): string[] {
  let records: string[][];
  try {
    const rows: unknown = parse(text, { to: 1, relax_column_count: true, skip_empty_lines: true });
    records = rows as string[][];
  } catch (error) {
    throw new ThawError(`line 1: the header row is not valid CSV (${messageOf(error)})`, file);
  }
  const header = records[0];
  if (header === undefined) throw new ThawError('is empty: expected a header row, then one example a row', file);
  return header;
}

function jsonlKeys(text: string, file: string): string[] {
  const keys = new Set<string>();
  const lines = text.split('\n').map((content, index) => ({ content, line: index + 1 })).filter(({ content }) => content.trim() !== '');
  for (const { content, line } of lines.slice(0, JSONL_RECORDS_FOR_KEYS)) {
    let value: unknown;
    try {
      value = JSON.parse(content);
    } catch (error) {
      throw new ThawError(`line ${line}: not valid JSON (${messageOf(error)})`, file);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ThawError(`line ${line}: expected a JSON object`, file);
    Object.keys(value).forEach((key) => keys.add(key));
  }
  if (keys.size === 0) throw new ThawError('is empty: expected one JSON object a line', file);
  return [...keys];
}

const TEXT_NAMES = ['text', 'sentence', 'question', 'review', 'content', 'utterance'];
const LABEL_NAMES = ['label', 'labels', 'class', 'category', 'target', 'sentiment', 'intent'];

/**
 * The text and label columns to offer first: the usual names when present, else the first two.
 * A file with fewer than two columns cannot hold both, and says so.
 */
export function guessColumns(fields: readonly string[], file: string): DatasetColumns {
  if (fields.length < 2) {
    throw new ThawError(`has only the column ${JSON.stringify(fields[0] ?? '')}: a task needs a text column and a label column`, file);
  }
  const find = (names: readonly string[]) => fields.find((field) => names.includes(field.toLowerCase()));
  const text = find(TEXT_NAMES) ?? fields[0];
  const label = find(LABEL_NAMES.filter((name) => name !== text)) ?? fields.find((field) => field !== text)!;
  return { text, label };
}

export interface LabelCount {
  readonly label: string;
  readonly train: number;
  readonly validation: number;
}

export interface TaskDataReport {
  readonly trainExamples: number;
  readonly validationExamples: number;
  /** Every label, sorted as the trainer sorts them, with its counts. */
  readonly labels: readonly LabelCount[];
  /** Labels of the validation set that training never shows: the model could not predict them. */
  readonly validationOnly: readonly string[];
  /** What stops training; empty when the task can be trained. */
  readonly problems: readonly string[];
}

/**
 * Reads a task's training (and validation) file with the chosen columns, as the trainer will,
 * and counts the labels. A missing column or a malformed row throws the reader's ThawError;
 * data that reads but cannot train (one label only, labels only in validation) is a problem.
 *
 * @example const report = await inspectTaskData('train.csv', 'validation.csv', { text: 'text', label: 'label' })
 */
export async function inspectTaskData(train: string, validation: string | undefined, columns: DatasetColumns): Promise<TaskDataReport> {
  const trainSet = await readDataset(train, columns);
  const validationSet = validation === undefined ? undefined : await readDataset(validation, columns);
  return labelReport(trainSet, validationSet);
}

export function labelReport(train: Dataset, validation: Dataset | undefined): TaskDataReport {
  const counts = new Map<string, { train: number; validation: number }>();
  const count = (label: string) => counts.get(label) ?? counts.set(label, { train: 0, validation: 0 }).get(label)!;
  train.examples.forEach((example) => count(example.label).train++);
  validation?.examples.forEach((example) => count(example.label).validation++);
  // The default sort compares code units, as labelsOf does: the order the heads' classes get.
  const labels = [...counts.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([label, { train, validation }]) => ({ label, train, validation }));
  const validationOnly = labels.filter((entry) => entry.train === 0).map((entry) => entry.label);
  const trainLabels = labels.filter((entry) => entry.train > 0);
  const problems: string[] = [];
  if (trainLabels.length < 2) {
    problems.push(`${path.basename(train.file)} has ${trainLabels.length === 0 ? 'no labels' : `only the label ${JSON.stringify(trainLabels[0].label)}`}: a classifier needs at least two to learn from`);
  }
  if (validationOnly.length > 0 && validation !== undefined) {
    problems.push(`${path.basename(validation.file)} has labels that training never shows, so the model could not predict them: ${validationOnly.map((label) => JSON.stringify(label)).join(', ')}`);
  }
  return { trainExamples: train.examples.length, validationExamples: validation?.examples.length ?? 0, labels, validationOnly, problems };
}

/** One line a label: `positive: 150 train, 36 validation`. */
export function formatLabelCounts(report: TaskDataReport): string {
  return report.labels
    .map((entry) => `${entry.label}: ${entry.train} train${report.validationExamples > 0 ? `, ${entry.validation} validation` : ''}${entry.train === 0 ? ' (only in validation)' : ''}`)
    .join('; ');
}
