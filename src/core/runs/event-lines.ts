// Reading a run's events.jsonl for its summary: line by line in chunks (a long run's file is
// hundreds of megabytes), leniently. Only the trainer writes the file, and it validated each
// event against the protocol of its own version; a reader of another version must neither
// reject a run for a field it does not know nor trust a field it needs without checking its
// type. A line that does not parse (torn by a kill mid-write) is skipped, never fatal.

import { promises as fs } from 'node:fs';

const CHUNK_BYTES = 1 << 20;

export interface LineVisitor {
  /** A step line: only its global step is read here (steps are nearly all of a file). */
  step(globalStep: number, line: string): void;
  /** Any other event, parsed. */
  event(event: EventRecord): void;
  /** A line that is not a whole JSON object. `last` says it ended the file without a newline. */
  unreadable(last: boolean): void;
}

/** A parsed event line whose `type` is a string; its other fields are checked where read. */
export type EventRecord = { readonly type: string } & Readonly<Record<string, unknown>>;

const STEP_MARK = '"type":"step"';
const GLOBAL_STEP = /"globalStep":(\d+)[,}]/;

/** Calls `visitor` for every line of `file`, in order. */
export async function visitEventLines(file: string, visitor: LineVisitor): Promise<void> {
  const handle = await fs.open(file, 'r');
  try {
    const buffer = Buffer.alloc(CHUNK_BYTES);
    let carry = '';
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      // Cut at the last newline so a multi-byte character is never split between chunks.
      const newline = buffer.lastIndexOf(0x0a, bytesRead - 1);
      if (newline < 0) {
        carry += buffer.toString('utf8', 0, bytesRead);
        continue;
      }
      const lines = (carry + buffer.toString('utf8', 0, newline)).split('\n');
      carry = buffer.toString('utf8', newline + 1, bytesRead);
      for (const line of lines) visitLine(line, visitor, false);
    }
    if (carry.length > 0) visitLine(carry, visitor, true);
  } finally {
    await handle.close();
  }
}

function visitLine(line: string, visitor: LineVisitor, last: boolean): void {
  if (line.trim() === '') return;
  if (line.includes(STEP_MARK) && line.endsWith('}')) {
    const match = GLOBAL_STEP.exec(line);
    if (match !== null) {
      visitor.step(Number(match[1]), line);
      return;
    }
  }
  const event = parseEventLine(line);
  if (event === undefined) visitor.unreadable(last);
  else visitor.event(event);
}

/** A line as an event record, or undefined when it is not a JSON object with a string `type`. */
export function parseEventLine(line: string): EventRecord | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const record = value as Record<string, unknown>;
  return typeof record.type === 'string' ? (record as EventRecord) : undefined;
}

// Typed reads of an event's fields: a wrong type reads as absent.
export const stringField = (event: EventRecord, key: string): string | undefined => (typeof event[key] === 'string' ? event[key] : undefined);
export const countField = (event: EventRecord, key: string): number | undefined => {
  const value = event[key];
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : undefined;
};
export const objectField = (event: EventRecord, key: string): Readonly<Record<string, unknown>> | undefined => {
  const value = event[key];
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
};
export const finiteNumber = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);
