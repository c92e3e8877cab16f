import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { UsageError } from '../../core/errors';
import { formatScenarioReport } from '../../core/sweeps/scenario-report';
import { findManifest, readManifest } from '../../core/sweeps/sweep-manifest';
import { formatGroups } from '../../core/sweeps/format-groups';
import { sweepGroups, sweepScenarioReport, taskNames } from '../../core/sweeps/sweep-results';

/** `thaw sweep report SWEEP`: the groups and, for a --scenarios sweep, the scenario report. */
export async function runSweepReportCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { 'group-by': { type: 'string' }, baseline: { type: 'string' }, runs: { type: 'string' }, json: { type: 'boolean' } },
  });
  if (positionals.length !== 1) throw new UsageError('give one SWEEP (its id or manifest file): thaw sweep report SWEEP [--group-by KEY,...] [--baseline LABEL] [--json]');
  const file = findManifest(positionals[0], values.runs === undefined ? undefined : [path.resolve(values.runs)]);
  const manifest = await readManifest(file);
  const groupBy = (values['group-by'] ?? 'seed').split(',').map((key) => key.trim()).filter((key) => key !== '');
  const groups = sweepGroups(manifest, groupBy, values.baseline);
  const scenarios = manifest.scenarios ? sweepScenarioReport(manifest) : undefined;
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ sweep: manifest.id, status: manifest.status, ...groups, ...(scenarios === undefined ? {} : { scenarios }) }, null, 2)}\n`);
    return;
  }
  process.stdout.write(`${formatGroups(groups)}\n`);
  if (scenarios !== undefined) process.stdout.write(`\n${formatScenarioReport(scenarios, taskNames(manifest))}\n`);
}
