// Checkpoints: everything a run needs to continue exactly where it was. Each is a folder under
// runs/<id>/checkpoints/: a whole model folder (weights, heads, config, and the tokenizer and
// companion files from the run's own model-files/), the optimizer's state, and the run position.
// It is written under a hidden name, checked, renamed, and only then named by latest.json; the
// checkpoint it replaces is deleted after that. A kill at any moment leaves the previous
// checkpoint whole and named by latest.json, or the new one.

import { existsSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { ThawError } from '../../core/errors';
import { asDiskFull, isDiskFull } from '../../core/io/disk-full';
import { writeFileAtomic } from '../../core/io/atomic-write';
import { readJson } from '../../core/io/read-json';
import { saveModelFolder } from '../model/save-model-folder';
import type { SentenceModel } from '../model/sentence-model';
import type { AdamWOptions, OptimizerState, OptimizerStateEntry } from '../optim/adamw';
import { parseOptimizerState, serializeOptimizerState } from '../optim/optimizer-state-file';
import { checkpointProblem } from './checkpoint-check';
import { removeCheckpointFolder } from './checkpoint-cleanup';
import { CHECKPOINTS_FOLDER, LATEST_FILE, OPTIMIZER_FILE, POSITION_FILE, RunPosition, checkpointFolder, readLatest } from './checkpoint-files';
import { modelFilesBytes } from './run-model-files';

export { RunPosition } from './checkpoint-files';

export interface LoadedCheckpoint {
  readonly folder: string;
  readonly position: RunPosition;
  readonly optimizer: { readonly entries: OptimizerStateEntry[]; readonly options: Required<AdamWOptions> };
}

export interface CheckpointToWrite {
  readonly runFolder: string;
  /** The folder's name, e.g. step-000010 or phase-0-warm-up. */
  readonly label: string;
  /** A periodic checkpoint replaces the previous periodic one; phase-end ones are kept. */
  readonly periodic: boolean;
  readonly model: SentenceModel;
  readonly optimizer: OptimizerState;
  readonly position: RunPosition;
  /** The run's copy of the tokenizer and companion files. */
  readonly modelFiles: string;
}

/** Writes a checkpoint and makes it the latest; returns its folder. */
export async function writeCheckpoint(checkpoint: CheckpointToWrite): Promise<string> {
  const { runFolder, label, periodic, model, optimizer, position } = checkpoint;
  const checkpoints = path.join(runFolder, CHECKPOINTS_FOLDER);
  const folder = checkpointFolder(runFolder, label);
  const staging = path.join(checkpoints, `.${label}.partial`);
  // Weights, two moments per weight, and the companion files: what a full disk must make room for.
  const neededBytes = model.parameters.parameterCount() * 12 + (await modelFilesBytes(checkpoint.modelFiles));
  try {
    await fs.rm(staging, { recursive: true, force: true });
    await saveModelFolder(model, staging, checkpoint.modelFiles);
    await writeFileAtomic(path.join(staging, OPTIMIZER_FILE), serializeOptimizerState(optimizer.exportState(), optimizer.options));
    await writeFileAtomic(path.join(staging, POSITION_FILE), `${JSON.stringify(position, null, 2)}\n`);
    const problem = await checkpointProblem(staging);
    if (problem !== undefined) throw new ThawError(`the checkpoint just written does not read back: ${problem}`, folder);
    if (existsSync(folder)) await removeCheckpointFolder(folder);
    await fs.rename(staging, folder);
    await syncFolder(checkpoints);
  } catch (error) {
    await fs.rm(staging, { recursive: true, force: true }).catch(() => undefined);
    // Named by where the file was to end up: the hidden staging folder is gone by now.
    if (isDiskFull(error) && error.path !== undefined) error.path = error.path.replace(staging, folder);
    throw asDiskFull(error, neededBytes, runFolder);
  }
  const previous = await readLatest(runFolder).catch(() => undefined);
  try {
    await writeFileAtomic(path.join(checkpoints, LATEST_FILE), `${JSON.stringify({ folder: label, periodic, globalStep: position.globalStep })}\n`);
  } catch (error) {
    throw asDiskFull(error, 1000, runFolder);
  }
  if (previous?.periodic && previous.folder !== label) await removeCheckpointFolder(checkpointFolder(runFolder, previous.folder));
  return folder;
}

/** So that a rename survives a power cut, not only a kill. */
async function syncFolder(folder: string): Promise<void> {
  const handle = await fs.open(folder, 'r');
  try {
    await handle.sync();
  } catch {
    // Some file systems cannot sync a directory; the rename is still atomic.
  } finally {
    await handle.close();
  }
}

/** Reads a checkpoint folder (checked whole beforehand by checkpointProblem). */
export async function loadCheckpoint(folder: string): Promise<LoadedCheckpoint> {
  const positionFile = path.join(folder, POSITION_FILE);
  const position = RunPosition.safeParse(await readJson(positionFile, 'a checkpoint records its position'));
  if (!position.success) throw new ThawError('is not a run position', positionFile);
  const optimizerFile = path.join(folder, OPTIMIZER_FILE);
  return { folder, position: position.data, optimizer: parseOptimizerState(await fs.readFile(optimizerFile), optimizerFile) };
}

/** The checkpoint latest.json names, or undefined when the run has none yet. */
export async function readLatestCheckpoint(runFolder: string): Promise<LoadedCheckpoint | undefined> {
  const latest = await readLatest(runFolder);
  return latest === undefined ? undefined : loadCheckpoint(checkpointFolder(runFolder, latest.folder));
}
