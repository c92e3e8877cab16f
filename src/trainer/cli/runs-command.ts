// `thaw runs list` and `thaw runs compare`: run folders as tables for people, and with --json
// as the stable JSON that scripts read (RunSummary[] and RunComparison, README "Runs").

import { existsSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import type { RunSummary, TaskResult } from '../../protocol/run-summary';
import { ThawError, UsageError } from '../../core/errors';
import { compareRuns } from '../../core/runs/compare-runs';
import { listRuns } from '../../core/runs/list-runs';
import { summarizeRun } from '../../core/runs/summarize-run';
import { formatDuration, formatMetric, formatPhaseEngines } from '../../core/vocabulary/format';
import { textTable } from './text-table';

const HELP = `Usage: thaw runs list [RUNS_FOLDER...] [--json]
       thaw runs compare RUN_FOLDER RUN_FOLDER... [--json]
       thaw runs compare --sweep ID [--group-by KEY,...] [--baseline LABEL] [--json] [RUNS_FOLDER]

list: the runs under each runs folder (default ./runs), newest first: status, id, name,
phases, steps, final validation accuracy per task, duration. --json prints the summaries as a
JSON array.
compare: the settings that differ among the runs, and their metrics. --json prints
{runs, differing, same}.
Both forms of JSON are stable; the README describes them.
`;

export async function runRunsCommand(args: string[]): Promise<void> {
  const [subcommand, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: { json: { type: 'boolean' }, sweep: { type: 'string' }, 'group-by': { type: 'string' }, baseline: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (subcommand === '--help' || subcommand === '-h' || values.help) {
    process.stdout.write(HELP);
    return;
  }
  if (subcommand === 'list') return listCommand(positionals.length > 0 ? positionals : ['runs'], values.json ?? false);
  if (subcommand === 'compare' && values.sweep !== undefined) {
    // A sweep's runs, in groups that differ only by --group-by (default: seed), with statistics.
    if (positionals.length > 1) throw new UsageError('with --sweep, give at most one runs FOLDER to find the sweep in');
    const { printSweepComparison } = await import('./compare-sweep.js');
    return printSweepComparison({ sweep: values.sweep, runsFolder: positionals[0], groupBy: values['group-by'], baseline: values.baseline, json: values.json ?? false });
  }
  if (values['group-by'] !== undefined || values.baseline !== undefined) throw new UsageError('--group-by and --baseline go with --sweep ID');
  if (subcommand === 'compare') return compareCommand(positionals, values.json ?? false);
  throw new UsageError(`${subcommand === undefined ? 'give a subcommand' : `unknown subcommand "${subcommand}"`}: list or compare\n\n${HELP}`);
}

async function listCommand(folders: string[], json: boolean): Promise<void> {
  const runs = await listRuns(folders);
  if (json) {
    process.stdout.write(`${JSON.stringify(runs, null, 2)}\n`);
    return;
  }
  if (runs.length === 0) {
    process.stdout.write(`no runs in ${folders.join(', ')}\n`);
    return;
  }
  const header = ['STATUS', 'ID', 'NAME', 'PHASES', 'STEPS', 'ACC A', 'ACC B', 'DURATION'];
  process.stdout.write(textTable([header, ...runs.map(listRow)]));
  const damaged = runs.filter((run) => run.status === 'damaged');
  for (const run of damaged) process.stdout.write(`${run.id}: ${run.problem ?? 'damaged'}\n`);
}

function listRow(run: RunSummary): string[] {
  const status = run.status === 'running' && run.progress !== undefined ? `running ${run.progress.step}/${run.progress.totalSteps}` : run.status;
  return [status, run.id, run.name, run.phases.join(',') || '-', String(run.steps), accuracy(run.tasks.a?.final), accuracy(run.tasks.b?.final), run.durationMs === undefined ? '-' : formatDuration(run.durationMs)];
}

const accuracy = (result: { accuracy: number } | undefined): string => (result === undefined ? '-' : `${(result.accuracy * 100).toFixed(1)}%`);

async function compareCommand(folders: string[], json: boolean): Promise<void> {
  if (folders.length < 2) throw new UsageError(`give two or more run folders to compare\n\n${HELP}`);
  const runs: RunSummary[] = [];
  for (const folder of folders) {
    if (!existsSync(folder) || !statSync(folder).isDirectory()) throw new ThawError('run folder does not exist', path.resolve(folder));
    const summary = await summarizeRun(folder);
    if (summary.status === 'damaged') throw new ThawError(`cannot be compared: ${summary.problem ?? 'damaged'}`, summary.folder);
    runs.push(summary);
  }
  const comparison = compareRuns(runs);
  if (json) {
    process.stdout.write(`${JSON.stringify(comparison, null, 2)}\n`);
    return;
  }
  const differing = Object.entries(comparison.differing).map(([key, values]) => [key, ...values.map(display)]);
  const metrics = (label: string, cell: (run: RunSummary) => string) => [label, ...runs.map(cell)];
  const task = (key: 'a' | 'b', pick: (result: TaskResult) => number | undefined) => (run: RunSummary) => {
    const result = run.tasks[key];
    const value = result === undefined ? undefined : pick(result);
    return value === undefined ? '-' : formatMetric(value);
  };
  const rows = [
    ['', ...runs.map((run) => run.id)],
    metrics('run name', (run) => run.name),
    metrics('status', (run) => run.status),
    ...(differing.length > 0 ? differing : [['(no setting differs)', ...runs.map(() => '')]]),
    // The config says what was asked for ("engine": "auto"); this is what trained each phase.
    ...(runs.some((run) => run.phaseEngines !== undefined) ? [metrics('training engine', (run) => formatPhaseEngines(run.phaseEngines) ?? '-')] : []),
    ...(['a', 'b'] as const).flatMap((key) =>
      runs.some((run) => run.tasks[key] !== undefined)
        ? [
            metrics(`${key} final accuracy`, task(key, (result) => result.final?.accuracy)),
            metrics(`${key} best accuracy`, task(key, (result) => result.best?.accuracy)),
            metrics(`${key} final macro-F1`, task(key, (result) => result.final?.macroF1)),
            metrics(`${key} final loss`, task(key, (result) => result.final?.loss)),
          ]
        : [],
    ),
    metrics('steps', (run) => String(run.steps)),
    metrics('duration', (run) => (run.durationMs === undefined ? '-' : formatDuration(run.durationMs))),
    metrics('trainable parameters', (run) => (run.trainableParameters === undefined ? '-' : String(run.trainableParameters))),
  ];
  process.stdout.write(textTable(rows));
}

function display(value: unknown): string {
  if (value === null || value === undefined) return '-';
  return typeof value === 'string' ? value : JSON.stringify(value);
}
