// Where hub models come from and where Thaw keeps them: shared by the trainer (which downloads
// whole models) and the host (which reads only config.json). No network here.

import * as os from 'node:os';
import * as path from 'node:path';

/** "owner/name" or "name" with the characters the hub allows. */
export function looksLikeHubId(source: string): boolean {
  return /^[A-Za-z0-9][\w.-]*(\/[A-Za-z0-9][\w.-]*)?$/.test(source) && !source.includes('..');
}

/** The hub's address: HF_ENDPOINT when set (as in Python's huggingface_hub), else huggingface.co. */
export function hubEndpoint(): string {
  const endpoint = process.env.HF_ENDPOINT ?? 'https://huggingface.co';
  return endpoint.endsWith('/') ? endpoint : `${endpoint}/`;
}

/** Where downloaded models live: THAW_CACHE, else ~/.cache/thaw. */
export function cacheRoot(): string {
  return process.env.THAW_CACHE ?? path.join(os.homedir(), '.cache', 'thaw');
}

/** The cache folder of hub model `repoId`: <cache>/hub/<owner>/<name>. */
export function hubCacheFolder(repoId: string): string {
  return path.join(cacheRoot(), 'hub', ...repoId.split('/'));
}
