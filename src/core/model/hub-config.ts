// config.json of a hub model, without the ML stack: every entry point of transformers.js loads
// both ONNX Runtime packages, which the extension host must never do. Fetched from
// $HF_ENDPOINT/<id>/resolve/main/config.json into the same cache layout the trainer's
// download uses, so the trainer later finds it there (and fetches only what is missing).

import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { ThawError, messageOf } from '../errors';
import { writeFileAtomic } from '../io/atomic-write';
import { hubCacheFolder, hubEndpoint } from './hub-paths';

/** A model's config.json may be a few kB; anything far larger is not one. */
const MAX_CONFIG_BYTES = 1 << 20;

/** The path of hub model `repoId`'s config.json in the cache, fetching it when it is not there. */
export async function fetchHubConfig(repoId: string, timeoutMs = 10_000): Promise<string> {
  const file = path.join(hubCacheFolder(repoId), 'config.json');
  if (existsSync(file)) return file;
  const url = `${hubEndpoint()}${repoId}/resolve/main/config.json`;
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    const cause = (error as { cause?: unknown }).cause;
    throw new ThawError(`could not fetch config.json of "${repoId}" from ${hubEndpoint()} (${cause === undefined ? messageOf(error) : messageOf(cause)}); offline, give a local model folder`);
  }
  if (!response.ok) throw new ThawError(`the hub has no config.json for "${repoId}" (HTTP ${response.status} from ${url})`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes.length > MAX_CONFIG_BYTES) throw new ThawError(`config.json of "${repoId}" is ${bytes.length} bytes: not a model config`);
  await writeFileAtomic(file, bytes);
  return file;
}
