// The runs of one or more runs folders as summaries, newest first. Hidden entries (`.trash`,
// sweep manifests, partial checkpoints) belong to Thaw and are skipped; any other folder is a
// run, or `damaged`. Runs are read a few at a time: most of the work is waiting on the disk.

import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { RunSummary } from '../../protocol/run-summary';
import { ThawError } from '../errors';
import { RunColors } from './run-colors';
import { runFoldersNewestFirst } from './run-listing';
import { summarizeRun, type SummarizeOptions } from './summarize-run';

const CONCURRENT_READS = 16;

/**
 * Summaries of the runs under `runsFolders`, newest first (by start time; a damaged run by its
 * folder name). A folder listed twice is read once. A runs folder that does not exist is an error.
 *
 * @example const runs = await listRuns(['runs', '/data/more-runs'])
 */
export async function listRuns(runsFolders: string | readonly string[], options: Pick<SummarizeOptions, 'cache'> = {}): Promise<RunSummary[]> {
  const summaries: RunSummary[] = [];
  const seen = new Set<string>();
  for (const runsFolder of typeof runsFolders === 'string' ? [runsFolders] : runsFolders) {
    const resolved = path.resolve(runsFolder);
    if (seen.has(resolved)) continue;
    seen.add(resolved);
    if (!existsSync(resolved)) throw new ThawError('runs folder does not exist', resolved);
    const folders = await runFoldersNewestFirst(resolved);
    const colors = new RunColors(resolved);
    summaries.push(...(await mapConcurrently(folders, (folder) => summarizeRun(folder, { ...options, colors }))));
  }
  return summaries.sort(newestFirst);
}

/** By start time; a run that has none (damaged, just starting) by the time its id begins with, else last. */
function newestFirst(a: RunSummary, b: RunSummary): number {
  return sortKey(b).localeCompare(sortKey(a)) || b.id.localeCompare(a.id);
}

const ID_TIME = /^(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})/;

function sortKey(summary: RunSummary): string {
  if (summary.startedAt !== undefined) return summary.startedAt;
  const match = ID_TIME.exec(summary.id);
  return match === null ? '' : `${match[1]}-${match[2]}-${match[3]}T${match[4]}:${match[5]}:${match[6]}`;
}

async function mapConcurrently<T, R>(items: readonly T[], map: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await map(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENT_READS, items.length) }, worker));
  return results;
}
