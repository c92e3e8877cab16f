// CSV datasets (RFC 4180: a header row, quoted fields, doubled quotes, embedded newlines),
// parsed by csv-parse, with the line each record starts on for error messages.

import { CsvError, parse } from 'csv-parse/sync';
import { ThawError } from '../errors';
import { lineCounter } from '../io/read-utf8-text';
import type { DatasetColumns, Example } from './read-dataset';

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

export function csvExamples(text: string, columns: DatasetColumns, file: string): Example[] {
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
  if (index >= 0 && header.fields.lastIndexOf(column) !== index) {
    throw new ThawError(`line ${header.line}: the header has two columns named ${JSON.stringify(column)}; rename one`, file);
  }
  if (index < 0) {
    const present = header.fields.map((name) => JSON.stringify(name)).join(', ');
    throw new ThawError(`line ${header.line}: missing column ${JSON.stringify(column)}; the header's columns are ${present}`, file);
  }
  return index;
}

