// Does every checkpoint a run keeps load? Each folder under checkpoints/ with a normal name is
// checked, loaded as a model (as `thaw embed --model` would), and its optimizer state read;
// latest.json must name one of them.

import { existsSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { loadSentenceModel } from '../../src/trainer/model/load-sentence-model';
import { loadCheckpoint } from '../../src/trainer/train/checkpoint';
import { checkpointProblem } from '../../src/trainer/train/checkpoint-check';
import { readLatest } from '../../src/trainer/train/checkpoint-files';

export interface CheckpointAudit {
  readonly loaded: string[];
  /** Folder and what failed. */
  readonly unloadable: string[];
}

export async function auditCheckpoints(runFolder: string): Promise<CheckpointAudit> {
  const root = path.join(runFolder, 'checkpoints');
  const loaded: string[] = [];
  const unloadable: string[] = [];
  if (!existsSync(root)) return { loaded, unloadable };
  const folders = readdirSync(root, { withFileTypes: true }).filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'));
  for (const entry of folders) {
    const folder = path.join(root, entry.name);
    try {
      const problem = await checkpointProblem(folder);
      if (problem !== undefined) throw new Error(problem);
      await loadCheckpoint(folder);
      const model = await loadSentenceModel(folder);
      await model.dispose();
      loaded.push(entry.name);
    } catch (error) {
      unloadable.push(`${folder}: ${(error as Error).message}`);
    }
  }
  const latest = await readLatest(runFolder).catch((error: unknown) => ({ folder: `(latest.json unreadable: ${(error as Error).message})` }));
  if (latest !== undefined && !loaded.includes(latest.folder)) unloadable.push(`latest.json names ${latest.folder}, which does not load`);
  return { loaded, unloadable };
}
