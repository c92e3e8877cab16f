// The groups of a sweep for people (text) or programs (--json): `thaw sweep report SWEEP`, and
// the hook for `thaw runs compare --sweep ID [--group-by KEY] [--json] [FOLDER]`, which calls
// printSweepComparison with its options. Loads no TensorFlow.js.

import * as path from 'node:path';
import { formatGroups } from '../../core/sweeps/format-groups';
import { formatScenarioReport } from '../../core/sweeps/scenario-report';
import { findManifest, readManifest } from '../../core/sweeps/sweep-manifest';
import { sweepGroups, sweepScenarioReport, taskNames } from '../../core/sweeps/sweep-results';

export interface SweepComparisonOptions {
  /** The sweep's id or its manifest file. */
  readonly sweep: string;
  /** Where to look for the id (default ./runs). */
  readonly runsFolder?: string;
  /** Keys whose values a group's runs may differ in (default: seed); "a,b" splits. */
  readonly groupBy?: string;
  /** The label of the baseline group for p-values (default: the first group of 3 or more). */
  readonly baseline?: string;
  readonly json: boolean;
}

/** The sweep's groups (and scenario report) as JSON: `{sweep, status, groupBy, baseline?, groups, scenarios?}`. */
export async function sweepComparison(options: Omit<SweepComparisonOptions, 'json'>): Promise<Record<string, unknown> & { text: string }> {
  const file = findManifest(options.sweep, options.runsFolder === undefined ? undefined : [path.resolve(options.runsFolder)]);
  const manifest = await readManifest(file);
  const groupBy = (options.groupBy ?? 'seed').split(',').map((key) => key.trim()).filter((key) => key !== '');
  const groups = sweepGroups(manifest, groupBy, options.baseline);
  const scenarios = manifest.scenarios ? sweepScenarioReport(manifest) : undefined;
  const text = [formatGroups(groups), ...(scenarios === undefined ? [] : ['', formatScenarioReport(scenarios, taskNames(manifest))])].join('\n');
  return { sweep: manifest.id, manifest: file, status: manifest.status, ...groups, ...(scenarios === undefined ? {} : { scenarios }), text };
}

export async function printSweepComparison(options: SweepComparisonOptions): Promise<void> {
  const { text, ...json } = await sweepComparison(options);
  process.stdout.write(options.json ? `${JSON.stringify(json, null, 2)}\n` : `${text}\n`);
}
