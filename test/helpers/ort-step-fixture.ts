// What the ONNX training-step tests share: a model's weights as arrays, seeded dropout masks for
// a batch, and the comparison against tfjs with its stated tolerance.

import assert from 'node:assert/strict';
import { headWeightSpecs } from '../../src/core/model/bert-weights';
import type { GroupName, HeadName } from '../../src/core/vocabulary/groups';
import type { PaddedBatch } from '../../src/trainer/data/padded-batch';
import type { SentenceModel } from '../../src/trainer/model/sentence-model';
import { parameterWeightArrays, sentenceModelWeightArrays } from '../../src/trainer/model/weight-arrays';
import { dropoutMask } from '../../src/trainer/model/dropout-masks';
import { dropoutMaskSize } from '../../src/trainer/onnx-training/dropout-sites';
import { OrtTrainingStep } from '../../src/trainer/onnx-training/ort-training-step';
import { relativeToLargest, tfjsStepGradients } from './tfjs-step-reference';

/**
 * Every gradient: max |ort - tfjs| <= GRADIENT_TOLERANCE * max(|tfjs|_inf of that tensor, GRADIENT_FLOOR).
 * One exception, the key biases: softmax ignores a constant added to a row of scores, and
 * q . b_k is one, so their exact gradient is 0 and both engines give rounding noise; theirs is
 * measured against the same layer's query-bias gradient instead (see scaleOf).
 */
export const GRADIENT_TOLERANCE = 1e-4;
export const GRADIENT_FLOOR = 1e-6;

const largest = (values: ArrayLike<number>): number => Array.from(values).reduce((max, value) => Math.max(max, Math.abs(value)), 0);

/** The scale a gradient's error is measured against (see GRADIENT_TOLERANCE). */
function scaleOf(name: string, reference: ReadonlyMap<string, Float32Array>): number {
  const own = largest(reference.get(name)!);
  const query = name.endsWith('.attention.self.key.bias') ? reference.get(name.replace('.key.bias', '.query.bias')) : undefined;
  return Math.max(own, query === undefined ? 0 : largest(query), GRADIENT_FLOOR);
}
/** |ort loss - tfjs loss| (absolute). */
export const LOSS_TOLERANCE = 1e-5;

export function modelWeights(model: SentenceModel, heads: readonly HeadName[]): Map<string, Float32Array> {
  const weights = sentenceModelWeightArrays(model);
  for (const head of heads) {
    const classes = model.parameters.get(`${head}.bias`)!.variable.shape[0];
    for (const [name, values] of parameterWeightArrays(model.parameters, headWeightSpecs(head, classes, model.config.hidden_size))) weights.set(name, values);
  }
  return weights;
}

export interface StepCase {
  readonly head: HeadName;
  readonly batch: PaddedBatch;
  readonly tokenTypeIds?: Int32Array;
  readonly labels: readonly number[];
  readonly lossWeight: number;
}

export interface StepComparison {
  readonly lossDifference: number;
  readonly taskLossDifference: number;
  /** Each gradient's error under the tolerance rule. */
  readonly errors: Map<string, number>;
  readonly ortGradientNames: string[];
  readonly dropoutSites: number;
}

/** Runs one task batch on ORT and on tfjs with the same seeded masks and asserts the tolerances. */
export async function compareStep(model: SentenceModel, trainable: readonly GroupName[], task: StepCase, options: { threads?: number; seed?: number } = {}): Promise<StepComparison> {
  const classes = model.parameters.get(`${task.head}.bias`)!.variable.shape[0];
  const step = await OrtTrainingStep.create(model.config, { trainable, heads: new Map([[task.head, classes]]) }, { threads: options.threads ?? 1 });
  try {
    const sites = step.dropoutSites(task.head);
    const key = { seed: options.seed ?? 1, step: 0, stream: 'compare' };
    const masks = new Map(sites.map((site) => [site.input, dropoutMask(key, site.input, dropoutMaskSize(site, model.config, task.batch.batchSize, task.batch.length), site.rate)]));
    const ort = await step.gradients({ ...task, masks }, modelWeights(model, [task.head]));
    const reference = tfjsStepGradients(model, task, new Set(trainable), sites, masks);
    const lossDifference = Math.abs(ort.loss - reference.loss);
    const taskLossDifference = Math.abs(ort.taskLoss - reference.taskLoss);
    assert.ok(lossDifference <= LOSS_TOLERANCE, `loss ${ort.loss} against tfjs ${reference.loss}`);
    assert.ok(taskLossDifference <= LOSS_TOLERANCE, `task loss ${ort.taskLoss} against tfjs ${reference.taskLoss}`);
    assert.deepEqual([...ort.gradients.keys()].sort(), [...reference.gradients.keys()].sort(), 'gradients for exactly the trainable weights of this task');
    const errors = new Map<string, number>();
    for (const [name, expected] of reference.gradients) {
      const error = relativeToLargest(ort.gradients.get(name)!, expected, scaleOf(name, reference.gradients));
      errors.set(name, error);
      assert.ok(error <= GRADIENT_TOLERANCE, `${name}: error ${error} (relative to its largest tfjs value)`);
    }
    return { lossDifference, taskLossDifference, errors, ortGradientNames: [...ort.gradients.keys()], dropoutSites: sites.length };
  } finally {
    await step.dispose();
  }
}

/** The three largest errors, for the test log. */
export function worst(errors: ReadonlyMap<string, number>): string {
  return [...errors]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([name, error]) => `${error.toExponential(2)} (${name})`)
    .join(', ');
}
