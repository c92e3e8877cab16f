// JSONL datasets: one JSON object a line.

import { ThawError } from '../errors';
import type { DatasetColumns, Example } from './read-dataset';

export function jsonlExamples(text: string, columns: DatasetColumns, file: string): Example[] {
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

