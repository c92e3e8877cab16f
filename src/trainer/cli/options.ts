import { UsageError } from '../../core/errors';
import { ENGINE_CHOICES, type EngineChoice } from '../../core/vocabulary/engines';

/** A required integer option, within bounds; the error names the option. */
export function integerOption(value: string | undefined, name: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) throw new UsageError(`--${name} is required`);
  const number = Number(value);
  if (!Number.isInteger(number) || number < min || number > max) {
    throw new UsageError(`--${name} must be an integer from ${min} to ${max}, got "${value}"`);
  }
  return number;
}

/** `--threads N` for the frozen encoder's ONNX Runtime session: undefined (all cores) when absent. */
export function threadsOption(value: string | undefined): number | undefined {
  return value === undefined ? undefined : integerOption(value, 'threads', 1, 1024);
}

/** `--engine auto|onnxruntime|tfjs`: undefined (the experiment's "engine") when absent. */
export function engineOption(value: string | undefined): EngineChoice | undefined {
  if (value === undefined) return undefined;
  if (!(ENGINE_CHOICES as readonly string[]).includes(value)) throw new UsageError(`--engine must be one of ${ENGINE_CHOICES.join(', ')}, got "${value}"`);
  return value as EngineChoice;
}
