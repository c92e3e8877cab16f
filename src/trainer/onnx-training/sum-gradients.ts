// A step's gradient is the sum over its task batches (Trainer.trainStep sums the weighted
// losses): each OrtTrainingStep.gradients() call gives one task's share.

/**
 * Adds `part` into `total` (arrays of `total` are updated in place; a weight only in `part` is
 * taken over as is). A weight neither task's batch reaches (the other head) stays absent, as in
 * tfjs, so the optimizer skips it.
 *
 * @example for (const task of batches) addGradients(total, (await step.gradients(task, weights)).gradients)
 */
export function addGradients(total: Map<string, Float32Array>, part: ReadonlyMap<string, Float32Array>): void {
  for (const [name, values] of part) {
    const sum = total.get(name);
    if (sum === undefined) {
      total.set(name, values);
      continue;
    }
    if (sum.length !== values.length) throw new Error(`gradient ${name}: ${values.length} values added to ${sum.length}`);
    for (let index = 0; index < sum.length; index++) sum[index] += values[index];
  }
}
