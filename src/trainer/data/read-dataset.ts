import { promises as fs } from 'node:fs';
import path from 'node:path';
import { CsvError, parse } from 'csv-parse/sync';
import { ThawError } from '../errors';

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

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

/**
 * Reads a CSV (RFC 4180: header row, quoted fields, doubled quotes, embedded newlines) or JSONL
 * (one JSON object a line) file, chosen by extension (.csv / .jsonl). Every problem is one
 * ThawError naming the file and, where one applies, the line ("line 7: empty text").
 *
 * @example const train = await readDataset('data/train.csv', { text: 'text', label: 'label' });
 */
export async function readDataset(file: string, columns: DatasetColumns): Promise<Dataset> {
  const format = formatOf(file);
  const text = decodeUtf8(await readBytes(file), file);
  const examples = format === 'csv' ? csvExamples(text, columns, file) : jsonlExamples(text, columns, file);
  if (examples.length === 0) throw new ThawError(`no examples: ${EXPECTED_LAYOUT[format]}`, file);
  for (const example of examples) checkNotEmpty(example, file);
  return { file, examples };
}

function formatOf(file: string): Format {
  const extension = path.extname(file).toLowerCase();
  if (extension === '.csv') return 'csv';
  if (extension === '.jsonl') return 'jsonl';
  throw new ThawError(`cannot tell the format from the extension ${JSON.stringify(extension)}: expected .csv or .jsonl`, file);
}

async function readBytes(file: string): Promise<Buffer> {
  try {
    return await fs.readFile(file);
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new ThawError(code === 'ENOENT' ? 'file does not exist' : code === 'EISDIR' ? 'is a folder, not a file' : `cannot read (${code ?? String(error)})`, file);
  }
}

function decodeUtf8(bytes: Buffer, file: string): string {
  try {
    // Like every TextDecoder by default, this one drops a leading byte order mark.
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ThawError(`line ${lineOfFirstBadByte(bytes)}: not UTF-8 text; save the file as UTF-8`, file);
  }
}

/** Valid UTF-8 decodes and re-encodes to the same bytes, so the first difference is the first bad byte. */
function lineOfFirstBadByte(bytes: Uint8Array): number {
  const lenient = Buffer.from(new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes), 'utf8');
  let bad = 0;
  while (bad < bytes.length && bytes[bad] === lenient[bad]) bad++;
  return lineCounter(bytes)(bad);
}

/** Maps byte offsets, asked for in increasing order, to 1-based lines without rescanning the file. */
function lineCounter(bytes: Uint8Array): (offset: number) => number {
  let scanned = 0;
  let line = 1;
  return (offset) => {
    for (; scanned < offset; scanned++) if (bytes[scanned] === NEWLINE) line++;
    return line;
  };
}

function csvExamples(text: string, columns: DatasetColumns, file: string): Example[] {
  const [header, ...rows] = csvRows(text, file);
  if (header === undefined) return [];
  const textIndex = columnIndex(header, columns.text, file);
  const labelIndex = columnIndex(header, columns.label, file);
  return rows.map(({ fields, line }) => {
    if (fields.length !== header.fields.length) {
      throw new ThawError(`line ${line}: expected ${header.fields.length} fields (as many as the header has), got ${fields.length}`, file);
    }
    return { text: fields[textIndex], label: fields[labelIndex], line };
  });
}

interface CsvRow {
  readonly fields: readonly string[];
  readonly line: number;
}

/**
 * The rows of a CSV file with the line each starts on. The lines come from csv-parse's byte
 * offsets, not its line count, which counts a CRLF inside a quoted field as two lines.
 */
function csvRows(text: string, file: string): CsvRow[] {
  const body = Buffer.from(text, 'utf8');
  const lineAt = lineCounter(body);
  const rows: CsvRow[] = [];
  let previousEnd = 0;
  try {
    parse(body, {
      record_delimiter: ['\r\n', '\n'], // fixed, not guessed from the first line, so mixed endings work
      relax_column_count: true, // checked by csvExamples, to say how many fields were expected
      skip_empty_lines: true,
      on_record: (fields, context) => {
        rows.push({ fields, line: lineAt(recordStart(body, previousEnd)) });
        previousEnd = context.bytes;
        return null; // kept in rows, with its line; parse's own result is not needed
      },
    });
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    throw new ThawError(`line ${lineAt(recordStart(body, previousEnd))}: ${csvProblem(error)}`, file);
  }
  return rows;
}

/** Where the record after `previousEnd` starts: past the empty lines that csv-parse skipped. */
function recordStart(body: Uint8Array, previousEnd: number): number {
  let start = previousEnd;
  while (body[start] === NEWLINE || body[start] === CARRIAGE_RETURN) start++;
  return start;
}

function csvProblem(error: CsvError): string {
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'a quoted field is never closed (unclosed quote)';
    case 'CSV_INVALID_CLOSING_QUOTE':
      return 'text after a closing quote; inside a quoted field, write a quote twice ("")';
    case 'INVALID_OPENING_QUOTE':
      return 'a quote inside an unquoted field; put the field in quotes and write each quote in it twice ("")';
    default:
      return `not valid CSV (${error.message})`;
  }
}

function columnIndex(header: CsvRow, column: string, file: string): number {
  const index = header.fields.indexOf(column);
  if (index < 0) {
    const present = header.fields.map((name) => JSON.stringify(name)).join(', ');
    throw new ThawError(`line ${header.line}: missing column ${JSON.stringify(column)}; the header's columns are ${present}`, file);
  }
  return index;
}

function jsonlExamples(text: string, columns: DatasetColumns, file: string): Example[] {
  const examples: Example[] = [];
  // A raw newline cannot occur inside a JSON value, so every line is one whole record.
  text.split('\n').forEach((content, index) => {
    if (content.trim() === '') return;
    const line = index + 1;
    const record = jsonObject(content, line, file);
    examples.push({ text: jsonText(record, columns.text, line, file), label: jsonLabel(record, columns.label, line, file), line });
  });
  return examples;
}

function jsonObject(content: string, line: number, file: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(content);
  } catch (error) {
    throw new ThawError(`line ${line}: not valid JSON (${(error as Error).message})`, file);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ThawError(`line ${line}: expected a JSON object, got ${kindOf(value)}`, file);
  }
  return value as Record<string, unknown>;
}

function jsonValue(record: Record<string, unknown>, key: string, line: number, file: string): unknown {
  if (!Object.hasOwn(record, key)) throw new ThawError(`line ${line}: missing key ${JSON.stringify(key)}`, file);
  return record[key];
}

function jsonText(record: Record<string, unknown>, key: string, line: number, file: string): string {
  const value = jsonValue(record, key, line, file);
  if (typeof value !== 'string') throw new ThawError(`line ${line}: text ${JSON.stringify(key)} must be a string, got ${kindOf(value)}`, file);
  return value;
}

/** Numeric class ids (0, 1, ...) are common in JSONL datasets; they become labels "0", "1", ... */
function jsonLabel(record: Record<string, unknown>, key: string, line: number, file: string): string {
  const value = jsonValue(record, key, line, file);
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  throw new ThawError(`line ${line}: label ${JSON.stringify(key)} must be a string or a number, got ${kindOf(value)}`, file);
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** Surrounding whitespace only decides emptiness; the text itself is kept as written. */
function checkNotEmpty(example: Example, file: string): void {
  if (example.text.trim() === '') throw new ThawError(`line ${example.line}: empty text`, file);
  if (example.label.trim() === '') throw new ThawError(`line ${example.line}: empty label`, file);
}
