// The runs under a runs folder, and what the host needs to know of each: which experiment file
// it came from, the phases it completed, and what shaped it (model and tasks), read from the
// run folder alone. Hidden entries (.trash, partial checkpoints) belong to Thaw and are skipped.

import { existsSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { EXPERIMENT_FILE } from './run-folder';

export const EVENTS_FILE = 'events.jsonl';
export const CHECKPOINTS_FOLDER = 'checkpoints';

/** The run folders under `runsFolder`, newest first (run ids start with their UTC start time). */
export async function runFoldersNewestFirst(runsFolder: string): Promise<string[]> {
  if (!existsSync(runsFolder)) return [];
  const entries = await fs.readdir(runsFolder, { withFileTypes: true });
  const names = entries.filter((entry) => entry.isDirectory() && !entry.name.startsWith('.')).map((entry) => entry.name);
  return names.sort().reverse().map((name) => path.join(runsFolder, name));
}

/** The checkpoint a run writes at the end of a phase: checkpoints/phase-<index>-<name>. */
export function phaseEndCheckpoint(runFolder: string, phaseIndex: number, phaseName: string): string {
  return path.join(runFolder, CHECKPOINTS_FOLDER, `phase-${phaseIndex}-${phaseName}`);
}

export interface RunRecord {
  readonly folder: string;
  /** The experiment file the run was started from, as its run-start recorded it. */
  readonly experimentFile?: string;
  /** Phases with a phase-end: they ran to their end. */
  readonly completedPhases: readonly { readonly name: string; readonly index: number }[];
  /** What the run trained on: the recorded experiment's model and tasks, as JSON. */
  readonly forkKey?: string;
}

/** The part of an experiment that makes a checkpoint a fair start for another phase. */
export function forkKeyOf(experiment: { readonly model: string; readonly tasks: unknown }): string {
  return JSON.stringify({ model: experiment.model, tasks: experiment.tasks });
}

/** Reading stops here: events of runs far larger than this are not what the views need. */
const MAX_EVENTS_BYTES = 64 << 20;

/** Reads each run's record; an unreadable run is skipped (the Runs view reports those). */
export async function readRunRecords(runsFolder: string): Promise<RunRecord[]> {
  const records: RunRecord[] = [];
  for (const folder of await runFoldersNewestFirst(runsFolder)) {
    const record = await readRunRecord(folder).catch(() => undefined);
    if (record !== undefined) records.push(record);
  }
  return records;
}

async function readRunRecord(folder: string): Promise<RunRecord> {
  const completedPhases: { name: string; index: number }[] = [];
  let experimentFile: string | undefined;
  const events = path.join(folder, EVENTS_FILE);
  if (existsSync(events)) {
    const handle = await fs.open(events, 'r');
    try {
      const { size } = await handle.stat();
      const buffer = Buffer.alloc(Math.min(size, MAX_EVENTS_BYTES));
      await handle.read(buffer, 0, buffer.length, 0);
      for (const line of buffer.toString('utf8').split('\n')) {
        // Only two kinds of line matter here; a line torn by a kill is skipped.
        if (!line.includes('"run-start"') && !line.includes('"phase-end"')) continue;
        const event = parseLine(line);
        if (event?.type === 'run-start' && typeof event.experimentFile === 'string') experimentFile = event.experimentFile;
        if (event?.type === 'phase-end' && typeof event.phase === 'string' && typeof event.phaseIndex === 'number') completedPhases.push({ name: event.phase, index: event.phaseIndex });
      }
    } finally {
      await handle.close();
    }
  }
  const experiment = await fs
    .readFile(path.join(folder, EXPERIMENT_FILE), 'utf8')
    .then((text) => JSON.parse(text) as { model: string; tasks: unknown })
    .catch(() => undefined);
  return { folder, experimentFile, completedPhases, ...(experiment === undefined ? {} : { forkKey: forkKeyOf(experiment) }) };
}

function parseLine(line: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(line) as unknown;
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
