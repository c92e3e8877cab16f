// Turning the tensors of a model folder into named, grouped tf.Variables.

import { tf } from '../backend/tensorflow';
import { ThawError } from '../../core/errors';
import { SeededNormal, initialValues } from '../init/seeded-random';
import { encoderWeightSpecs, headWeightSpecs, type WeightSpec } from '../../core/model/bert-weights';
import { HEADS_FILE, type ModelFolder } from './model-folder';
import { HEAD_NAMES, type HeadName, type NamedParameter } from './parameter-groups';
import type { SafetensorsContents, SafetensorsTensor } from './safetensors';
import { labelsMetadataKey, readEncoderWeights, weightArray } from './weight-arrays';
import type { HeadSpec } from './sentence-model';
import * as path from 'node:path';

function variableFrom(spec: WeightSpec, tensor: SafetensorsTensor, file: string): NamedParameter {
  return { name: spec.name, group: spec.group, variable: tf.variable(tf.tensor(weightArray(spec, tensor, file), [...spec.shape], 'float32'), true) };
}

/**
 * The encoder's weights as variables, and the file's other tensors (kept to write back).
 * A missing weight or a shape that disagrees with config.json is an error naming the tensor
 * (checked by readEncoderWeights).
 */
export function encoderParameters(folder: ModelFolder): { parameters: NamedParameter[]; passthrough: SafetensorsTensor[] } {
  const { arrays, fileNames } = readEncoderWeights(folder);
  const parameters: NamedParameter[] = [];
  try {
    for (const spec of encoderWeightSpecs(folder.config)) {
      parameters.push({ name: spec.name, group: spec.group, variable: tf.variable(tf.tensor(arrays.get(spec.name)!, [...spec.shape], 'float32'), true) });
    }
  } catch (error) {
    parameters.forEach((parameter) => parameter.variable.dispose());
    throw error;
  }
  const passthrough = [...folder.weights.tensors.values()]
    .filter((tensor) => !fileNames.has(tensor.name))
    .map((tensor) => ({ ...tensor, name: tensor.name.replace(/^bert\./, ''), bytes: new Uint8Array(tensor.bytes) }));
  return { parameters, passthrough };
}

/**
 * Head weights: those saved in heads.safetensors, and new ones (BERT's initialization, seeded)
 * for requested heads the folder does not have. A saved head whose labels differ from the
 * requested ones is an error: its logits would mean other classes.
 */
export function headParameters(
  folder: ModelFolder,
  requested: Partial<Record<HeadName, HeadSpec>>,
  seed: number,
): { parameters: NamedParameter[]; heads: Map<HeadName, HeadSpec> } {
  const file = path.join(folder.path, HEADS_FILE);
  const hidden = folder.config.hidden_size;
  const parameters: NamedParameter[] = [];
  const heads = new Map<HeadName, HeadSpec>();
  for (const head of HEAD_NAMES) {
    const saved = folder.heads === undefined ? undefined : savedHead(folder.heads, head, hidden, file);
    const wanted = requested[head];
    if (saved !== undefined && wanted !== undefined && !sameLabels(saved.spec.labels, wanted.labels)) {
      throw new ThawError(`${head} was trained for labels [${saved.spec.labels.join(', ')}], the data has [${wanted.labels.join(', ')}]`, file);
    }
    if (saved !== undefined) {
      parameters.push(...saved.parameters);
      heads.set(head, saved.spec);
    } else if (wanted !== undefined) {
      const random = new SeededNormal(`${seed}:${head}`);
      for (const spec of headWeightSpecs(head, wanted.labels.length, hidden)) {
        const values = initialValues(spec.init, spec.shape[0] * (spec.shape[1] ?? 1), folder.config.initializer_range, random);
        parameters.push({ name: spec.name, group: spec.group, variable: tf.variable(tf.tensor(values, [...spec.shape]), true) });
      }
      heads.set(head, { labels: [...wanted.labels] });
    }
  }
  return { parameters, heads };
}

function sameLabels(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((label, index) => label === b[index]);
}

function savedHead(contents: SafetensorsContents, head: HeadName, hidden: number, file: string): { parameters: NamedParameter[]; spec: HeadSpec } | undefined {
  const weight = contents.tensors.get(`${head}.weight`);
  if (weight === undefined) return undefined;
  const numClasses = weight.shape[0] ?? 0;
  const labelsText = contents.metadata[labelsMetadataKey(head)];
  let labels: string[] = Array.from({ length: numClasses }, (_, index) => String(index));
  if (labelsText !== undefined) {
    const parsed = JSON.parse(labelsText) as unknown;
    if (!Array.isArray(parsed) || parsed.length !== numClasses || !parsed.every((label) => typeof label === 'string')) {
      throw new ThawError(`metadata ${labelsMetadataKey(head)} must list ${numClasses} label strings`, file);
    }
    labels = parsed;
  }
  const bias = contents.tensors.get(`${head}.bias`);
  if (bias === undefined) throw new ThawError(`missing tensor "${head}.bias"`, file);
  const [weightSpec, biasSpec] = headWeightSpecs(head, numClasses, hidden) as [WeightSpec, WeightSpec];
  const parameters = [variableFrom(weightSpec, weight, file)];
  try {
    parameters.push(variableFrom(biasSpec, bias, file));
  } catch (error) {
    parameters[0].variable.dispose();
    throw error;
  }
  return { parameters, spec: { labels } };
}
