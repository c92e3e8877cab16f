// A run's summary: everything the Runs view, `thaw runs` and the comparison need to list and
// compare a run, derived from its folder alone (runs/<id>/: experiment.json, events.jsonl,
// checkpoints/, the metadata file). `thaw runs list --json` prints these: the JSON form is
// documented in the README and kept stable, because scripts read it. Here in the protocol
// because summaries cross boundaries: CLI output, host to the comparison webview.

import { z } from 'zod';
import { ENGINE_NAMES } from '../core/vocabulary/engines';

export const RUN_STATUSES = ['running', 'completed', 'stopped', 'failed', 'interrupted', 'damaged'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

const finite = z.number().refine(Number.isFinite, 'must be a finite number');

export const TaskResult = z.strictObject({
  name: z.string(),
  /** The last validation of the run. */
  final: z.strictObject({ accuracy: finite, macroF1: finite, loss: finite, step: z.number().int().min(0) }).optional(),
  /** The validation with the highest accuracy (the first of equals). */
  best: z.strictObject({ accuracy: finite, macroF1: finite, step: z.number().int().min(0) }).optional(),
});
export type TaskResult = z.infer<typeof TaskResult>;

export const RunSummary = z.strictObject({
  /** The folder's name: `20261201-091500-my-experiment`. */
  id: z.string(),
  /** Absolute path of the run folder. */
  folder: z.string(),
  /** The user's rename, else the experiment's name. */
  name: z.string(),
  /**
   * `running`: no run-end after the last run-start and the pid in trainer.pid is alive;
   * `interrupted`: no run-end and no live trainer; `completed`/`stopped`/`failed`: the last
   * run-end; `damaged`: experiment.json or events.jsonl cannot be read, or not a run at all.
   */
  status: z.enum(RUN_STATUSES),
  /** Why a run is `damaged` (or what else is wrong with it). */
  problem: z.string().optional(),
  /** The first run-start (ISO time). */
  startedAt: z.string().optional(),
  /** The last run-end; for an interrupted run, its last event. */
  endedAt: z.string().optional(),
  /** Time trained, summed over the run and its resumes (not the wall time between them). */
  durationMs: z.number().min(0).optional(),
  /** Optimizer steps taken (a step repeated after a resume counts once). */
  steps: z.number().int().min(0),
  /** The phases the run ran, in order. */
  phases: z.array(z.string()),
  /**
   * What trained each phase, by its name, in the order they did (from its phase-starts): two
   * when a resume continued it on the other engine, since the numbers may then differ in the
   * last bits. A phase that started before engines were recorded is absent.
   */
  phaseEngines: z.record(z.string(), z.array(z.enum(ENGINE_NAMES))).optional(),
  /** The last invocation's backend line ("encoder: ..., training: ..."). */
  backend: z.string().optional(),
  /** The experiment file the run came from. */
  experimentFile: z.string().optional(),
  /** The run started from another run's checkpoint (Start Fine-tune, a fork in a sweep). */
  forkedFrom: z.strictObject({ run: z.string(), checkpoint: z.string() }).optional(),
  /** thaw sweep: the sweep and the variant this run is (its keys as the user wrote them); `shared`: a prefix of phases several variants continue from. */
  sweep: z.strictObject({ id: z.string(), variant: z.record(z.string(), z.unknown()), shared: z.boolean().optional() }).optional(),
  /** `thaw train --resume` can continue it: stopped, failed with a resumable run-end, or interrupted after a checkpoint. */
  resumable: z.boolean(),
  /** Only while running: where it is (the step within the phase). */
  progress: z.strictObject({ phase: z.string(), step: z.number().int().min(0), totalSteps: z.number().int().min(0) }).optional(),
  tags: z.array(z.string()),
  notes: z.string(),
  /**
   * A stable color index for charts: the first time the run is seen it gets the smallest index
   * no other run of its runs folder holds, kept in its metadata. A damaged folder reads 0.
   */
  color: z.number().int().min(0),
  /**
   * The resolved experiment flattened to dotted keys, phases keyed by name:
   * `phases.warm-up.lr.task_a_head`, `phases.fine-tune.epochs`, `tasks.a.train`, `batchSize`.
   * Arrays (`frozen`) are values. Group names hold dots: read keys, do not split them.
   */
  config: z.record(z.string(), z.unknown()),
  /** Trainable parameters of the run's last phase: run-start's groups minus that phase's frozen ones. */
  trainableParameters: z.number().int().min(0).optional(),
  tasks: z.partialRecord(z.enum(['a', 'b']), TaskResult),
  /** Bytes of the folder's files (checkpoints included, summary.json not). */
  sizeBytes: z.number().int().min(0).optional(),
});
export type RunSummary = z.infer<typeof RunSummary>;

/** What the user says about a run, kept in its folder (events.jsonl stays append-only). */
export const RunMetadata = z.strictObject({
  name: z.string().optional(),
  notes: z.string().optional(),
  tags: z.array(z.string()).optional(),
  color: z.number().int().min(0).optional(),
});
export type RunMetadata = z.infer<typeof RunMetadata>;

/** `thaw runs compare --json`: the summaries, and the config keys whose values differ or agree. */
export interface RunComparison {
  readonly runs: readonly RunSummary[];
  readonly differing: Readonly<Record<string, readonly unknown[]>>;
  readonly same: Readonly<Record<string, unknown>>;
}
