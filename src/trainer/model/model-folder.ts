// Reading a Hugging Face / sentence-transformers model folder from disk: config.json,
// model.safetensors, the optional heads.safetensors Thaw writes, pooling and sequence-length
// settings. Every problem is reported against the file it is in.

import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { ThawError } from '../../core/errors';
import { parseBertConfig, type BertConfig } from '../../core/model/bert-config';
import { readJson } from '../../core/io/read-json';
import { parseSafetensors, type SafetensorsContents } from './safetensors';

export const WEIGHTS_FILE = 'model.safetensors';
export const HEADS_FILE = 'heads.safetensors';
export const POOLING_CONFIG_FILE = path.join('1_Pooling', 'config.json');

/** Files beside the weights that describe the tokenizer and the sentence-transformers model. */
export const COMPANION_FILES = [
  'tokenizer.json',
  'tokenizer_config.json',
  'special_tokens_map.json',
  'vocab.txt',
  'modules.json',
  'sentence_bert_config.json',
  'config_sentence_transformers.json',
] as const;

export interface ModelFolder {
  readonly path: string;
  readonly config: BertConfig;
  readonly weights: SafetensorsContents;
  readonly heads?: SafetensorsContents;
  /** Longest input in tokens, from the folder's own settings. */
  readonly maxSeqLength: number;
}

/** Reads and checks a local model folder. */
export async function readModelFolder(folder: string): Promise<ModelFolder> {
  const stat = await fs.stat(folder).catch(() => undefined);
  if (stat === undefined) throw new ThawError('model folder does not exist', folder);
  if (!stat.isDirectory()) throw new ThawError('not a folder: a model is a folder with config.json, model.safetensors and tokenizer.json', folder);

  const configFile = path.join(folder, 'config.json');
  const config = parseBertConfig(await readJson(configFile, 'a model folder needs config.json'), configFile);
  await checkPooling(folder, config);
  return {
    path: folder,
    config,
    weights: await readWeights(folder),
    heads: await readOptionalSafetensors(path.join(folder, HEADS_FILE)),
    maxSeqLength: await readMaxSeqLength(folder, config),
  };
}

async function readWeights(folder: string): Promise<SafetensorsContents> {
  const file = path.join(folder, WEIGHTS_FILE);
  const contents = await readOptionalSafetensors(file);
  if (contents !== undefined) return contents;
  const hint = (await fileExists(path.join(folder, 'pytorch_model.bin')))
    ? 'the folder has only pytorch_model.bin; save it as safetensors (model.save_pretrained(dir, safe_serialization=True))'
    : 'a model folder needs its weights as model.safetensors';
  throw new ThawError(`missing: ${hint}`, file);
}

async function readOptionalSafetensors(file: string): Promise<SafetensorsContents | undefined> {
  if (!(await fileExists(file))) return undefined;
  return parseSafetensors(await fs.readFile(file), file);
}

async function fileExists(file: string): Promise<boolean> {
  return (await fs.stat(file).catch(() => undefined))?.isFile() ?? false;
}

/** Thaw pools by the mean of token vectors; a folder asking for another pooling is refused. */
async function checkPooling(folder: string, config: BertConfig): Promise<void> {
  const file = path.join(folder, POOLING_CONFIG_FILE);
  if (!(await fileExists(file))) return;
  const pooling = (await readJson(file, '')) as Record<string, unknown>;
  const otherModes = Object.entries(pooling).filter(([key, on]) => key.startsWith('pooling_mode_') && key !== 'pooling_mode_mean_tokens' && on === true);
  if (pooling.pooling_mode_mean_tokens !== true || otherModes.length > 0) {
    throw new ThawError(`Thaw pools by mean over tokens; this folder asks for ${otherModes.map(([key]) => key).join(', ') || 'no mean pooling'}`, file);
  }
  const dimension = pooling.word_embedding_dimension;
  if (dimension !== undefined && dimension !== config.hidden_size) {
    throw new ThawError(`word_embedding_dimension ${JSON.stringify(dimension)} differs from hidden_size ${config.hidden_size} in config.json`, file);
  }
}

/**
 * sentence-transformers' max_seq_length when the folder says it (128 for
 * paraphrase-MiniLM-L6-v2), else the tokenizer's model_max_length, never more than the
 * model's position embeddings.
 */
async function readMaxSeqLength(folder: string, config: BertConfig): Promise<number> {
  const candidates: [string, string][] = [
    ['sentence_bert_config.json', 'max_seq_length'],
    ['tokenizer_config.json', 'model_max_length'],
  ];
  for (const [name, key] of candidates) {
    const file = path.join(folder, name);
    if (!(await fileExists(file))) continue;
    const value = ((await readJson(file, '')) as Record<string, unknown>)[key];
    if (typeof value === 'number' && Number.isInteger(value) && value > 0) return Math.min(value, config.max_position_embeddings);
  }
  return config.max_position_embeddings;
}
