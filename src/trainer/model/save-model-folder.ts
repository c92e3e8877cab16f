// Writing a model back as a Hugging Face / sentence-transformers folder: the encoder in
// model.safetensors under its own names (Python's transformers.BertModel loads it), the task
// heads in heads.safetensors, and the tokenizer and pooling files beside them.

import { existsSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '../../core/io/atomic-write';
import { labelsMetadataKey } from './weight-arrays';
import { COMPANION_FILES, HEADS_FILE, POOLING_CONFIG_FILE, WEIGHTS_FILE } from './model-folder';
import { isHead } from '../../core/vocabulary/groups';
import type { NamedParameter } from './parameter-groups';
import { encodeFloats, serializeSafetensors, type TensorToWrite } from './safetensors';
import type { SentenceModel } from './sentence-model';

/** Mean pooling, in sentence-transformers' 1_Pooling/config.json form. */
export function meanPoolingConfig(hidden: number): Record<string, unknown> {
  return {
    word_embedding_dimension: hidden,
    pooling_mode_cls_token: false,
    pooling_mode_mean_tokens: true,
    pooling_mode_max_tokens: false,
    pooling_mode_mean_sqrt_len_tokens: false,
  };
}

/**
 * Saves `model` into `folder` (created if needed), with the tokenizer and companion files of
 * `companions` (default: the folder the model came from). Each file is written atomically;
 * loading the folder again gives bit-identical weights.
 *
 * @example await saveModelFolder(model, 'runs/abc/checkpoints/phase-1', 'runs/abc/model-files')
 */
export async function saveModelFolder(model: SentenceModel, folder: string, companions = model.parts.sourceFolder): Promise<void> {
  await fs.mkdir(folder, { recursive: true });
  const parameters = model.parameters.all;
  const encoder = parameters.filter((parameter) => !isHead(parameter.group));
  const heads = parameters.filter((parameter) => isHead(parameter.group));

  // transformers refuses safetensors files whose metadata lacks format "pt".
  await writeFileAtomic(path.join(folder, WEIGHTS_FILE), serializeSafetensors([...encoder.map(asTensor), ...model.parts.passthrough], { format: 'pt' }));
  if (heads.length > 0) {
    const metadata: Record<string, string> = { format: 'pt' };
    for (const [head, spec] of model.parts.heads) metadata[labelsMetadataKey(head)] = JSON.stringify(spec.labels);
    await writeFileAtomic(path.join(folder, HEADS_FILE), serializeSafetensors(heads.map(asTensor), metadata));
  }
  const config = { ...model.config, architectures: ['BertModel'], torch_dtype: 'float32' };
  await writeFileAtomic(path.join(folder, 'config.json'), `${JSON.stringify(config, null, 2)}\n`);
  await writeFileAtomic(path.join(folder, POOLING_CONFIG_FILE), `${JSON.stringify(meanPoolingConfig(model.config.hidden_size), null, 2)}\n`);
  await copyCompanionFiles(companions, folder);
}

function asTensor(parameter: NamedParameter): TensorToWrite {
  const values = parameter.variable.dataSync() as Float32Array;
  return { name: parameter.name, dtype: 'F32', shape: parameter.variable.shape, bytes: encodeFloats(values, 'F32') };
}

async function copyCompanionFiles(source: string, target: string): Promise<void> {
  if (path.resolve(source) === path.resolve(target)) return;
  for (const file of COMPANION_FILES) {
    const from = path.join(source, file);
    if (existsSync(from)) await writeFileAtomic(path.join(target, file), await fs.readFile(from));
  }
}
