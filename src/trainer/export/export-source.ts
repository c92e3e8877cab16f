// What `thaw export SOURCE` exports: a run folder (its latest checkpoint), a checkpoint folder,
// or a model folder. Each resolves to the model folder holding the weights, and, for a run or
// one of its checkpoints, the run it came from and where in the run the checkpoint stands.

import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { ThawError } from '../../core/errors';
import { readJson } from '../../core/io/read-json';
import { EXPERIMENT_FILE } from '../../core/runs/run-folder';
import { checkpointProblem } from '../train/checkpoint-check';
import { CHECKPOINTS_FOLDER, POSITION_FILE, RunPosition, checkpointFolder, readLatest } from '../train/checkpoint-files';

export interface ExportSource {
  /** A folder with config.json, model.safetensors and the tokenizer files. */
  readonly modelFolder: string;
  /** The run the checkpoint belongs to, when there is one. */
  readonly run?: { readonly folder: string; readonly position: RunPosition };
}

/** Resolves SOURCE; anything that is none of the three is an error saying what each needs. */
export async function resolveExportSource(source: string): Promise<ExportSource> {
  const resolved = path.resolve(source);
  if (!existsSync(resolved)) throw new ThawError('no such run, checkpoint or model folder', resolved);
  if (existsSync(path.join(resolved, CHECKPOINTS_FOLDER)) || existsSync(path.join(resolved, EXPERIMENT_FILE))) {
    const latest = await readLatest(resolved);
    if (latest === undefined) throw new ThawError('this run has no checkpoint yet: nothing to export', resolved);
    return fromCheckpoint(checkpointFolder(resolved, latest.folder), resolved);
  }
  if (existsSync(path.join(resolved, POSITION_FILE))) {
    const run = path.dirname(path.dirname(resolved));
    return fromCheckpoint(resolved, existsSync(path.join(run, EXPERIMENT_FILE)) ? run : undefined);
  }
  if (existsSync(path.join(resolved, 'config.json'))) return { modelFolder: resolved };
  throw new ThawError(`not a run folder (with ${CHECKPOINTS_FOLDER}/), a checkpoint folder (with ${POSITION_FILE}) or a model folder (with config.json)`, resolved);
}

async function fromCheckpoint(folder: string, run: string | undefined): Promise<ExportSource> {
  const problem = await checkpointProblem(folder);
  if (problem !== undefined) throw new ThawError(`the checkpoint is damaged (${problem})`, folder);
  const position = RunPosition.parse(await readJson(path.join(folder, POSITION_FILE), ''));
  return { modelFolder: folder, ...(run === undefined ? {} : { run: { folder: run, position } }) };
}
