// The thaw.engine setting as the trainer's command line takes it. "auto" (the default) passes
// nothing, so the experiment's own "engine" decides.

const CHOSEN = ['onnxruntime', 'tfjs'];

/** `--engine E` for onnxruntime or tfjs, nothing for auto or an unknown value. */
export function engineArgs(setting: unknown): string[] {
  return typeof setting === 'string' && CHOSEN.includes(setting) ? ['--engine', setting] : [];
}
