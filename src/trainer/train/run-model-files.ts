// A run keeps its own copy of its model's companion files (tokenizer, configs) in
// runs/<id>/model-files/, copied once at the start. Every checkpoint takes them from there, so
// a checkpoint never depends on another checkpoint, another run or the model folder surviving.

import { existsSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { ThawError } from '../../core/errors';
import { writeFileAtomic } from '../../core/io/atomic-write';
import { COMPANION_FILES } from '../model/model-folder';

export const MODEL_FILES_FOLDER = 'model-files';

/** Without it no checkpoint could be loaded again. */
const REQUIRED_FILE = 'tokenizer.json';

/** The run's copy of the companion files. */
export function runModelFiles(runFolder: string): string {
  return path.join(runFolder, MODEL_FILES_FOLDER);
}

/**
 * Copies the companion files of model folder `source` into the run, unless the run has them
 * already (a resumed run keeps its own).
 */
export async function copyRunModelFiles(source: string, runFolder: string): Promise<string> {
  const target = runModelFiles(runFolder);
  if (existsSync(path.join(target, REQUIRED_FILE))) return target;
  if (!existsSync(path.join(source, REQUIRED_FILE))) throw new ThawError(`missing: ${REQUIRED_FILE} (a model folder needs its tokenizer)`, path.join(source, REQUIRED_FILE));
  for (const file of COMPANION_FILES) {
    const from = path.join(source, file);
    if (existsSync(from)) await writeFileAtomic(path.join(target, file), await fs.readFile(from));
  }
  return target;
}

/** Bytes the companion files take in each checkpoint. */
export async function modelFilesBytes(folder: string): Promise<number> {
  const sizes = await Promise.all(COMPANION_FILES.map((file) => fs.stat(path.join(folder, file)).then((stat) => stat.size, () => 0)));
  return sizes.reduce((sum, size) => sum + size, 0);
}
