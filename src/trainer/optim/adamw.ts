// AdamW with decoupled weight decay (Loshchilov & Hutter, arXiv:1711.05101), computed the way
// torch.optim.AdamW computes it, so learning rates and decays tuned in PyTorch mean the same
// here. Step counts are kept per parameter, not per optimizer: a group that a later phase
// unfreezes starts its bias correction at step 1 instead of inheriting the run's step.

import type { Tensor, Variable } from '@tensorflow/tfjs';
import { tf } from '../backend/tensorflow';
import { ThawError } from '../../core/errors';
import { elementCount } from '../model/safetensors';

export interface AdamWOptions {
  /** Decay of the gradient's running mean; PyTorch's default 0.9. */
  readonly beta1?: number;
  /** Decay of the squared gradient's running mean; PyTorch's default 0.999. */
  readonly beta2?: number;
  /** Keeps the step finite where the squared-gradient mean is ~0; PyTorch's default 1e-8. */
  readonly epsilon?: number;
}

/** One parameter's update: its weight, its gradient and the rates of its group. */
export interface ParameterUpdate {
  readonly name: string;
  readonly variable: Variable;
  readonly gradient: Tensor;
  readonly learningRate: number;
  readonly weightDecay: number;
}

/** One parameter's optimizer state as plain numbers (PyTorch: step, exp_avg, exp_avg_sq). */
export interface OptimizerStateEntry {
  readonly name: string;
  readonly step: number;
  readonly firstMoment: Float32Array;
  readonly secondMoment: Float32Array;
  readonly shape: readonly number[];
}

/**
 * What the trainer and checkpoints need of an optimizer, whichever engine's tensors it
 * updates: the tfjs AdamW and the Float32Array one (array-adamw.ts) share this and the state
 * file, so either engine resumes the other's run.
 */
export interface OptimizerState {
  readonly options: Required<AdamWOptions>;
  exportState(): OptimizerStateEntry[];
  importState(entries: readonly OptimizerStateEntry[]): void;
  resetState(names: readonly string[]): void;
  dispose(): void;
}

interface ParameterState {
  step: number;
  readonly firstMoment: Variable;
  readonly secondMoment: Variable;
}

/**
 * Fills in PyTorch's defaults and rejects values PyTorch would reject. `file` names the
 * checkpoint the options came from, if any.
 *
 * @example resolveAdamWOptions({ beta2: 0.98 }) // { beta1: 0.9, beta2: 0.98, epsilon: 1e-8 }
 */
export function resolveAdamWOptions(options: AdamWOptions = {}, file?: string): Required<AdamWOptions> {
  const resolved = { beta1: options.beta1 ?? 0.9, beta2: options.beta2 ?? 0.999, epsilon: options.epsilon ?? 1e-8 };
  for (const key of ['beta1', 'beta2'] as const) {
    const beta = resolved[key];
    if (!(typeof beta === 'number' && beta >= 0 && beta < 1)) throw new ThawError(`AdamW ${key} must be in [0, 1), got ${String(beta)}`, file);
  }
  if (!(typeof resolved.epsilon === 'number' && resolved.epsilon >= 0 && Number.isFinite(resolved.epsilon))) {
    throw new ThawError(`AdamW epsilon must be a finite number >= 0, got ${String(resolved.epsilon)}`, file);
  }
  return resolved;
}

/**
 * AdamW over named tfjs variables. Moments live on the backend between steps; only the
 * listed parameters move, so a frozen group is simply left out of `applyUpdates`.
 *
 * @example
 * const optimizer = new AdamW();
 * optimizer.applyUpdates([{ name, variable, gradient, learningRate: 2e-5, weightDecay: 0.01 }]);
 * optimizer.dispose();
 */
export class AdamW implements OptimizerState {
  readonly options: Required<AdamWOptions>;
  private readonly states = new Map<string, ParameterState>();

  constructor(options?: AdamWOptions) {
    this.options = resolveAdamWOptions(options);
  }

  /**
   * One update of each listed parameter. Checks every update before changing anything, and
   * changes nothing when a new moment would not be finite (NonFiniteMomentError).
   */
  applyUpdates(updates: readonly ParameterUpdate[]): void {
    const seen = new Set<string>();
    for (const update of updates) {
      checkUpdate(update);
      if (seen.has(update.name)) throw new Error(`parameter ${update.name} is listed twice in one update`);
      seen.add(update.name);
    }
    const created = updates.filter((update) => !this.states.has(update.name)).map((update) => update.name);
    const states = updates.map((update) => this.stateFor(update));
    const results = tf.tidy(() => updates.map((update, index) => this.updatedTensors(update, states[index])));
    const flatten = (result: UpdatedTensors) => [result.firstMoment, result.secondMoment, result.weight];
    try {
      const bad = nonFiniteIndices(results.map((result) => [result.firstMoment, result.secondMoment]));
      if (bad.length > 0) {
        this.resetState(created);
        throw new NonFiniteMomentError(bad.map((index) => updates[index].name));
      }
      updates.forEach((update, index) => {
        states[index].step += 1;
        update.variable.assign(results[index].weight);
        states[index].firstMoment.assign(results[index].firstMoment);
        states[index].secondMoment.assign(results[index].secondMoment);
      });
    } finally {
      tf.dispose(results.flatMap(flatten));
    }
  }

  /** Forgets these parameters' moments and step counts; their next update is a first step. */
  resetState(names: readonly string[]): void {
    for (const name of names) {
      const state = this.states.get(name);
      if (state === undefined) continue;
      tf.dispose([state.firstMoment, state.secondMoment]);
      this.states.delete(name);
    }
  }

  /** A plain-number copy of the whole state, for checkpoints. */
  exportState(): OptimizerStateEntry[] {
    return [...this.states].map(([name, state]) => ({
      name,
      step: state.step,
      firstMoment: new Float32Array(state.firstMoment.dataSync()),
      secondMoment: new Float32Array(state.secondMoment.dataSync()),
      shape: [...state.firstMoment.shape],
    }));
  }

  /** Replaces the whole state with a checkpoint's, bit for bit. Invalid entries change nothing. */
  importState(entries: readonly OptimizerStateEntry[]): void {
    entries.forEach(checkEntry);
    if (new Set(entries.map((entry) => entry.name)).size !== entries.length) throw new Error('optimizer state lists a parameter twice');
    this.dispose();
    for (const entry of entries) {
      this.states.set(entry.name, { step: entry.step, firstMoment: momentVariable(entry.firstMoment, entry.shape), secondMoment: momentVariable(entry.secondMoment, entry.shape) });
    }
  }

  /** Frees every moment tensor; the optimizer then starts from scratch if used again. */
  dispose(): void {
    this.resetState([...this.states.keys()]);
  }

  private stateFor({ name, variable }: ParameterUpdate): ParameterState {
    const existing = this.states.get(name);
    if (existing !== undefined) {
      // Reachable through importState with a checkpoint of a differently shaped model.
      if (!tf.util.arraysEqual(existing.firstMoment.shape, variable.shape)) {
        throw new ThawError(`optimizer state of ${name} has shape [${existing.firstMoment.shape.join(', ')}], the weight has [${variable.shape.join(', ')}]`);
      }
      return existing;
    }
    const zeros = () => tf.tidy(() => tf.variable(tf.zerosLike(variable), false));
    const created = { step: 0, firstMoment: zeros(), secondMoment: zeros() };
    this.states.set(name, created);
    return created;
  }

  /** torch.optim.AdamW's single-tensor update (torch/optim/adamw.py, capturable=False), not yet assigned. */
  private updatedTensors({ variable, gradient, learningRate, weightDecay }: ParameterUpdate, state: ParameterState): UpdatedTensors {
    const { beta1, beta2, epsilon } = this.options;
    const step = state.step + 1;
    const firstMoment = tf.add(tf.mul(state.firstMoment, beta1), tf.mul(gradient, 1 - beta1));
    const secondMoment = tf.add(tf.mul(state.secondMoment, beta2), tf.mul(tf.square(gradient), 1 - beta2));
    // Bias corrections and the step size are computed in float64 on the host, as PyTorch does
    // with Python floats; with learningRate 0 the weight becomes p * 1 - 0 * x = p exactly.
    const stepSize = learningRate / (1 - beta1 ** step);
    const denominator = tf.add(tf.div(tf.sqrt(secondMoment), Math.sqrt(1 - beta2 ** step)), epsilon);
    const decayed = tf.mul(variable, 1 - learningRate * weightDecay);
    return { firstMoment, secondMoment, weight: tf.sub(decayed, tf.mul(tf.div(firstMoment, denominator), stepSize)) };
  }
}

type UpdatedTensors = Record<'firstMoment' | 'secondMoment' | 'weight', Tensor>;

/** An update would make these parameters' moments Inf or NaN; nothing was changed. */
export class NonFiniteMomentError extends ThawError {
  constructor(readonly parameters: readonly string[]) {
    super(`the optimizer's moments of ${parameters.join(', ')} would not be finite`);
    this.name = 'NonFiniteMomentError';
  }
}

/**
 * Which lists hold a tensor with an Inf or NaN, in one read from the backend: x * 0 is 0 for
 * every finite x and NaN otherwise, so each sum is 0 or NaN, and it cannot overflow.
 */
export function nonFiniteIndices(lists: readonly (readonly Tensor[])[]): number[] {
  if (lists.length === 0) return [];
  const flags = tf.tidy(() => tf.stack(lists.map((tensors) => tf.addN(tensors.map((tensor) => tf.sum(tf.mul(tensor, 0)))))));
  const values = flags.dataSync();
  flags.dispose();
  return [...values.keys()].filter((index) => values[index] !== 0);
}

function checkUpdate({ name, variable, gradient, learningRate, weightDecay }: ParameterUpdate): void {
  if (!tf.util.arraysEqual(variable.shape, gradient.shape)) {
    throw new Error(`gradient of ${name} has shape [${gradient.shape.join(', ')}], the weight has [${variable.shape.join(', ')}]`);
  }
  if (!(learningRate >= 0 && Number.isFinite(learningRate))) throw new ThawError(`learning rate of ${name} must be a finite number >= 0, got ${learningRate}`);
  if (!(weightDecay >= 0 && Number.isFinite(weightDecay))) throw new ThawError(`weight decay of ${name} must be a finite number >= 0, got ${weightDecay}`);
}

export function checkEntry({ name, step, firstMoment, secondMoment, shape }: OptimizerStateEntry): void {
  if (!(Number.isSafeInteger(step) && step >= 1)) throw new ThawError(`optimizer state of ${name} has step ${step}, expected an integer >= 1`);
  const size = elementCount(shape);
  if (firstMoment.length !== size || secondMoment.length !== size) {
    throw new ThawError(`optimizer state of ${name}: shape [${shape.join(', ')}] needs ${size} values, the moments have ${firstMoment.length} and ${secondMoment.length}`);
  }
}

function momentVariable(values: Float32Array, shape: readonly number[]): Variable {
  return tf.tidy(() => tf.variable(tf.tensor(values, [...shape], 'float32'), false));
}
