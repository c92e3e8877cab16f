// The thaw.threads setting as the trainer's command line takes it. 0 (the default) leaves the
// choice to the trainer, which uses every core.

/** `--threads N` for a positive whole number, nothing for 0 or a value that is not one. */
export function threadArgs(setting: unknown): string[] {
  return typeof setting === 'number' && Number.isInteger(setting) && setting > 0 ? ['--threads', String(setting)] : [];
}
