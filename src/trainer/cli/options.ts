import { UsageError } from '../../core/errors';

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
