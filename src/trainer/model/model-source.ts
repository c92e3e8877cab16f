// Where a model comes from: a local folder as given, or a Hugging Face hub id fetched into the
// cache, then read with its tokenizer. Loads no ML engine (the tokenizer is transformers.js'
// alone), so `thaw embed` can use it before choosing one.

import { existsSync } from 'node:fs';
import { ThawError } from '../../core/errors';
import { looksLikeHubId } from '../../core/model/hub-paths';
import { fetchHubModel, type DownloadProgress } from './hub';
import { readModelFolder, type ModelFolder } from './model-folder';
import { loadTokenizer, type SentenceTokenizer } from './tokenizer';

export type LoadProgress =
  | ({ readonly stage: 'download' } & DownloadProgress)
  | { readonly stage: 'read' | 'tokenizer' | 'weights'; readonly folder: string };

/** The local folder of `source`: the path itself, else the hub id's download. */
export async function resolveModelSource(source: string, onDownload: (progress: DownloadProgress) => void): Promise<string> {
  if (existsSync(source)) return source;
  if (!looksLikeHubId(source)) throw new ThawError('model folder does not exist', source);
  return fetchHubModel(source, onDownload);
}

/**
 * What every loader does before the weights: the folder resolved (downloaded if a hub id), read,
 * and its tokenizer loaded, each stage reported; the 'weights' stage is reported last, as the
 * caller goes on to load them on its engine.
 */
export async function openModelSource(source: string, report: (progress: LoadProgress) => void): Promise<{ folderPath: string; folder: ModelFolder; tokenizer: SentenceTokenizer }> {
  const folderPath = await resolveModelSource(source, (progress) => report({ stage: 'download', ...progress }));
  report({ stage: 'read', folder: folderPath });
  const folder = await readModelFolder(folderPath);
  report({ stage: 'tokenizer', folder: folderPath });
  const tokenizer = await loadTokenizer(folderPath);
  report({ stage: 'weights', folder: folderPath });
  return { folderPath, folder, tokenizer };
}

/** One line for people about a loading step. */
export function describeLoadProgress(event: LoadProgress): string {
  if (event.stage === 'download') {
    const percent = event.total > 0 ? ` ${Math.floor((100 * event.loaded) / event.total)}%` : '';
    return `downloading ${event.file}${percent} (${(event.loaded / 1e6).toFixed(1)} MB)`;
  }
  return { read: 'reading', tokenizer: 'loading the tokenizer of', weights: 'loading the weights of' }[event.stage] + ` ${event.folder}`;
}
