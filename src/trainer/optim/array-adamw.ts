// AdamW over Float32Arrays, for the ONNX Runtime engine, whose weights and gradients are plain
// arrays. The formula is adamw.ts's (torch.optim.AdamW), and so is the order of float32
// operations: each product, sum, quotient and root is rounded to float32 as the tfjs backend
// rounds it (a float64 result of two float32 operands, rounded once, is the correctly rounded
// float32 one), so both engines' updates agree to the last bit or nearly.

import { ThawError } from '../../core/errors';
import { NonFiniteMomentError, checkEntry, resolveAdamWOptions, type AdamWOptions, type OptimizerState, type OptimizerStateEntry } from './adamw';

const f = Math.fround;

/** One parameter's update: its weight (changed in place), its gradient and the rates of its group. */
export interface ArrayParameterUpdate {
  readonly name: string;
  readonly weight: Float32Array;
  readonly gradient: Float32Array;
  readonly learningRate: number;
  readonly weightDecay: number;
}

interface ArrayState {
  step: number;
  firstMoment: Float32Array;
  secondMoment: Float32Array;
  readonly shape: readonly number[];
}

/**
 * @example
 * const optimizer = new ArrayAdamW();
 * optimizer.applyUpdates([{ name, weight, gradient, learningRate: 2e-5, weightDecay: 0.01 }], shapes);
 */
export class ArrayAdamW implements OptimizerState {
  readonly options: Required<AdamWOptions>;
  private readonly states = new Map<string, ArrayState>();

  constructor(options?: AdamWOptions) {
    this.options = resolveAdamWOptions(options);
  }

  /**
   * One update of each listed parameter, `shapes` giving each weight's shape (for the state
   * file). Checks every update before changing anything, and changes nothing when a new moment
   * would not be finite (NonFiniteMomentError).
   */
  applyUpdates(updates: readonly ArrayParameterUpdate[], shapes: ReadonlyMap<string, readonly number[]>): void {
    const seen = new Set<string>();
    for (const update of updates) {
      checkArrayUpdate(update);
      if (seen.has(update.name)) throw new Error(`parameter ${update.name} is listed twice in one update`);
      seen.add(update.name);
      const existing = this.states.get(update.name);
      if (existing !== undefined && existing.firstMoment.length !== update.weight.length) {
        throw new ThawError(`optimizer state of ${update.name} has shape [${existing.shape.join(', ')}], the weight has ${update.weight.length} values`);
      }
    }
    const { beta1, beta2 } = this.options;
    const [b1, c1, b2, c2] = [f(beta1), f(1 - beta1), f(beta2), f(1 - beta2)];
    const moments = updates.map((update) => {
      const state = this.states.get(update.name);
      const size = update.weight.length;
      const firstMoment = new Float32Array(size);
      const secondMoment = new Float32Array(size);
      const g = update.gradient;
      let finite = 0;
      for (let i = 0; i < size; i++) {
        const m = state === undefined ? 0 : state.firstMoment[i];
        const v = state === undefined ? 0 : state.secondMoment[i];
        firstMoment[i] = f(f(m * b1) + f(g[i] * c1));
        secondMoment[i] = f(f(v * b2) + f(f(g[i] * g[i]) * c2));
        finite += firstMoment[i] * 0 + secondMoment[i] * 0;
      }
      return { firstMoment, secondMoment, finite: finite === 0 };
    });
    const bad = updates.filter((_, index) => !moments[index].finite).map((update) => update.name);
    if (bad.length > 0) throw new NonFiniteMomentError(bad);
    updates.forEach((update, index) => {
      const previous = this.states.get(update.name);
      const step = (previous?.step ?? 0) + 1;
      const { firstMoment, secondMoment } = moments[index];
      this.updateWeight(update, firstMoment, secondMoment, step);
      this.states.set(update.name, { step, firstMoment, secondMoment, shape: previous?.shape ?? shapes.get(update.name) ?? [update.weight.length] });
    });
  }

  resetState(names: readonly string[]): void {
    for (const name of names) this.states.delete(name);
  }

  exportState(): OptimizerStateEntry[] {
    return [...this.states].map(([name, state]) => ({
      name,
      step: state.step,
      firstMoment: new Float32Array(state.firstMoment),
      secondMoment: new Float32Array(state.secondMoment),
      shape: [...state.shape],
    }));
  }

  importState(entries: readonly OptimizerStateEntry[]): void {
    entries.forEach(checkEntry);
    if (new Set(entries.map((entry) => entry.name)).size !== entries.length) throw new Error('optimizer state lists a parameter twice');
    this.states.clear();
    for (const entry of entries) {
      this.states.set(entry.name, { step: entry.step, firstMoment: new Float32Array(entry.firstMoment), secondMoment: new Float32Array(entry.secondMoment), shape: [...entry.shape] });
    }
  }

  dispose(): void {
    this.states.clear();
  }

  /** adamw.ts's updatedTensors, element by element, in float32. */
  private updateWeight({ weight, learningRate, weightDecay }: ArrayParameterUpdate, firstMoment: Float32Array, secondMoment: Float32Array, step: number): void {
    const { beta1, beta2, epsilon } = this.options;
    const stepSize = f(learningRate / (1 - beta1 ** step));
    const correction = f(Math.sqrt(1 - beta2 ** step));
    const eps = f(epsilon);
    const decay = f(1 - learningRate * weightDecay);
    for (let i = 0; i < weight.length; i++) {
      const denominator = f(f(f(Math.sqrt(secondMoment[i])) / correction) + eps);
      weight[i] = f(f(weight[i] * decay) - f(f(firstMoment[i] / denominator) * stepSize));
    }
  }
}

function checkArrayUpdate({ name, weight, gradient, learningRate, weightDecay }: ArrayParameterUpdate): void {
  if (weight.length !== gradient.length) throw new Error(`gradient of ${name} has ${gradient.length} values, the weight has ${weight.length}`);
  if (!(learningRate >= 0 && Number.isFinite(learningRate))) throw new ThawError(`learning rate of ${name} must be a finite number >= 0, got ${learningRate}`);
  if (!(weightDecay >= 0 && Number.isFinite(weightDecay))) throw new ThawError(`weight decay of ${name} must be a finite number >= 0, got ${weightDecay}`);
}
