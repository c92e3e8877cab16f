// The comparison the panel sends: the runs' summaries, the config keys that differ and those they
// share, each run's curves read from its folder, and the runs' seed groups (run-groups.ts). No 'vscode' here, so tests build it from
// real run folders.

import { parseCompareHostToWebview, type ComparisonMessage } from '../../protocol/compare-messages';
import type { RunComparison, RunSummary } from '../../protocol/run-summary';
import { comparisonGroups } from './run-groups';
import { readRunSeries } from './run-series';

export interface ComparisonSources {
  /** The summaries of the runs in these folders, in order. */
  readonly summarize: (folders: readonly string[]) => Promise<RunSummary[]>;
  /** The config keys that differ among the summaries, and those they share. */
  readonly compare: (summaries: readonly RunSummary[]) => RunComparison;
}

/** Config values as JSON has them: a run without a key gets null, not a hole. */
function toJson<T>(value: unknown): T {
  return JSON.parse(JSON.stringify(value, (_key, entry: unknown) => (entry === undefined ? null : entry))) as T;
}

/**
 * Reads the runs in `folders` into the panel's message, checked against the protocol (a run
 * folder's contents are not trusted either): throws with the first problem.
 *
 * @example panel.postMessage(await comparisonMessage(folders, { summarize, compare }))
 */
export async function comparisonMessage(folders: readonly string[], sources: ComparisonSources): Promise<ComparisonMessage> {
  const summaries = await sources.summarize(folders);
  const comparison = sources.compare(summaries);
  const series = await Promise.all(summaries.map((run) => readRunSeries(run.folder, run.id, run.color)));
  // Runs of a sweep that differ only by seed are also drawn and tabulated as groups (mean ± std, n).
  const groups = comparisonGroups(summaries, series);
  const message = { type: 'comparison', runs: summaries, differing: toJson(comparison.differing), same: toJson(comparison.same), series, ...(groups === undefined ? {} : { groups }) };
  const checked = parseCompareHostToWebview(message);
  if (!checked.ok) throw new Error(`the comparison does not match the protocol: ${checked.error}`);
  return checked.value;
}
