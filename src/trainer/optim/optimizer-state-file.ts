// AdamW state as a safetensors file, so a checkpoint's optimizer state opens with the same
// tools as its weights. Tensors use the names of PyTorch's AdamW state (exp_avg, exp_avg_sq);
// what PyTorch keeps as Python numbers (step, betas, eps) goes in __metadata__ as JSON text,
// since the format only allows string metadata. F32 bytes are copied verbatim both ways, so
// a resumed run continues bit for bit.

import { ThawError } from '../../core/errors';
import { encodeFloats, parseSafetensors, serializeSafetensors, toFloat32, type SafetensorsTensor, type TensorToWrite } from '../model/safetensors';
import { resolveAdamWOptions, type AdamWOptions, type OptimizerStateEntry } from './adamw';

const FIRST_MOMENT_SUFFIX = '.exp_avg';
const SECOND_MOMENT_SUFFIX = '.exp_avg_sq';
/** Says what the file holds, so a weights file passed by mistake fails with a clear message. */
const OPTIMIZER_NAME = 'AdamW';

/**
 * Optimizer state and hyper-parameters as safetensors bytes.
 *
 * @example await atomicWrite(file, serializeOptimizerState(optimizer.exportState(), optimizer.options))
 */
export function serializeOptimizerState(entries: readonly OptimizerStateEntry[], options: Required<AdamWOptions>): Uint8Array {
  const tensors = entries.flatMap((entry): TensorToWrite[] => [
    { name: entry.name + FIRST_MOMENT_SUFFIX, dtype: 'F32', shape: entry.shape, bytes: encodeFloats(entry.firstMoment, 'F32') },
    { name: entry.name + SECOND_MOMENT_SUFFIX, dtype: 'F32', shape: entry.shape, bytes: encodeFloats(entry.secondMoment, 'F32') },
  ]);
  const steps = Object.fromEntries(entries.map((entry) => [entry.name, entry.step]));
  const hyperparameters = { beta1: options.beta1, beta2: options.beta2, epsilon: options.epsilon };
  return serializeSafetensors(tensors, { optimizer: OPTIMIZER_NAME, steps: JSON.stringify(steps), hyperparameters: JSON.stringify(hyperparameters) });
}

/**
 * Reads what `serializeOptimizerState` wrote. `file` names it in errors.
 *
 * @example const { entries } = parseOptimizerState(await fs.readFile(p), p); optimizer.importState(entries)
 */
export function parseOptimizerState(bytes: Uint8Array, file: string): { entries: OptimizerStateEntry[]; options: Required<AdamWOptions> } {
  const { tensors, metadata } = parseSafetensors(bytes, file);
  if (metadata.optimizer !== OPTIMIZER_NAME) {
    throw new ThawError(`not an ${OPTIMIZER_NAME} optimizer state: __metadata__.optimizer is ${JSON.stringify(metadata.optimizer)}`, file);
  }
  const hyperparameters = parseJsonObject(metadata, 'hyperparameters', file);
  // Defaults fill only what a person leaves out of a config; a file that lacks a value is damaged.
  const missing = ['beta1', 'beta2', 'epsilon'].filter((key) => !(key in hyperparameters));
  if (missing.length > 0) throw new ThawError(`__metadata__.hyperparameters lacks ${missing.join(', ')}`, file);
  const options = resolveAdamWOptions(hyperparameters, file);
  const steps = parseJsonObject(metadata, 'steps', file);
  const entries = Object.entries(steps).map(([name, step]): OptimizerStateEntry => {
    if (!(Number.isSafeInteger(step) && (step as number) >= 1)) throw new ThawError(`step of ${name} is ${JSON.stringify(step)}, expected an integer >= 1`, file);
    const firstMoment = momentTensor(tensors, name + FIRST_MOMENT_SUFFIX, file);
    const secondMoment = momentTensor(tensors, name + SECOND_MOMENT_SUFFIX, file);
    if (firstMoment.shape.join() !== secondMoment.shape.join()) {
      throw new ThawError(`${name}: exp_avg has shape [${firstMoment.shape.join(', ')}], exp_avg_sq [${secondMoment.shape.join(', ')}]`, file);
    }
    return { name, step: step as number, firstMoment: toFloat32(firstMoment, file), secondMoment: toFloat32(secondMoment, file), shape: [...firstMoment.shape] };
  });
  // A tensor without a step count would be dropped silently on resume.
  const expected = new Set(entries.flatMap((entry) => [entry.name + FIRST_MOMENT_SUFFIX, entry.name + SECOND_MOMENT_SUFFIX]));
  const unexpected = [...tensors.keys()].filter((name) => !expected.has(name));
  if (unexpected.length > 0) throw new ThawError(`tensors without a step count in __metadata__.steps: ${unexpected.join(', ')}`, file);
  return { entries, options };
}

function parseJsonObject(metadata: Readonly<Record<string, string>>, key: string, file: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(metadata[key] ?? '');
  } catch {
    throw new ThawError(`__metadata__.${key} is missing or not valid JSON`, file);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ThawError(`__metadata__.${key} is not a JSON object`, file);
  return value as Record<string, unknown>;
}

function momentTensor(tensors: ReadonlyMap<string, SafetensorsTensor>, name: string, file: string): SafetensorsTensor {
  const tensor = tensors.get(name);
  if (tensor === undefined) throw new ThawError(`tensor "${name}" is missing`, file);
  // Moments are float32 throughout; a lower precision would not resume bit for bit.
  if (tensor.dtype !== 'F32') throw new ThawError(`tensor "${name}" is ${tensor.dtype}, expected F32`, file);
  return tensor;
}
