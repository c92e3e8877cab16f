// A loaded model's task heads in the form heads.onnx is built from, read from their current
// tfjs variables (so a head exported after training steps carries what it learnt).

import { HEAD_NAMES } from '../model/parameter-groups';
import type { SentenceModel } from '../model/sentence-model';
import type { OnnxHead } from './heads-graph';

/**
 * Every head the model has, with its labels and a copy of its weight and bias.
 *
 * @example const bytes = buildHeadsModel(sentenceModelHeads(model), model.config.hidden_size)
 */
export function sentenceModelHeads(model: SentenceModel): OnnxHead[] {
  return HEAD_NAMES.flatMap((name) => {
    const spec = model.parts.heads.get(name);
    const weight = model.parameters.get(`${name}.weight`);
    const bias = model.parameters.get(`${name}.bias`);
    if (spec === undefined || weight === undefined || bias === undefined) return [];
    return [{ name, labels: [...spec.labels], weight: new Float32Array(weight.variable.dataSync()), bias: new Float32Array(bias.variable.dataSync()) }];
  });
}
