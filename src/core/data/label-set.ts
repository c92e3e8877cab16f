import { ThawError } from '../errors';
import type { Dataset } from './read-dataset';

/**
 * The distinct labels of the training set, sorted. A classifier needs at least two.
 *
 * @example labelsOf(train) // ['negative', 'positive']
 */
export function labelsOf(train: Dataset): string[] {
  // The default sort compares code units, not locales: the same class order on every machine.
  const labels = [...new Set(train.examples.map((example) => example.label))].sort();
  if (labels.length < 2) {
    const found = labels.length === 0 ? 'it has none' : `it has only ${JSON.stringify(labels[0])}`;
    throw new ThawError(`needs at least two labels to learn from; ${found}`, train.file);
  }
  return labels;
}

/**
 * Rejects a validation set with a label the model never saw in training: it could not predict it,
 * so the validation scores would quietly be off.
 *
 * @example checkLabels(validation, labelsOf(train), train.file)
 */
export function checkLabels(validation: Dataset, labels: readonly string[], trainFile: string): void {
  const known = new Set(labels);
  const unknown = validation.examples.find((example) => !known.has(example.label));
  if (unknown === undefined) return;
  throw new ThawError(
    `line ${unknown.line}: label ${JSON.stringify(unknown.label)} does not occur in the training data (${trainFile}): known labels: ${labels.join(', ')}`,
    validation.file,
  );
}
