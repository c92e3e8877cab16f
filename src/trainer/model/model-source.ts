// Where a model comes from: a local folder as given, or a Hugging Face hub id fetched into the
// cache. Loads no ML engine, so `thaw embed` can use it before choosing one.

import { existsSync } from 'node:fs';
import { ThawError } from '../../core/errors';
import { looksLikeHubId } from '../../core/model/hub-paths';
import { fetchHubModel, type DownloadProgress } from './hub';

export type LoadProgress =
  | ({ readonly stage: 'download' } & DownloadProgress)
  | { readonly stage: 'read' | 'tokenizer' | 'weights'; readonly folder: string };

/** The local folder of `source`: the path itself, else the hub id's download. */
export async function resolveModelSource(source: string, onDownload: (progress: DownloadProgress) => void): Promise<string> {
  if (existsSync(source)) return source;
  if (!looksLikeHubId(source)) throw new ThawError('model folder does not exist', source);
  return fetchHubModel(source, onDownload);
}

/** One line for people about a loading step. */
export function describeLoadProgress(event: LoadProgress): string {
  if (event.stage === 'download') {
    const percent = event.total > 0 ? ` ${Math.floor((100 * event.loaded) / event.total)}%` : '';
    return `downloading ${event.file}${percent} (${(event.loaded / 1e6).toFixed(1)} MB)`;
  }
  return { read: 'reading', tokenizer: 'loading the tokenizer of', weights: 'loading the weights of' }[event.stage] + ` ${event.folder}`;
}
