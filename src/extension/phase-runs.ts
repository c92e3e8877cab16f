// Files the host writes to start a phase, and the checkpoints it starts from. Plain Node.

import { existsSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { ResolvedExperiment } from '../trainer/experiment/load-experiment';
import type { PhaseInput } from '../trainer/experiment/experiment-schema';

/**
 * Writes the experiment for one phase: the selected experiment with that phase alone, its
 * model (or a checkpoint to start from) and its runs folder. Returns the file's path.
 */
export async function writePhaseExperiment(experiment: ResolvedExperiment, phase: PhaseInput, model: string, runsFolder: string): Promise<string> {
  const folder = path.join(runsFolder, '.thaw');
  await fs.mkdir(folder, { recursive: true });
  const stamp = new Date().toISOString().replace(/[-:.]/g, '').slice(0, 15);
  const file = path.join(folder, `${stamp}-${phase.name}.thaw.json`);
  const json = { ...experiment, file: undefined, preset: undefined, recipeFrozenHead: undefined, model, phases: [phase], output: runsFolder };
  await fs.writeFile(file, `${JSON.stringify(json, null, 2)}\n`);
  return file;
}

/** The newest run's warm-up checkpoint (a model folder) under `runsFolder`, if any. */
export async function latestWarmUpCheckpoint(runsFolder: string): Promise<string | undefined> {
  if (!existsSync(runsFolder)) return undefined;
  const runs = (await fs.readdir(runsFolder)).filter((name) => !name.startsWith('.')).sort().reverse();
  for (const run of runs) {
    const checkpoints = path.join(runsFolder, run, 'checkpoints');
    if (!existsSync(checkpoints)) continue;
    const warmUp = (await fs.readdir(checkpoints)).filter((name) => /^phase-\d+-warm-up$/.test(name)).sort().at(-1);
    if (warmUp !== undefined) return path.join(checkpoints, warmUp);
  }
  return undefined;
}
