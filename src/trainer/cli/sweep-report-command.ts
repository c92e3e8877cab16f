import { parseArgs } from 'node:util';
import { UsageError } from '../../core/errors';
import { printSweepComparison } from './compare-sweep';

/** `thaw sweep report SWEEP`: the groups and, for a --scenarios sweep, the scenario report. */
export async function runSweepReportCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { 'group-by': { type: 'string' }, baseline: { type: 'string' }, runs: { type: 'string' }, json: { type: 'boolean' } },
  });
  if (positionals.length !== 1) throw new UsageError('give one SWEEP (its id or manifest file): thaw sweep report SWEEP [--group-by KEY,...] [--baseline LABEL] [--runs FOLDER] [--json]');
  await printSweepComparison({ sweep: positionals[0], runsFolder: values.runs, groupBy: values['group-by'], baseline: values.baseline, json: values.json ?? false });
}
