// A sweep's results, read from its manifest and its runs' folders: the groups of
// `thaw sweep report` (and `thaw runs compare --sweep`) and the scenario report.

import * as path from 'node:path';
import { readRunHistory, taskOutcomes } from './run-history';
import { scenarioReport, type ScenarioReport } from './scenario-report';
import { groupRuns, type SweepGroups } from './sweep-groups';
import { variantRunFolders, type SweepManifest } from './sweep-manifest';
import type { VariantKeys } from './sweep-variants';

/** The variants whose runs have started, with their run folders. */
function startedVariants(manifest: SweepManifest): { keys: VariantKeys; folder: string }[] {
  const folders = variantRunFolders(manifest);
  return manifest.variants.flatMap((variant, index) => (folders[index] === undefined ? [] : [{ keys: variant.keys as VariantKeys, folder: folders[index] }]));
}

/**
 * The sweep's runs grouped by their variants without `groupBy` (run ids are folder names).
 *
 * @example sweepGroups(await readManifest(file), ['seed']).groups.map((group) => group.n)
 */
export function sweepGroups(manifest: SweepManifest, groupBy: readonly string[] = ['seed'], baseline?: string): SweepGroups {
  const runs = startedVariants(manifest).map(({ keys, folder }) => ({ id: path.basename(folder), keys, tasks: taskOutcomes(readRunHistory(folder)) }));
  return groupRuns(runs, groupBy, baseline);
}

export function sweepScenarioReport(manifest: SweepManifest): ScenarioReport {
  return scenarioReport(startedVariants(manifest).map(({ keys, folder }) => ({ keys, history: readRunHistory(folder) })));
}

/** The tasks' names, as the sweep's experiment gives them. */
export function taskNames(manifest: SweepManifest): Record<string, string> {
  const tasks = (manifest.runs[0]?.experiment.tasks ?? {}) as Record<string, { name?: string } | undefined>;
  return Object.fromEntries(Object.entries(tasks).flatMap(([key, task]) => (task?.name === undefined ? [] : [[key, task.name]])));
}
