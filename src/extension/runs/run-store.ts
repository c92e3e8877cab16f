// The host's way to the run folders: summaries, metadata and comparisons from src/core/runs,
// loaded on first use (not during activation). Every fact comes from the run folders.

import { compareRuns } from '../../core/runs/compare-runs';
import { listRuns } from '../../core/runs/list-runs';
import { updateRunMetadata, type RunMetadataUpdate } from '../../core/runs/run-metadata';
import { summarizeRun } from '../../core/runs/summarize-run';
import type { RunComparison, RunSummary } from '../../protocol/run-summary';

export function listRunSummaries(runsFolder: string): Promise<RunSummary[]> {
  return listRuns(runsFolder);
}

export function summarizeFolders(folders: readonly string[]): Promise<RunSummary[]> {
  return Promise.all(folders.map((folder) => summarizeRun(folder)));
}

export async function updateMetadata(folder: string, change: RunMetadataUpdate): Promise<void> {
  await updateRunMetadata(folder, change);
}

export function compareSummaries(summaries: readonly RunSummary[]): RunComparison {
  return compareRuns(summaries);
}
