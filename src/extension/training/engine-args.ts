// The thaw.engine setting as the trainer's command line takes it. "auto" (the default) passes
// nothing, so the experiment's own "engine" decides.

import { ENGINE_NAMES } from '../../core/vocabulary/engines';

/** `--engine E` for onnxruntime or tfjs, nothing for auto or an unknown value. */
export function engineArgs(setting: unknown): string[] {
  return typeof setting === 'string' && (ENGINE_NAMES as readonly string[]).includes(setting) ? ['--engine', setting] : [];
}
