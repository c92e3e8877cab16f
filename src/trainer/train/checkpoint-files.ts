// The names inside a checkpoint folder and the pointer to the newest one, shared by the writer,
// the checks and the readers.

import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { ThawError } from '../../core/errors';
import { readJson } from '../../core/io/read-json';
import { CHECKPOINTS_FOLDER } from '../../core/runs/run-listing';
import { ENGINE_NAMES } from '../../core/vocabulary/engines';

export { CHECKPOINTS_FOLDER };

export const OPTIMIZER_FILE = 'optimizer.safetensors';
export const POSITION_FILE = 'position.json';
export const LATEST_FILE = 'latest.json';

/** Where a run stands: the next step to run is step `stepInPhase` (0-based) of phase `phaseIndex`. */
export const RunPosition = z.strictObject({
  phaseIndex: z.number().int().min(0),
  stepInPhase: z.number().int().min(0),
  globalStep: z.number().int().min(0),
  /** The seed of data order and dropout; a fork keeps it. Absent in older checkpoints. */
  seed: z.number().int().min(0).optional(),
  /** What trained the weights up to here, so a resume or fork on the other engine can say so. Absent in older checkpoints. */
  engine: z.enum(ENGINE_NAMES).optional(),
});
export type RunPosition = z.infer<typeof RunPosition>;

export const Latest = z.strictObject({ folder: z.string(), periodic: z.boolean(), globalStep: z.number().int().min(0) });
export type Latest = z.infer<typeof Latest>;

/** Hidden names in checkpoints/ are Thaw's own: checkpoints being written or deleted. */
export function isHiddenName(name: string): boolean {
  return name.startsWith('.');
}

/**
 * The checkpoint folder `name` of a run, refusing names that would lead outside its
 * checkpoints/ folder (latest.json is a file anyone can edit).
 */
export function checkpointFolder(runFolder: string, name: string, file = path.join(runFolder, CHECKPOINTS_FOLDER, LATEST_FILE)): string {
  if (name === '' || name === '.' || name === '..' || isHiddenName(name) || name.includes('/') || name.includes('\\') || path.isAbsolute(name)) {
    throw new ThawError(`"folder" must name a checkpoint inside ${path.join(runFolder, CHECKPOINTS_FOLDER)}, got ${JSON.stringify(name)}`, file);
  }
  return path.join(runFolder, CHECKPOINTS_FOLDER, name);
}

/** The run's latest.json, or undefined when it has none yet. */
export async function readLatest(runFolder: string): Promise<Latest | undefined> {
  const file = path.join(runFolder, CHECKPOINTS_FOLDER, LATEST_FILE);
  if (!existsSync(file)) return undefined;
  const parsed = Latest.safeParse(await readJson(file, ''));
  if (!parsed.success) throw new ThawError('is not a checkpoint pointer', file);
  checkpointFolder(runFolder, parsed.data.folder, file);
  return parsed.data;
}
