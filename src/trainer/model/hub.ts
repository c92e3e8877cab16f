// Model sources that are not local folders: Hugging Face hub ids such as
// "sentence-transformers/paraphrase-MiniLM-L6-v2". Their files are downloaded once, through
// @xenova/transformers' hub client, into Thaw's cache, and from then on loaded as a local
// folder; with no network the error says how to point at a local folder instead.

import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { ThawError, messageOf } from '../../core/errors';
import { writeFileAtomic } from '../../core/io/atomic-write';
import { hubCacheFolder, hubEndpoint } from '../../core/model/hub-paths';
import { importTransformers, type TransformersEnv } from './tokenizer';

/** Progress of one file's download, in bytes (`total` is 0 when the server does not say). */
export interface DownloadProgress {
  readonly file: string;
  readonly loaded: number;
  readonly total: number;
}

const REQUIRED_FILES = ['config.json', 'model.safetensors', 'tokenizer.json', 'tokenizer_config.json'];
const OPTIONAL_FILES = ['special_tokens_map.json', 'vocab.txt', 'modules.json', 'sentence_bert_config.json', '1_Pooling/config.json'];

/**
 * The local folder holding hub model `repoId`, downloading what is not cached yet.
 *
 * @example const folder = await fetchHubModel('sentence-transformers/paraphrase-MiniLM-L6-v2', p => ...)
 */
export async function fetchHubModel(repoId: string, onProgress?: (progress: DownloadProgress) => void): Promise<string> {
  const folder = hubCacheFolder(repoId);
  if (REQUIRED_FILES.every((file) => existsSync(path.join(folder, file)))) return folder;

  const { env, getModelFile } = await hubClient();
  env.allowLocalModels = false;
  env.allowRemoteModels = true;
  env.useFSCache = false;
  env.remoteHost = hubEndpoint();
  for (const file of [...REQUIRED_FILES, ...OPTIONAL_FILES]) {
    const required = REQUIRED_FILES.includes(file);
    let bytes: Uint8Array | null;
    try {
      bytes = await getModelFile(repoId, file, required, {
        progress_callback: (event: { status: string; loaded?: number; total?: number }) => {
          if (event.status === 'progress') onProgress?.({ file, loaded: event.loaded ?? 0, total: event.total ?? 0 });
        },
      });
    } catch (error) {
      throw downloadError(repoId, file, error);
    }
    // Each file lands whole (temp + rename), so an interrupted download is simply resumed.
    if (bytes !== null) await writeFileAtomic(path.join(folder, file), bytes);
  }
  return folder;
}

interface HubClient {
  env: TransformersEnv;
  getModelFile: (repoId: string, file: string, fatal: boolean, options: object) => Promise<Uint8Array | null>;
}

async function hubClient(): Promise<HubClient> {
  const { env } = await importTransformers();
  // The hub client is not re-exported by the package's entry point; it has no exports map,
  // so its module path is public.
  const specifier = '@xenova/transformers/src/utils/hub.js';
  const hub = (await import(specifier)) as Pick<HubClient, 'getModelFile'>;
  return { env, getModelFile: hub.getModelFile };
}

function downloadError(repoId: string, file: string, error: unknown): ThawError {
  const cause = (error as { cause?: unknown }).cause;
  const detail = cause === undefined ? messageOf(error) : `${messageOf(error)}: ${messageOf(cause)}`;
  const offlineHint =
    'Thaw needs the hub once per model. Offline, give a local model folder instead (config.json, model.safetensors, tokenizer.json), ' +
    'for example one made with "thaw init-model --out DIR ...", or copy a downloaded folder to this machine.';
  if (/Could not locate file/.test(detail)) return new ThawError(`the hub has no ${file} for "${repoId}" (${detail})`);
  return new ThawError(`"${repoId}" is not a local folder, and downloading ${file} from ${hubEndpoint()} failed (${detail}). ${offlineHint}`);
}
