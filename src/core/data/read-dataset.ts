import path from 'node:path';
import { ThawError } from '../errors';
import { readUtf8Text } from '../io/read-utf8-text';
import { checkDatasetSize, checkRowCount } from './dataset-limits';
import { csvExamples } from './csv-examples';
import { jsonlExamples } from './jsonl-examples';

export interface Example {
  readonly text: string;
  readonly label: string;
  /** 1-based line in the file where the record starts */
  readonly line: number;
}

export interface Dataset {
  readonly file: string;
  readonly examples: readonly Example[];
}

/** Which CSV columns (or JSONL keys) hold the text and the label. */
export interface DatasetColumns {
  readonly text: string;
  readonly label: string;
}

type Format = 'csv' | 'jsonl';

const EXPECTED_LAYOUT: Record<Format, string> = {
  csv: 'expected a header row, then one example a row',
  jsonl: 'expected one JSON object a line',
};

/**
 * Reads a CSV (RFC 4180: header row, quoted fields, doubled quotes, embedded newlines) or JSONL
 * (one JSON object a line) file, chosen by extension (.csv / .jsonl). Every problem is one
 * ThawError naming the file and, where one applies, the line ("line 7: empty text").
 *
 * @example const train = await readDataset('data/train.csv', { text: 'text', label: 'label' });
 */
export async function readDataset(file: string, columns: DatasetColumns): Promise<Dataset> {
  const format = formatOf(file);
  await checkDatasetSize(file);
  const text = await readUtf8Text(file);
  const examples = format === 'csv' ? csvExamples(text, columns, file) : jsonlExamples(text, columns, file);
  if (examples.length === 0) throw new ThawError(`no examples: ${EXPECTED_LAYOUT[format]}`, file);
  checkRowCount(examples.length, file);
  for (const example of examples) checkNotEmpty(example, file);
  return { file, examples };
}

function formatOf(file: string): Format {
  const extension = path.extname(file).toLowerCase();
  if (extension === '.csv') return 'csv';
  if (extension === '.jsonl') return 'jsonl';
  throw new ThawError(`cannot tell the format from the extension ${JSON.stringify(extension)}: expected .csv or .jsonl`, file);
}

/** Surrounding whitespace only decides emptiness; the text itself is kept as written. */
function checkNotEmpty(example: Example, file: string): void {
  if (example.text.trim() === '') throw new ThawError(`line ${example.line}: empty text`, file);
  // NUL bytes are not text (a binary file, or a damaged export), and trim() keeps them.
  if (example.text.replaceAll('\0', '').trim() === '') throw new ThawError(`line ${example.line}: the text is only NUL bytes`, file);
  if (example.label.trim() === '') throw new ThawError(`line ${example.line}: empty label`, file);
}
