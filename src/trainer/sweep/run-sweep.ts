// Runs a sweep's runs one at a time (one trainer on a small machine), parents before children:
// a branch continues from its parent's last phase-end checkpoint (runTraining({from}), which
// records forkedFrom). The manifest is rewritten as each run starts and ends, so a stop or a
// kill leaves it saying which runs are done; `thaw sweep --resume` skips those and resumes the
// interrupted one with thaw train --resume semantics.

import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { EngineChoice } from '../../core/vocabulary/engines';
import { ThawError } from '../../core/errors';
import { parseExperiment, type ResolvedExperiment } from '../../core/experiment/load-experiment';
import { phaseEndCheckpoint } from '../../core/runs/run-listing';
import { writeManifest, type SweepManifest, type SweepRunEntry } from '../../core/sweeps/sweep-manifest';
import { parseSweepEvent, type SweepEvent, type SweepEventBody } from '../../protocol/sweep-events';
import type { SweepMembership, TrainerEvent } from '../../protocol/trainer-events';
import { EventSink } from '../train/event-sink';
import { readRunRecord } from '../train/run-record';
import { runTraining } from '../train/run-training';
import type { StopSignal } from '../train/trainer';

export interface SweepRunOptions {
  readonly manifest: SweepManifest;
  readonly manifestFile: string;
  readonly resumed: boolean;
  readonly stop: StopSignal;
  /** Print every trainer and sweep event as a JSON line on stdout. */
  readonly json?: boolean;
  /** Send them to the parent process too (when there is an IPC channel). */
  readonly ipc?: boolean;
  readonly onTrainerEvent?: (event: TrainerEvent) => void;
  readonly onSweepEvent?: (event: SweepEvent) => void;
  /** What sweep-end carries when the sweep completes (the scenario report). */
  readonly report?: (manifest: SweepManifest) => unknown;
  /** ONNX Runtime's threads for the frozen encoder of every run (thaw sweep --threads). */
  readonly threads?: number;
  /** The training engine of every run (thaw sweep --engine), over the experiment's "engine". */
  readonly engine?: EngineChoice;
}

export interface SweepOutcome {
  readonly status: 'completed' | 'stopped';
  readonly manifest: SweepManifest;
}

/** The experiment a sweep run records, as the trainer takes it. */
export function runExperiment(entry: SweepRunEntry, manifest: SweepManifest): ResolvedExperiment {
  const preset = entry.experiment.preset as ResolvedExperiment['preset'];
  const parsed = parseExperiment({ ...entry.experiment, preset: undefined }, manifest.experimentFile);
  return { ...parsed, ...(preset === undefined ? {} : { preset }) };
}

function membership(entry: SweepRunEntry, manifest: SweepManifest): SweepMembership {
  const variant = entry.variants[0];
  if (variant !== undefined) return { id: manifest.id, variant: manifest.variants[variant].keys };
  // A shared prefix: the keys its variants agree on.
  const below = manifest.variants.filter((_, index) => descends(manifest, manifest.variants[index].run, entry.id));
  const common = Object.fromEntries(Object.entries(below[0]?.keys ?? {}).filter(([key, value]) => below.every((other) => JSON.stringify(other.keys[key]) === JSON.stringify(value))));
  return { id: manifest.id, variant: common, shared: true };
}

function descends(manifest: SweepManifest, run: string, ancestor: string): boolean {
  for (let id: string | undefined = run; id !== undefined; id = manifest.runs.find((entry) => entry.id === id)?.parent) if (id === ancestor) return true;
  return false;
}

function ancestorSteps(manifest: SweepManifest, entry: SweepRunEntry): number {
  let steps = 0;
  for (let id = entry.parent; id !== undefined; ) {
    const parent = manifest.runs.find((candidate) => candidate.id === id)!;
    steps += parent.steps;
    id = parent.parent;
  }
  return steps;
}

function variantsOf(entry: SweepRunEntry, manifest: SweepManifest): string {
  return entry.variants.length === 0 ? `shared ${entry.phases.join(', ')}` : entry.variants.map((index) => manifest.variants[index].label).join('; ');
}

/**
 * Runs the sweep in `options.manifest` to its end or a stop request.
 *
 * @example await runSweep({ ...(await planSweep(file)), resumed: false, stop: { requested: false } })
 */
export async function runSweep(options: SweepRunOptions): Promise<SweepOutcome> {
  const { manifest, manifestFile, stop } = options;
  let saving = Promise.resolve();
  const save = () => (saving = saving.then(() => writeManifest(manifestFile, manifest)));
  const emit = (body: SweepEventBody) => {
    const parsed = parseSweepEvent({ ...body, time: new Date().toISOString() });
    if (!parsed.ok) throw new Error(`sweep bug: invalid ${body.type} event: ${parsed.error}`);
    if (options.json) process.stdout.write(`${JSON.stringify(parsed.value)}\n`);
    if (options.ipc && process.send !== undefined && process.connected) process.send(parsed.value);
    options.onSweepEvent?.(parsed.value);
  };
  const started = performance.now();
  const total = manifest.runs.reduce((sum, entry) => sum + entry.steps, 0);
  manifest.status = 'running';
  await save();
  emit({
    type: 'sweep-start',
    sweepId: manifest.id,
    manifest: manifestFile,
    variants: manifest.variants,
    runs: manifest.runs.map((entry) => ({ id: entry.id, ...(entry.parent === undefined ? {} : { parent: entry.parent }), phases: entry.phases, steps: entry.steps, status: entry.status })),
    totalSteps: total,
    resumed: options.resumed,
  });
  let stepsThisInvocation = 0;
  try {
    for (const entry of manifest.runs) {
      if (entry.status === 'completed') continue;
      if (stop.requested) return await finish('stopped');
      const done = manifest.runs.filter((other) => other.status === 'completed');
      const doneSteps = done.reduce((sum, other) => sum + other.steps, 0);
      const base = ancestorSteps(manifest, entry);
      const variant = variantsOf(entry, manifest);
      const progress = (globalStep: number) => {
        const stepsDone = doneSteps + Math.min(entry.steps, Math.max(0, globalStep - base));
        const elapsed = performance.now() - started;
        const etaMs = stepsThisInvocation > 0 ? Math.round((elapsed / stepsThisInvocation) * (total - stepsDone)) : undefined;
        emit({ type: 'sweep-progress', sweepId: manifest.id, done: stepsDone, total, runsDone: done.length, runsTotal: manifest.runs.length, run: entry.id, variant, ...(etaMs === undefined ? {} : { etaMs }) });
      };
      const sink = new EventSink({
        stdout: options.json ?? false,
        ipc: options.ipc ?? false,
        listener: (event) => {
          if (event.type === 'run-start') {
            entry.runFolder = event.runFolder;
            entry.status = 'running';
            void save();
          }
          if (event.type === 'step') stepsThisInvocation += 1;
          options.onTrainerEvent?.(event);
          if (event.type === 'step') progress(event.globalStep);
        },
      });
      progress(base);
      const result = await trainEntry(entry, manifest, { sink, stop, threads: options.threads, engine: options.engine });
      entry.runFolder = result.runFolder;
      entry.status = result.status;
      await save();
      emit({ type: 'sweep-run-end', sweepId: manifest.id, run: entry.id, runFolder: result.runFolder, status: result.status });
      if (result.status === 'stopped') return await finish('stopped');
    }
    return await finish('completed');
  } catch (error) {
    const running = manifest.runs.find((entry) => entry.status === 'running' || (entry.status === 'pending' && entry.runFolder !== undefined));
    if (running !== undefined) running.status = 'failed';
    manifest.status = 'failed';
    await save().catch(() => undefined);
    throw error;
  }

  async function finish(status: 'completed' | 'stopped'): Promise<SweepOutcome> {
    manifest.status = status;
    await save();
    const report = status === 'completed' ? options.report?.(manifest) : undefined;
    emit({ type: 'sweep-end', sweepId: manifest.id, status, manifest: manifestFile, elapsedMs: Math.round(performance.now() - started), ...(report === undefined ? {} : { report }) });
    return { status, manifest };
  }
}

async function trainEntry(
  entry: SweepRunEntry,
  manifest: SweepManifest,
  common: { readonly sink: EventSink; readonly stop: StopSignal; readonly threads?: number; readonly engine?: EngineChoice },
): Promise<{ status: 'completed' | 'stopped'; runFolder: string }> {
  // An interrupted run (stopped, killed, failed on a full disk) resumes where it was.
  if (entry.runFolder !== undefined && existsSync(entry.runFolder)) {
    const record = readRunRecord(entry.runFolder);
    if (record.lastEnd?.status === 'completed') return { status: 'completed', runFolder: entry.runFolder };
    if (existsSync(path.join(entry.runFolder, 'checkpoints', 'latest.json'))) {
      const result = await runTraining({ resumeRun: entry.runFolder, ...common });
      return { status: result.status, runFolder: result.runFolder };
    }
  }
  let from: string | undefined;
  if (entry.parent !== undefined) {
    const parent = manifest.runs.find((candidate) => candidate.id === entry.parent);
    if (parent?.runFolder === undefined || parent.status !== 'completed') throw new ThawError(`sweep run ${entry.id} continues ${entry.parent}, which has not completed`);
    from = phaseEndCheckpoint(parent.runFolder, parent.lastPhase, parent.phases.at(-1)!);
  }
  const result = await runTraining({ experiment: runExperiment(entry, manifest), from, ...common, sweep: membership(entry, manifest) });
  return { status: result.status, runFolder: result.runFolder };
}
