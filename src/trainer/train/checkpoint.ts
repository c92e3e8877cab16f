// Checkpoints: everything a run needs to continue exactly where it was. Each is a folder under
// runs/<id>/checkpoints/: a model folder (model.safetensors, heads.safetensors, config and
// tokenizer), the optimizer's state, and the run position, written last. checkpoints/latest.json
// names the newest complete one and is replaced atomically, so a kill at any moment leaves a
// checkpoint to resume from.

import { existsSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { ThawError } from '../../core/errors';
import { writeFileAtomic } from '../../core/io/atomic-write';
import { readJson } from '../../core/io/read-json';
import { saveModelFolder } from '../model/save-model-folder';
import type { SentenceModel } from '../model/sentence-model';
import type { AdamW, AdamWOptions, OptimizerStateEntry } from '../optim/adamw';
import { parseOptimizerState, serializeOptimizerState } from '../optim/optimizer-state-file';

const OPTIMIZER_FILE = 'optimizer.safetensors';
const POSITION_FILE = 'position.json';
const LATEST_FILE = 'latest.json';

/** Where a run stands: the next step to run is step `stepInPhase` (0-based) of phase `phaseIndex`. */
export const RunPosition = z.strictObject({
  phaseIndex: z.number().int().min(0),
  stepInPhase: z.number().int().min(0),
  globalStep: z.number().int().min(0),
});
export type RunPosition = z.infer<typeof RunPosition>;

const Latest = z.strictObject({ folder: z.string(), periodic: z.boolean(), globalStep: z.number().int().min(0) });

export interface LoadedCheckpoint {
  readonly folder: string;
  readonly position: RunPosition;
  readonly optimizer: { readonly entries: OptimizerStateEntry[]; readonly options: Required<AdamWOptions> };
}

/**
 * Writes a checkpoint named `label` and makes it the latest. A `periodic` one replaces the
 * previous periodic checkpoint; phase-end ones are kept.
 */
export async function writeCheckpoint(runFolder: string, label: string, periodic: boolean, model: SentenceModel, optimizer: AdamW, position: RunPosition): Promise<string> {
  const checkpoints = path.join(runFolder, 'checkpoints');
  const folder = path.join(checkpoints, label);
  const staging = path.join(checkpoints, `.${label}.partial`);
  await fs.rm(staging, { recursive: true, force: true });
  await saveModelFolder(model, staging);
  await writeFileAtomic(path.join(staging, OPTIMIZER_FILE), serializeOptimizerState(optimizer.exportState(), optimizer.options));
  await writeFileAtomic(path.join(staging, POSITION_FILE), `${JSON.stringify(position, null, 2)}\n`);
  await fs.rm(folder, { recursive: true, force: true });
  await fs.rename(staging, folder);

  const previous = await readLatest(runFolder);
  await writeFileAtomic(path.join(checkpoints, LATEST_FILE), `${JSON.stringify({ folder: label, periodic, globalStep: position.globalStep })}\n`);
  if (previous?.periodic && previous.folder !== label) await fs.rm(path.join(checkpoints, previous.folder), { recursive: true, force: true });
  return folder;
}

async function readLatest(runFolder: string): Promise<z.infer<typeof Latest> | undefined> {
  const file = path.join(runFolder, 'checkpoints', LATEST_FILE);
  if (!existsSync(file)) return undefined;
  const parsed = Latest.safeParse(await readJson(file, ''));
  if (!parsed.success) throw new ThawError('is not a checkpoint pointer', file);
  return parsed.data;
}

/** The newest complete checkpoint of a run, or undefined when it has none yet. */
export async function readLatestCheckpoint(runFolder: string): Promise<LoadedCheckpoint | undefined> {
  const latest = await readLatest(runFolder);
  if (latest === undefined) return undefined;
  const folder = path.join(runFolder, 'checkpoints', latest.folder);
  const positionFile = path.join(folder, POSITION_FILE);
  const position = RunPosition.safeParse(await readJson(positionFile, 'a checkpoint records its position'));
  if (!position.success) throw new ThawError('is not a run position', positionFile);
  const optimizerFile = path.join(folder, OPTIMIZER_FILE);
  return { folder, position: position.data, optimizer: parseOptimizerState(await fs.readFile(optimizerFile), optimizerFile) };
}
