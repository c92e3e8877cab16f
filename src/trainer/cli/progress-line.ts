/**
 * One line of progress on stderr, rewritten in place on a terminal; elsewhere (logs, CI) only
 * the final message is written, so logs do not fill with intermediate states.
 */
export class ProgressLine {
  private readonly interactive = process.stderr.isTTY;

  update(message: string): void {
    if (this.interactive) process.stderr.write(`\r\x1b[2K${message}`);
  }

  done(message: string): void {
    process.stderr.write(this.interactive ? `\r\x1b[2K${message}\n` : `${message}\n`);
  }
}
