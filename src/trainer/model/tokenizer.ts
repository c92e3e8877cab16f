// The model folder's tokenizer.json, run by @xenova/transformers (Hugging Face's tokenizers
// ported to JavaScript), so Thaw's token ids are the ones Python would produce.

import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { ThawError, messageOf } from '../../core/errors';

export interface SentenceTokenizer {
  /** Token ids with [CLS] ... [SEP], truncated to `maxLength` tokens in all. */
  tokenize(text: string, maxLength: number): number[];
  readonly padTokenId: number;
}

/** The settings of @xenova/transformers that Thaw sets (they are global to the process). */
export interface TransformersEnv {
  allowLocalModels: boolean;
  allowRemoteModels: boolean;
  useFSCache: boolean;
  localModelPath: string;
  remoteHost: string;
}

type HubTokenizer = ((text: string, options: object) => { input_ids: { data: BigInt64Array } }) & { pad_token_id?: number };

/** The part of @xenova/transformers that Thaw uses. */
interface Transformers {
  readonly env: TransformersEnv;
  readonly AutoTokenizer: { from_pretrained(folder: string, options: object): Promise<HubTokenizer> };
}

let transformers: Promise<Transformers> | undefined;

/**
 * @xenova/transformers is an ES module; Thaw's CommonJS build reaches it through import().
 * The specifier is a variable so that TypeScript keeps import() rather than turning it into
 * require(), which cannot load an ES module on Node 20.
 */
export function importTransformers(): Promise<Transformers> {
  const specifier = '@xenova/transformers';
  transformers ??= import(specifier) as Promise<Transformers>;
  return transformers;
}

/**
 * Loads `tokenizer.json` and `tokenizer_config.json` from a local model folder.
 *
 * @example const tokenizer = await loadTokenizer('/models/minilm'); tokenizer.tokenize('Hi!', 128)
 */
export async function loadTokenizer(folder: string): Promise<SentenceTokenizer> {
  for (const file of ['tokenizer.json', 'tokenizer_config.json']) {
    if (!existsSync(path.join(folder, file))) throw new ThawError(`missing ${file}: a model folder needs its tokenizer`, path.join(folder, file));
  }
  const { AutoTokenizer, env } = await importTransformers();
  // The library's settings are global; these make it read the absolute folder and nothing else.
  env.allowLocalModels = true;
  env.allowRemoteModels = false;
  env.useFSCache = false;
  env.localModelPath = '';
  let tokenizer: HubTokenizer;
  try {
    tokenizer = await AutoTokenizer.from_pretrained(path.resolve(folder), { local_files_only: true });
  } catch (error) {
    throw new ThawError(`cannot load the tokenizer: ${messageOf(error)}`, path.join(folder, 'tokenizer.json'));
  }
  const padTokenId = tokenizer.pad_token_id ?? 0;
  return {
    padTokenId,
    tokenize(text: string, maxLength: number): number[] {
      const ids = Array.from(tokenizer(text, {}).input_ids.data, Number);
      if (ids.length <= maxLength) return ids;
      // Truncate as Hugging Face's tokenizers do: drop text tokens, keep the closing [SEP].
      // transformers.js 2.17 cuts after adding special tokens, which loses [SEP].
      return [...ids.slice(0, maxLength - 1), ids.at(-1)!];
    },
  };
}
