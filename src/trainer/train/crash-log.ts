// Anything unexpected is still one line for people; the stack goes to a log file whose path
// that line gives, so a bug report has it and the terminal does not drown in it.

import { writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ThawError, messageOf } from '../../core/errors';

/** An error Thaw did not expect; its stack is in `logFile`. */
export class UnexpectedError extends ThawError {
  constructor(
    message: string,
    readonly logFile: string | undefined,
  ) {
    super(`unexpected error: ${message}${logFile === undefined ? '' : ` (the stack is in ${logFile})`}`);
    this.name = 'UnexpectedError';
  }
}

/** Writes the error's stack into `folder` (else the temporary folder) and returns the log's path. */
export function writeCrashLog(error: unknown, folder = os.tmpdir()): string | undefined {
  const stamp = new Date().toISOString().replace(/[-:.]/g, '');
  const text = `${new Date().toISOString()} thaw ${process.argv.slice(2).join(' ')}\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`;
  for (const target of [folder, os.tmpdir()]) {
    const file = path.join(target, `thaw-crash-${stamp}-${process.pid}.log`);
    try {
      writeFileSync(file, text);
      return file;
    } catch {
      // A full disk or a missing folder: try the next place.
    }
  }
  return undefined;
}

/** `error` as one line's worth: a ThawError as it is, anything else with its stack logged. */
export function asThawError(error: unknown, logFolder?: string): ThawError {
  if (error instanceof ThawError) return error;
  return new UnexpectedError(messageOf(error), writeCrashLog(error, logFolder));
}
