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

/** The run folders under `runsFolder`, newest first (run ids start with their UTC start time). */
export async function runFoldersNewestFirst(runsFolder: string): Promise<string[]> {
  if (!existsSync(runsFolder)) return [];
  const names = (await fs.readdir(runsFolder)).filter((name) => !name.startsWith('.'));
  return names.sort().reverse().map((name) => path.join(runsFolder, name));
}

/**
 * The newest warm-up checkpoint under `runsFolder`: the latest checkpoint of the newest run
 * that trained a warm-up phase (finished, or stopped part-way), as a model folder.
 */
export async function latestWarmUpCheckpoint(runsFolder: string): Promise<string | undefined> {
  for (const run of await runFoldersNewestFirst(runsFolder)) {
    const latest = path.join(run, 'checkpoints', 'latest.json');
    const experiment = path.join(run, 'experiment.json');
    if (!existsSync(latest) || !existsSync(experiment)) continue;
    const phases = (JSON.parse(await fs.readFile(experiment, 'utf8')) as { phases?: { name?: string }[] }).phases ?? [];
    if (!phases.some((phase) => phase.name === 'warm-up')) continue;
    const { folder } = JSON.parse(await fs.readFile(latest, 'utf8')) as { folder: string };
    return path.join(run, 'checkpoints', folder);
  }
  return undefined;
}
