// The root of an exported folder: what sentence-transformers and transformers' BertModel load
// as they are. The encoder's tensors under BertModel's names (no `bert.` prefix, the pooler
// present) as float32, the heads with their labels, the tokenizer, and the module files of a
// Transformer + mean Pooling model, all with the training max length.

import { existsSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { ThawError } from '../../core/errors';
import type { BertConfig } from '../../core/model/bert-config';
import { encoderWeightSpecs, poolerWeightSpecs } from '../../core/model/bert-weights';
import { readJson } from '../../core/io/read-json';
import { HEAD_NAMES, type HeadName } from '../../core/vocabulary/groups';
import { candidateNames, labelsMetadataKey, readEncoderWeights } from '../model/weight-arrays';
import { HEADS_FILE, POOLING_CONFIG_FILE, WEIGHTS_FILE, type ModelFolder } from '../model/model-folder';
import { FLOAT_DTYPES, encodeFloats, serializeSafetensors, toFloat32, type SafetensorsContents, type TensorToWrite } from '../model/safetensors';
import { meanPoolingConfig } from '../model/save-model-folder';

/** Relative path (with `/`) -> contents. Written in sorted order, so the folder is the same every time. */
export type ExportFiles = Map<string, Uint8Array | string>;

export interface ExportedHead {
  readonly name: HeadName;
  readonly labels: readonly string[];
  /** [classes, hidden], row-major, as in heads.safetensors. */
  readonly weight: Float32Array;
  readonly bias: Float32Array;
}

export interface ExportedWeights {
  /** Every encoder tensor (and the pooler) by its BertModel name, as float32. */
  readonly encoder: ReadonlyMap<string, Float32Array>;
  readonly heads: readonly ExportedHead[];
}

/** The tokenizer files copied as they are; tokenizer_config.json is rewritten with the max length. */
const TOKENIZER_FILES = ['tokenizer.json', 'special_tokens_map.json', 'vocab.txt'] as const;

/** sentence-transformers' module list for a Transformer followed by a Pooling module. */
const MODULES = [
  { idx: 0, name: '0', path: '', type: 'sentence_transformers.models.Transformer' },
  { idx: 1, name: '1', path: '1_Pooling', type: 'sentence_transformers.models.Pooling' },
];

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

/** The weights of `folder` by BertModel's names, float32; a missing encoder tensor is an error naming it. */
export function exportedWeights(folder: ModelFolder): ExportedWeights {
  const file = path.join(folder.path, WEIGHTS_FILE);
  const encoder = new Map(readEncoderWeights(folder).arrays);
  // BertModel expects a pooler; mean pooling never reads it. A folder without one gets zeros,
  // so that Python loads it without "newly initialized" weights and the bytes stay the same.
  for (const spec of poolerWeightSpecs(folder.config)) {
    const tensor = candidateNames(spec.name).map((name) => folder.weights.tensors.get(name)).find((found) => found !== undefined);
    encoder.set(spec.name, tensor === undefined ? new Float32Array(spec.shape.reduce((a, b) => a * b, 1)) : toFloat32(tensor, file));
  }
  return { encoder, heads: folder.heads === undefined ? [] : readHeads(folder.heads, folder.config.hidden_size, path.join(folder.path, HEADS_FILE)) };
}

/** `bert.encoder...` and LayerNorm's old gamma/beta read as BertModel names them now. */
function bertModelName(name: string): string {
  const bare = name.replace(/^bert\./, '');
  return bare.includes('LayerNorm.') ? bare.replace(/\.gamma$/, '.weight').replace(/\.beta$/, '.bias') : bare;
}

function readHeads(contents: SafetensorsContents, hidden: number, file: string): ExportedHead[] {
  const heads: ExportedHead[] = [];
  for (const name of HEAD_NAMES) {
    const weight = contents.tensors.get(`${name}.weight`);
    const bias = contents.tensors.get(`${name}.bias`);
    if (weight === undefined) continue;
    const classes = weight.shape[0] ?? 0;
    if (bias === undefined || weight.shape.length !== 2 || weight.shape[1] !== hidden || bias.shape.join() !== String(classes)) {
      throw new ThawError(`${name} must be a weight [classes, ${hidden}] and a bias [classes]`, file);
    }
    const labelsText = contents.metadata[labelsMetadataKey(name)];
    const labels = labelsText === undefined ? Array.from({ length: classes }, (_, index) => String(index)) : (JSON.parse(labelsText) as unknown);
    if (!Array.isArray(labels) || labels.length !== classes || !labels.every((label) => typeof label === 'string')) {
      throw new ThawError(`metadata ${labelsMetadataKey(name)} must list ${classes} label strings`, file);
    }
    heads.push({ name, labels, weight: toFloat32(weight, file), bias: toFloat32(bias, file) });
  }
  return heads;
}

/**
 * The files of the sentence-transformers root, with `maxSeqLength` (the training max length) in
 * tokenizer_config.json and sentence_bert_config.json.
 */
export async function sentenceTransformersFiles(folder: ModelFolder, weights: ExportedWeights, maxSeqLength: number): Promise<ExportFiles> {
  const files: ExportFiles = new Map();
  const config: BertConfig = { ...folder.config, model_type: 'bert', architectures: ['BertModel'], torch_dtype: 'float32' };
  files.set('config.json', json(config));
  files.set(WEIGHTS_FILE, encoderSafetensors(folder, weights.encoder));
  if (weights.heads.length > 0) files.set(HEADS_FILE, headsSafetensors(weights.heads));
  for (const [file, contents] of await tokenizerFiles(folder.path, maxSeqLength)) files.set(file, contents);
  files.set('modules.json', json(MODULES));
  files.set(POOLING_CONFIG_FILE.split(path.sep).join('/'), json(meanPoolingConfig(folder.config.hidden_size)));
  const sentenceBert = await optionalJson(path.join(folder.path, 'sentence_bert_config.json'));
  files.set('sentence_bert_config.json', json({ ...sentenceBert, max_seq_length: maxSeqLength, do_lower_case: sentenceBert.do_lower_case ?? false }));
  files.set('config_sentence_transformers.json', json({ __version__: { sentence_transformers: '2.0.0' }, prompts: {}, default_prompt_name: null, similarity_fn_name: 'cosine' }));
  return files;
}

/**
 * The encoder's tensors in the order of Thaw's weight list, then the file's other tensors by
 * name (kept as they are, as saveModelFolder does). A checkpoint's model.safetensors comes out
 * byte for byte the same.
 */
function encoderSafetensors(folder: ModelFolder, encoder: ReadonlyMap<string, Float32Array>): Uint8Array {
  const tensors: TensorToWrite[] = [...encoderWeightSpecs(folder.config), ...poolerWeightSpecs(folder.config)].map((spec) => ({
    name: spec.name,
    dtype: 'F32',
    shape: spec.shape,
    bytes: encodeFloats(encoder.get(spec.name)!, 'F32'),
  }));
  const written = new Set(tensors.map((tensor) => tensor.name));
  const rest = [...folder.weights.tensors.values()]
    .map((tensor) => ({ ...tensor, name: bertModelName(tensor.name) }))
    .filter((tensor) => !written.has(tensor.name))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((tensor) => ((FLOAT_DTYPES as readonly string[]).includes(tensor.dtype) ? { ...tensor, dtype: 'F32', bytes: encodeFloats(toFloat32(tensor, ''), 'F32') } : tensor));
  // transformers refuses safetensors files whose metadata lacks format "pt".
  return serializeSafetensors([...tensors, ...rest], { format: 'pt' });
}

function headsSafetensors(heads: readonly ExportedHead[]): Uint8Array {
  const metadata: Record<string, string> = { format: 'pt' };
  for (const head of heads) metadata[labelsMetadataKey(head.name)] = JSON.stringify(head.labels);
  const tensors = heads.flatMap((head): TensorToWrite[] => [
    { name: `${head.name}.weight`, dtype: 'F32', shape: [head.labels.length, head.weight.length / head.labels.length], bytes: encodeFloats(head.weight, 'F32') },
    { name: `${head.name}.bias`, dtype: 'F32', shape: [head.labels.length], bytes: encodeFloats(head.bias, 'F32') },
  ]);
  return serializeSafetensors(tensors, metadata);
}

/** tokenizer.json and its companions; tokenizer_config.json says the training max length. */
export async function tokenizerFiles(folder: string, maxSeqLength: number): Promise<ExportFiles> {
  const files: ExportFiles = new Map();
  if (!existsSync(path.join(folder, 'tokenizer.json'))) throw new ThawError('missing: tokenizer.json (a model folder needs its tokenizer)', path.join(folder, 'tokenizer.json'));
  for (const name of TOKENIZER_FILES) {
    const file = path.join(folder, name);
    if (existsSync(file)) files.set(name, await fs.readFile(file));
  }
  const tokenizerConfig = await optionalJson(path.join(folder, 'tokenizer_config.json'));
  files.set('tokenizer_config.json', json({ tokenizer_class: 'BertTokenizer', ...tokenizerConfig, model_max_length: maxSeqLength }));
  return files;
}

async function optionalJson(file: string): Promise<Record<string, unknown>> {
  if (!existsSync(file)) return {};
  const value = await readJson(file, '');
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new ThawError('is not a JSON object', file);
  return value as Record<string, unknown>;
}
