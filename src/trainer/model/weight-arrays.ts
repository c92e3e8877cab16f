// A model folder's encoder weights as plain Float32Arrays, keyed by their Hugging Face names.
// This module never loads TensorFlow.js: ONNX export and `thaw embed` (which runs on ONNX
// Runtime) read weights through it without paying tfjs' start-up. The tfjs loader builds its
// variables from the same arrays, so the name and shape checks are written once.

import * as path from 'node:path';
import { ThawError } from '../../core/errors';
import { encoderWeightSpecs, type WeightSpec } from '../../core/model/bert-weights';
import { WEIGHTS_FILE, type ModelFolder } from './model-folder';
import type { HeadName, ParameterSet } from './parameter-groups';
import type { SentenceModel } from './sentence-model';
import { toFloat32, type SafetensorsTensor } from './safetensors';

/** Metadata key (in heads.safetensors and in heads.onnx) that holds a head's labels as a JSON array. */
export const labelsMetadataKey = (head: HeadName): string => `${head}.labels`;

/**
 * Where a weight may be found in a file: its own name, with the `bert.` prefix of
 * BertFor... checkpoints, or with LayerNorm's old gamma/beta names (as transformers accepts).
 */
export function candidateNames(name: string): string[] {
  const names = [name, `bert.${name}`];
  if (name.includes('LayerNorm.')) {
    const old = name.replace(/\.weight$/, '.gamma').replace(/\.bias$/, '.beta');
    names.push(old, `bert.${old}`);
  }
  return names;
}

/** A tensor's values as float32 after checking its shape against the spec; `file` names it in errors. */
export function weightArray(spec: WeightSpec, tensor: SafetensorsTensor, file: string): Float32Array {
  if (tensor.shape.length !== spec.shape.length || tensor.shape.some((size, axis) => size !== spec.shape[axis])) {
    throw new ThawError(`tensor "${tensor.name}" has shape [${tensor.shape.join(', ')}], config.json implies [${spec.shape.join(', ')}]`, file);
  }
  return toFloat32(tensor, file);
}

export interface EncoderWeights {
  /** Hugging Face name (as in encoderWeightSpecs) to values, in the spec's order. */
  readonly arrays: Map<string, Float32Array>;
  /** The names the tensors have in the file, so the loader can keep the others unchanged. */
  readonly fileNames: ReadonlySet<string>;
}

/**
 * The encoder's weights of a model folder, and the names they had in its file. A missing
 * weight or a shape that disagrees with config.json is an error naming the tensor.
 */
export function readEncoderWeights(folder: ModelFolder): EncoderWeights {
  const file = path.join(folder.path, WEIGHTS_FILE);
  const arrays = new Map<string, Float32Array>();
  const fileNames = new Set<string>();
  for (const spec of encoderWeightSpecs(folder.config)) {
    const found = candidateNames(spec.name).map((name) => folder.weights.tensors.get(name)).find((tensor) => tensor !== undefined);
    if (found === undefined) throw new ThawError(`missing tensor "${spec.name}" (config.json says ${folder.config.num_hidden_layers} layers)`, file);
    fileNames.add(found.name);
    arrays.set(spec.name, weightArray(spec, found, file));
  }
  return { arrays, fileNames };
}

/**
 * The encoder's weights of a model folder by Hugging Face name, without starting tfjs.
 *
 * @example const weights = encoderWeightArrays(await readModelFolder('models/minilm'))
 */
export function encoderWeightArrays(folder: ModelFolder): Map<string, Float32Array> {
  return readEncoderWeights(folder).arrays;
}

/**
 * The current values of a loaded model's encoder weights (after training steps, say), in the
 * same form as encoderWeightArrays. Reads each variable synchronously; the arrays are copies.
 *
 * @example const weights = parameterWeightArrays(model.parameters, encoderWeightSpecs(model.config))
 */
export function parameterWeightArrays(parameters: ParameterSet, specs: readonly WeightSpec[]): Map<string, Float32Array> {
  const arrays = new Map<string, Float32Array>();
  for (const spec of specs) {
    const parameter = parameters.get(spec.name);
    if (parameter === undefined) throw new Error(`the model has no weight ${spec.name}`);
    arrays.set(spec.name, new Float32Array(parameter.variable.dataSync()));
  }
  return arrays;
}

/**
 * A loaded model's current encoder weights, for an ONNX session that follows training.
 *
 * @example const encoder = await OrtEncoder.create(model.config, sentenceModelWeightArrays(model))
 */
export function sentenceModelWeightArrays(model: SentenceModel): Map<string, Float32Array> {
  return parameterWeightArrays(model.parameters, encoderWeightSpecs(model.config));
}
