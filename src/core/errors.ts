/**
 * An error the user can act on. It names the file it is about (when there is one) and says
 * what is wrong, so the CLI can print it as one line and exit non-zero without a stack trace.
 *
 * @example throw new ThawError('missing "hidden_size"', '/models/x/config.json')
 */
export class ThawError extends Error {
  constructor(
    readonly reason: string,
    readonly file?: string,
  ) {
    super(file === undefined ? reason : `${file}: ${reason}`);
    this.name = 'ThawError';
  }
}

/** The message of anything thrown, for wrapping foreign errors into a ThawError. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The command line was used wrongly (exit code 2); the message says how to use it. */
export class UsageError extends ThawError {}
