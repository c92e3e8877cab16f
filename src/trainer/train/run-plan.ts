// What a `thaw train` invocation starts from: a new run of an experiment file, a resume of a
// run folder (its newest whole checkpoint), or a fork (--from) of another run's checkpoint
// into a new run. Decided before the engine starts, since a resume reuses the run's engine.

import * as path from 'node:path';
import { existsSync } from 'node:fs';
import type { BackendName } from '../backend/tensorflow';
import { ThawError } from '../../core/errors';
import type { PresetName } from '../../core/experiment/experiment-schema';
import { loadExperiment, type ResolvedExperiment } from '../../core/experiment/load-experiment';
import type { LoadedCheckpoint } from './checkpoint';
import { removeLeftovers, removeStalePeriodic } from './checkpoint-cleanup';
import { forkCheckpoint, resumeCheckpoint } from './find-checkpoint';
import { readRunExperiment } from '../../core/runs/run-folder';
import { readRunRecord, type RunRecord } from './run-record';

export interface PlanOptions {
  readonly experimentFile?: string;
  /** An experiment already resolved (a sweep's variant), instead of reading `experimentFile`. */
  readonly experiment?: ResolvedExperiment;
  readonly preset?: PresetName;
  readonly resumeRun?: string;
  readonly phase?: string;
  readonly from?: string;
  /** Where the run folder goes instead of the experiment's "output". */
  readonly output?: string;
}

export interface RunPlan {
  readonly experiment: ResolvedExperiment;
  readonly checkpoint?: LoadedCheckpoint;
  /** A resume: the run's folder and what its events say. */
  readonly resume?: { readonly folder: string; readonly record: RunRecord };
  readonly forkedFrom?: { readonly run: string; readonly checkpoint: string };
  /** Run only this phase (--phase, or what a resumed run was started with). */
  readonly onlyPhase?: string;
  /** The engine the run was recorded with, for a resume. */
  readonly engine?: BackendName;
  /** Things to say as warnings once the run has started. */
  readonly warnings: readonly string[];
}

export async function planRun(options: PlanOptions): Promise<RunPlan> {
  if (options.resumeRun !== undefined) return planResume(path.resolve(options.resumeRun));
  if (options.experimentFile === undefined && options.experiment === undefined) throw new ThawError('give an experiment file or a run to resume');
  const loaded = options.experiment ?? (await loadExperiment(options.experimentFile!, options.preset));
  // --output (the editor's thaw.runsFolder setting) puts the run elsewhere than the file says.
  const experiment = options.output === undefined ? loaded : { ...loaded, output: path.resolve(options.output) };
  if (options.from === undefined) return { experiment, onlyPhase: options.phase, warnings: [] };

  const fork = await forkCheckpoint(options.from);
  // The fork keeps the checkpoint's data order and dropout: its seed, not the file's.
  const runExperiment = existsSync(path.join(fork.run, 'experiment.json')) ? await readRunExperiment(fork.run).catch(() => undefined) : undefined;
  const seed = fork.checkpoint.position.seed ?? runExperiment?.seed ?? experiment.seed;
  const warnings = seed === experiment.seed ? [] : [`the fork keeps the checkpoint's seed ${seed} (the experiment file says ${experiment.seed})`];
  return {
    experiment: { ...experiment, seed },
    checkpoint: fork.checkpoint,
    forkedFrom: { run: fork.run, checkpoint: fork.checkpoint.folder },
    onlyPhase: options.phase,
    warnings,
  };
}

async function planResume(folder: string): Promise<RunPlan> {
  const experiment = await readRunExperiment(folder);
  const record = readRunRecord(folder);
  // Checked before anything is touched: a completed run's folder stays as it is.
  if (record.lastEnd?.status === 'completed') {
    throw new ThawError('already completed; nothing to resume (fork it into a new run with thaw train FILE --from RUN)', folder);
  }
  const removed = await removeLeftovers(folder);
  const found = await resumeCheckpoint(folder);
  if (found === undefined) throw new ThawError('has no checkpoint to resume from yet; start it again instead', folder);
  await removeStalePeriodic(folder, found.checkpoint.folder);
  const warnings = [
    ...(removed.length > 0 ? [`removed what an interrupted write left: ${removed.map((file) => path.relative(folder, file)).join(', ')}`] : []),
    ...found.skipped.map((skipped) => `${skipped}; resuming from ${path.relative(folder, found.checkpoint.folder)} (step ${found.checkpoint.position.globalStep}) instead`),
  ];
  const start = record.firstStart;
  return {
    experiment,
    checkpoint: found.checkpoint,
    resume: { folder, record },
    forkedFrom: start?.forkedFrom,
    onlyPhase: start?.phase,
    engine: start?.provenance?.engine,
    warnings,
  };
}
