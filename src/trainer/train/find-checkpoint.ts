// Which checkpoint a resume or a fork starts from. A resume takes the one latest.json names if
// it is whole, else the newest whole one, and says so; a fork (--from) takes a run's latest or
// a checkpoint folder, and refuses a damaged one.

import { existsSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { ThawError } from '../../core/errors';
import { readJson } from '../../core/io/read-json';
import { loadCheckpoint, type LoadedCheckpoint } from './checkpoint';
import { checkpointProblem } from './checkpoint-check';
import { removeCheckpointFolder } from './checkpoint-cleanup';
import { CHECKPOINTS_FOLDER, LATEST_FILE, POSITION_FILE, RunPosition, checkpointFolder, isHiddenName, readLatest } from './checkpoint-files';

export interface FoundCheckpoint {
  readonly checkpoint: LoadedCheckpoint;
  /** Damaged checkpoints passed over on the way (and removed), each with what is wrong. */
  readonly skipped: readonly string[];
}

/** The checkpoint a resume of `runFolder` starts from, or undefined when it has none. */
export async function resumeCheckpoint(runFolder: string): Promise<FoundCheckpoint | undefined> {
  const skipped: string[] = [];
  let latestName: string | undefined;
  try {
    latestName = (await readLatest(runFolder))?.folder;
  } catch (error) {
    skipped.push((error as Error).message);
  }
  const candidates = [...(latestName === undefined ? [] : [checkpointFolder(runFolder, latestName)]), ...(await checkpointsNewestFirst(runFolder))];
  for (const folder of [...new Set(candidates)]) {
    const problem = await checkpointProblem(folder);
    if (problem === undefined) return { checkpoint: await loadCheckpoint(folder), skipped };
    if (existsSync(folder)) {
      skipped.push(`${folder} is damaged (${problem}) and was removed`);
      await removeCheckpointFolder(folder);
    } else {
      skipped.push(`${folder}, named by ${LATEST_FILE}, is missing`);
    }
  }
  return undefined;
}

/** The run's checkpoint folders by their recorded step, newest first. */
async function checkpointsNewestFirst(runFolder: string): Promise<string[]> {
  const root = path.join(runFolder, CHECKPOINTS_FOLDER);
  if (!existsSync(root)) return [];
  const folders: { folder: string; step: number }[] = [];
  for (const entry of await fs.readdir(root, { withFileTypes: true })) {
    if (!entry.isDirectory() || isHiddenName(entry.name)) continue;
    const folder = path.join(root, entry.name);
    const position = RunPosition.safeParse(await readJson(path.join(folder, POSITION_FILE), '').catch(() => undefined));
    folders.push({ folder, step: position.success ? position.data.globalStep : -1 });
  }
  return folders.sort((a, b) => b.step - a.step).map(({ folder }) => folder);
}

export interface ForkSource {
  readonly run: string;
  readonly checkpoint: LoadedCheckpoint;
}

/** `--from`: a run folder (its latest checkpoint) or a checkpoint folder. */
export async function forkCheckpoint(source: string): Promise<ForkSource> {
  const resolved = path.resolve(source);
  if (!existsSync(resolved)) throw new ThawError('--from: no such run or checkpoint folder', resolved);
  let folder = resolved;
  let run = path.dirname(path.dirname(resolved));
  if (existsSync(path.join(resolved, CHECKPOINTS_FOLDER))) {
    const latest = await readLatest(resolved);
    if (latest === undefined) throw new ThawError('--from: this run has no checkpoint yet', resolved);
    folder = checkpointFolder(resolved, latest.folder);
    run = resolved;
  } else if (!existsSync(path.join(resolved, POSITION_FILE))) {
    throw new ThawError(`--from: neither a run folder (with ${CHECKPOINTS_FOLDER}/) nor a checkpoint folder (with ${POSITION_FILE})`, resolved);
  }
  const problem = await checkpointProblem(folder);
  if (problem !== undefined) throw new ThawError(`--from: the checkpoint is damaged (${problem})`, folder);
  return { run, checkpoint: await loadCheckpoint(folder) };
}
