import type { LoadProgress } from '../model/load-sentence-model';

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

export function describeLoadProgress(event: LoadProgress): string {
  if (event.stage === 'download') {
    const percent = event.total > 0 ? ` ${Math.floor((100 * event.loaded) / event.total)}%` : '';
    return `downloading ${event.file}${percent} (${(event.loaded / 1e6).toFixed(1)} MB)`;
  }
  return { read: 'reading', tokenizer: 'loading the tokenizer of', weights: 'loading the weights of' }[event.stage] + ` ${event.folder}`;
}
