import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { ThawError, UsageError } from '../../core/errors';
import type { Phase } from '../../core/experiment/experiment-schema';
import { findManifest, readManifest, type SweepManifest } from '../../core/sweeps/sweep-manifest';
import { formatScenarioReport } from '../../core/sweeps/scenario-report';
import { sweepScenarioReport, taskNames } from '../../core/sweeps/sweep-results';
import { parseSweepEvent, type SweepEvent } from '../../protocol/sweep-events';
import { planSweep } from '../sweep/plan-sweep';
import { runSweep } from '../sweep/run-sweep';
import { engineOption, threadsOption } from './options';
import { ProgressLine } from './progress-line';
import { listenForStop } from './stop-signal';
import { runSweepReportCommand } from './sweep-report-command';
import { SweepProgress } from './sweep-progress';

const HELP = `Usage: thaw sweep EXPERIMENT [--scenarios] [--output FOLDER] [--json] [--dry-run] [--threads N] [--engine E]
       thaw sweep --resume SWEEP_ID|MANIFEST [--runs FOLDER] [--json] [--threads N] [--engine E]
       thaw sweep report SWEEP_ID|MANIFEST [--group-by KEY,...] [--baseline LABEL] [--runs FOLDER] [--json]

Runs every variant of the experiment's "sweep" (each combination of grid values and seeds)
as a run, one at a time. --scenarios makes the freezing scenarios the variants (freeze-all,
freeze-encoder, freeze-head-a, freeze-head-b, recipe, and recipe with recipeFrozenHead when
the file sets it), combined with the grid and seeds when the file has them. Variants that agree
on their first phases share one run of them; each continues from its checkpoint.
Before it starts, the plan is printed (each variant's phases, the runs, the steps); --dry-run
stops there. --output puts the runs elsewhere than the file's "output". The sweep's manifest
is <output>/.sweeps/<id>.json. Progress goes to stderr;
--json prints every trainer event and sweep event (sweep-plan, sweep-start, sweep-progress,
sweep-run-end, sweep-end) as JSON lines on stdout.

SIGTERM, or {"type":"stop"} over IPC, finishes the current step, checkpoints and exits 0;
--resume skips the finished runs and resumes the interrupted one. --runs is where to look for
a sweep id (default: ./runs). --threads N and --engine E: as in thaw train.

report: the sweep's runs grouped by their variant without the --group-by keys (default: seed),
each group's n and per task mean, std, min and max of the final and best accuracy and
macro-F1, with Welch's p-value against the baseline group (default: the first) when two or
more groups have at least 3 runs; and the scenario report for a --scenarios sweep.
`;

export async function runSweepCommand(args: string[]): Promise<void> {
  if (args[0] === 'report') return runSweepReportCommand(args.slice(1));
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      scenarios: { type: 'boolean' },
      resume: { type: 'string' },
      runs: { type: 'string' },
      output: { type: 'string' },
      json: { type: 'boolean' },
      'dry-run': { type: 'boolean' },
      threads: { type: 'string' },
      engine: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  if ((positionals.length === 1) === (values.resume !== undefined) || positionals.length > 1) {
    throw new UsageError(`give one EXPERIMENT file or --resume SWEEP\n\n${HELP}`);
  }
  if (values.resume !== undefined && (values.scenarios || values['dry-run'] || values.output !== undefined)) throw new UsageError('--resume continues a sweep as it was planned; it takes no --scenarios, --output or --dry-run');
  const threads = threadsOption(values.threads);
  const engine = engineOption(values.engine);
  const line = new ProgressLine();
  let manifest: SweepManifest;
  let manifestFile: string;
  if (values.resume !== undefined) {
    manifestFile = findManifest(values.resume, values.runs === undefined ? undefined : [path.resolve(values.runs)]);
    manifest = await readManifest(manifestFile);
    if (manifest.status === 'completed') throw new ThawError('this sweep has completed; nothing to resume', manifestFile);
  } else {
    ({ manifest, manifestFile } = await planSweep(positionals[0], { scenarios: values.scenarios ?? false, output: values.output }));
    const preview = describePlan(manifest);
    line.done(preview);
    if (values.json) process.stdout.write(`${JSON.stringify(planEvent(manifest, manifestFile, preview))}\n`);
    if (values['dry-run']) return;
  }
  const stop = listenForStop('thaw sweep');
  const progress = new SweepProgress(line);
  try {
    const outcome = await runSweep({
      manifest,
      manifestFile,
      resumed: values.resume !== undefined,
      stop,
      json: values.json ?? false,
      ipc: true,
      onTrainerEvent: (event) => progress.trainer(event),
      onSweepEvent: (event) => progress.sweep(event),
      report: (done) => (done.scenarios ? sweepScenarioReport(done) : undefined),
      threads,
      engine,
    });
    if (outcome.status === 'stopped') line.done(`thaw sweep: stopped; continue with: thaw sweep --resume ${manifestFile}`);
    else if (manifest.scenarios && !values.json) process.stdout.write(`${formatScenarioReport(sweepScenarioReport(manifest), taskNames(manifest))}\n`);
  } finally {
    process.removeAllListeners('SIGTERM');
    if (process.connected) process.disconnect();
  }
}

function describePhase(phase: Phase): string {
  const length = phase.steps !== undefined ? `${phase.steps} steps` : `${phase.epochs} epoch${phase.epochs === 1 ? '' : 's'}`;
  const rates = Object.entries(phase.lr).map(([group, rate]) => `${group} ${rate}`).join(', ');
  return `${phase.name} (${length}; frozen: ${phase.frozen.join(', ') || 'nothing'}${phase.evaluateOnly ? '; evaluate only' : `; lr ${rates || '-'}`})`;
}

function planEvent(manifest: SweepManifest, manifestFile: string, preview: string): SweepEvent {
  const parsed = parseSweepEvent({
    type: 'sweep-plan',
    time: new Date().toISOString(),
    sweepId: manifest.id,
    manifest: manifestFile,
    variants: manifest.variants,
    runs: manifest.runs.map((run) => ({ id: run.id, ...(run.parent === undefined ? {} : { parent: run.parent }), phases: run.phases, steps: run.steps, status: run.status })),
    totalSteps: manifest.runs.reduce((sum, run) => sum + run.steps, 0),
    unsharedSteps: unsharedSteps(manifest),
    preview,
  });
  if (!parsed.ok) throw new Error(`sweep bug: invalid sweep-plan event: ${parsed.error}`);
  return parsed.value;
}

/** Steps if every variant ran all its phases alone. */
function unsharedSteps(manifest: SweepManifest): number {
  return manifest.variants.reduce((sum, variant) => {
    let steps = 0;
    for (let id: string | undefined = variant.run; id !== undefined; ) {
      const entry = manifest.runs.find((run) => run.id === id)!;
      steps += entry.steps;
      id = entry.parent;
    }
    return sum + steps;
  }, 0);
}

/** The preview before a sweep starts: each variant's resolved phases, its runs, and its size. */
export function describePlan(manifest: SweepManifest): string {
  const lines = [`thaw sweep: ${manifest.id}: ${manifest.variants.length} variant${manifest.variants.length === 1 ? '' : 's'} of ${manifest.experimentFile}`];
  for (const variant of manifest.variants) {
    const chain: string[] = [];
    for (let id: string | undefined = variant.run; id !== undefined; ) {
      const entry = manifest.runs.find((run) => run.id === id)!;
      chain.unshift(id);
      id = entry.parent;
    }
    const run = manifest.runs.find((entry) => entry.id === variant.run)!;
    const phases = (run.experiment.phases as Phase[]).map(describePhase).join(' -> ');
    lines.push(`  ${variant.label}: ${phases}  [runs ${chain.join(' -> ')}]`);
  }
  lines.push('runs:');
  for (const run of manifest.runs) {
    const shared = run.variants.length === 0 ? ' (shared)' : '';
    lines.push(`  ${run.id}${run.parent === undefined ? '' : ` continues ${run.parent}`}: ${run.phases.join(', ')}, ${run.steps} steps${shared}`);
  }
  const total = manifest.runs.reduce((sum, run) => sum + run.steps, 0);
  const unshared = unsharedSteps(manifest);
  lines.push(`size: ${manifest.variants.length} variants, ${total} steps in ${manifest.runs.length} runs (${unshared} steps if every variant ran alone)`);
  return lines.join('\n');
}
