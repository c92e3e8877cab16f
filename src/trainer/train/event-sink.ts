// Where trainer events go: the run's events.jsonl, stdout as JSON lines (--json), and the
// parent process over IPC when the trainer runs as the extension's child process. Every event
// is validated against src/protocol before it leaves, so a malformed one is a bug found here.

import { appendFileSync, closeSync, existsSync, mkdirSync, openSync, readSync, statSync, truncateSync } from 'node:fs';
import * as path from 'node:path';
import { EVENTS_FILE } from '../../core/runs/run-listing';
import { parseTrainerEvent, type TrainerEvent, type TrainerEventBody } from '../../protocol/trainer-events';
import { asDiskFull } from '../../core/io/disk-full';

export interface EventSinkOptions {
  /** Print each event as a JSON line on stdout. */
  readonly stdout?: boolean;
  /** Send each event to the parent process (when there is an IPC channel). */
  readonly ipc?: boolean;
  /** Also hand each event to this function (the CLI's progress line, tests). */
  readonly listener?: (event: TrainerEvent) => void;
}

export class EventSink {
  private file: string | undefined;

  constructor(private readonly options: EventSinkOptions = {}) {}

  /**
   * From now on, also append events to `<runFolder>/events.jsonl`. A last line a kill cut
   * short is dropped first, so every line stays one whole event.
   */
  attachRunFolder(runFolder: string): void {
    mkdirSync(runFolder, { recursive: true });
    this.file = path.join(runFolder, EVENTS_FILE);
    if (existsSync(this.file)) truncateSync(this.file, wholeLinesLength(this.file));
  }

  emit(body: TrainerEventBody): TrainerEvent {
    const parsed = parseTrainerEvent({ ...body, time: new Date().toISOString() });
    if (!parsed.ok) throw new Error(`trainer bug: invalid ${body.type} event: ${parsed.error}`);
    const event = parsed.value;
    const line = `${JSON.stringify(event)}\n`;
    // One write per line with O_APPEND: a crash can lose the last line, never interleave two.
    if (this.file !== undefined) appendWholeLine(this.file, line);
    if (this.options.stdout) process.stdout.write(line);
    if (this.options.ipc && process.send !== undefined && process.connected) process.send(event);
    this.options.listener?.(event);
    return event;
  }
}

/** Appends `line`; when the disk is full, takes back the part that was written. */
function appendWholeLine(file: string, line: string): void {
  const before = statSync(file, { throwIfNoEntry: false })?.size ?? 0;
  try {
    appendFileSync(file, line);
  } catch (error) {
    // Truncating needs no space; a torn line would make the file unreadable past it.
    truncateSync(file, before);
    throw asDiskFull(error, Buffer.byteLength(line), path.dirname(file));
  }
}

/** The length of the file up to and including its last newline. */
function wholeLinesLength(file: string): number {
  const size = statSync(file).size;
  const handle = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(64 * 1024);
    for (let end = size; end > 0; ) {
      const start = Math.max(0, end - buffer.length);
      const read = readSync(handle, buffer, 0, end - start, start);
      const newline = buffer.subarray(0, read).lastIndexOf(0x0a);
      if (newline >= 0) return start + newline + 1;
      end = start;
    }
    return 0;
  } finally {
    closeSync(handle);
  }
}
