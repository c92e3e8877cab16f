// Where trainer events go: the run's events.jsonl, stdout as JSON lines (--json), and the
// parent process over IPC when the trainer runs as the extension's child process. Every event
// is validated against src/protocol before it leaves, so a malformed one is a bug found here.

import { appendFileSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { parseTrainerEvent, type TrainerEvent, type TrainerEventBody } from '../../protocol/trainer-events';

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

  /** From now on, also append events to `<runFolder>/events.jsonl`. */
  attachRunFolder(runFolder: string): void {
    mkdirSync(runFolder, { recursive: true });
    this.file = path.join(runFolder, 'events.jsonl');
  }

  emit(body: TrainerEventBody): TrainerEvent {
    const parsed = parseTrainerEvent({ ...body, time: new Date().toISOString() });
    if (!parsed.ok) throw new Error(`trainer bug: invalid ${body.type} event: ${parsed.error}`);
    const event = parsed.value;
    const line = `${JSON.stringify(event)}\n`;
    // One write per line with O_APPEND: a crash can lose the last line, never interleave two.
    if (this.file !== undefined) appendFileSync(this.file, line);
    if (this.options.stdout) process.stdout.write(line);
    if (this.options.ipc && process.send !== undefined && process.connected) process.send(event);
    this.options.listener?.(event);
    return event;
  }
}
