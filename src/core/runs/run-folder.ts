// A run is a folder: runs/<id>/ with the resolved experiment, events.jsonl and checkpoints/.
// The folder alone is enough to resume the run, draw its charts again, or compare it.

import { existsSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { ThawError } from '../errors';
import { parseExperiment, type ResolvedExperiment } from '../experiment/load-experiment';
import { writeFileAtomic } from '../io/atomic-write';
import { readJson } from '../io/read-json';

export const EXPERIMENT_FILE = 'experiment.json';

/** `20261127-091500-my-experiment`, with a suffix when that folder exists already. */
function runId(name: string, now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${name.replace(/[^\w.-]+/g, '_')}`;
}

/** Creates the folder of a new run and records the resolved experiment in it. */
export async function createRunFolder(experiment: ResolvedExperiment, now = new Date()): Promise<{ id: string; folder: string }> {
  let id = runId(experiment.name, now);
  for (let suffix = 2; existsSync(path.join(experiment.output, id)); suffix++) id = `${runId(experiment.name, now)}-${suffix}`;
  const folder = path.join(experiment.output, id);
  await fs.mkdir(folder, { recursive: true });
  // The file's own path is where it was read from, not part of the experiment.
  await writeFileAtomic(path.join(folder, EXPERIMENT_FILE), `${JSON.stringify({ ...experiment, file: undefined }, null, 2)}\n`);
  return { id, folder };
}

/** The experiment a run recorded, for resuming it. */
export async function readRunExperiment(runFolder: string): Promise<ResolvedExperiment> {
  if (!existsSync(runFolder)) throw new ThawError('run folder does not exist', runFolder);
  const file = path.join(runFolder, EXPERIMENT_FILE);
  const json = (await readJson(file, 'a run folder records its experiment')) as Record<string, unknown>;
  // The recorded experiment is resolved: absolute paths, phases expanded (no preset).
  return { ...parseExperiment({ ...json, preset: undefined }, file), output: path.dirname(path.resolve(runFolder)) };
}
