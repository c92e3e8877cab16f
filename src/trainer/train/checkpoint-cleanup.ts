// Removing checkpoint folders so that a kill at any moment leaves either the whole folder or
// a hidden leftover, never a half-deleted folder under a normal name (which would look like a
// checkpoint). Hidden entries in checkpoints/ are Thaw's, and a resume removes them.

import { existsSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { CHECKPOINTS_FOLDER, isHiddenName } from './checkpoint-files';
import { MODEL_FILES_FOLDER } from './run-model-files';

/** Renames `folder` to a hidden name, then deletes it. */
export async function removeCheckpointFolder(folder: string): Promise<void> {
  const hidden = path.join(path.dirname(folder), `.deleting-${path.basename(folder)}-${process.pid}`);
  try {
    await fs.rename(folder, hidden);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  await fs.rm(hidden, { recursive: true, force: true });
}

/** What a killed writer can leave: hidden folders in checkpoints/, and temporary files of atomic writes. */
export async function removeLeftovers(runFolder: string): Promise<string[]> {
  const removed: string[] = [];
  for (const folder of [runFolder, path.join(runFolder, CHECKPOINTS_FOLDER), path.join(runFolder, MODEL_FILES_FOLDER)]) {
    if (!existsSync(folder)) continue;
    for (const entry of await fs.readdir(folder)) {
      const inCheckpoints = folder === path.join(runFolder, CHECKPOINTS_FOLDER);
      if ((inCheckpoints && isHiddenName(entry)) || /\.tmp-\d+-[a-z0-9]+$/.test(entry)) {
        await fs.rm(path.join(folder, entry), { recursive: true, force: true });
        removed.push(path.join(folder, entry));
      }
    }
  }
  return removed;
}

/**
 * Periodic checkpoints (step-*) other than `keep`: a kill between naming a new checkpoint and
 * deleting the one it replaced leaves the old one behind, whole but no longer needed.
 */
export async function removeStalePeriodic(runFolder: string, keep: string): Promise<string[]> {
  const root = path.join(runFolder, CHECKPOINTS_FOLDER);
  const stale = existsSync(root) ? (await fs.readdir(root)).filter((name) => /^step-\d+$/.test(name) && path.join(root, name) !== path.resolve(keep)) : [];
  for (const name of stale) await removeCheckpointFolder(path.join(root, name));
  return stale;
}
