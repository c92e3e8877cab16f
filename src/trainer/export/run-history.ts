// What a model card says about the run a checkpoint came from, read from the run folder alone:
// the base model, the tasks, the phases that led up to the checkpoint (what each froze, its
// learning rates, its steps) and the last validation at or before the checkpoint's step.

import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { resolvePhase } from '../../core/experiment/resolve-phase';
import type { ResolvedExperiment } from '../../core/experiment/load-experiment';
import { EXPERIMENT_FILE, readRunExperiment } from '../../core/runs/run-folder';
import { EVENTS_FILE } from '../../core/runs/run-listing';
import { countField, objectField, stringField, visitEventLines, type EventRecord, type LineVisitor } from '../../core/runs/event-lines';
import { validationMetrics, type ValidationMetrics } from '../../core/runs/task-results';
import { TASK_KEYS, allGroupNames, type TaskKey } from '../../core/vocabulary/groups';
import type { RunPosition } from '../train/checkpoint-files';

export interface PhaseHistory {
  readonly name: string;
  readonly frozen: readonly string[];
  /** Each trained group's learning rate before the schedule scales it (its peak). */
  readonly learningRates: Readonly<Record<string, number>>;
  /** The schedule when it is not a constant rate: "warm-up 10 steps, cosine decay". */
  readonly schedule?: string;
  readonly totalSteps: number;
  /** Steps of the phase the checkpoint holds (all of them unless it stopped inside the phase). */
  readonly stepsDone: number;
}

export interface RunHistory {
  readonly runId: string;
  readonly experimentName: string;
  readonly baseModel: string;
  readonly maxSeqLength?: number;
  readonly globalStep: number;
  readonly tasks: Partial<Record<TaskKey, { readonly name: string; readonly labels: readonly string[] }>>;
  readonly phases: readonly PhaseHistory[];
  /** The last validation at or before the checkpoint, per task. */
  readonly metrics: Partial<Record<TaskKey, ValidationMetrics & { readonly step: number }>>;
  readonly forkedFrom?: { readonly run: string; readonly checkpoint: string };
}

/** The history of `runFolder` (a model of `numLayers` layers) up to the checkpoint at `position`. */
export async function readRunHistory(runFolder: string, position: RunPosition, numLayers: number): Promise<RunHistory> {
  const experiment = await readRunExperiment(runFolder);
  const fold = new HistoryFold(position, (index) => phaseSettings(experiment, index, numLayers));
  const events = path.join(runFolder, EVENTS_FILE);
  if (existsSync(events)) await visitEventLines(events, fold);
  return {
    runId: path.basename(path.resolve(runFolder)),
    experimentName: experiment.name,
    baseModel: fold.baseModel ?? experiment.model,
    ...(experiment.maxSeqLength === undefined ? {} : { maxSeqLength: experiment.maxSeqLength }),
    globalStep: position.globalStep,
    tasks: fold.tasks,
    phases: fold.phases(),
    metrics: fold.metrics,
    ...(fold.forkedFrom === undefined ? {} : { forkedFrom: fold.forkedFrom }),
  };
}

type PhaseSettings = Pick<PhaseHistory, 'name' | 'learningRates' | 'schedule'>;

/**
 * The phase's rates as the experiment gives them, resolved per group: phase-start records the
 * rates at step 0, which a warm-up schedule starts at 0.
 */
function phaseSettings(experiment: ResolvedExperiment, index: number, numLayers: number): PhaseSettings | undefined {
  const phase = experiment.phases[index];
  if (phase === undefined) return undefined;
  try {
    const { learningRates } = resolvePhase(phase, index, allGroupNames(numLayers), numLayers, EXPERIMENT_FILE);
    const { warmupSteps, decay } = phase.schedule;
    const parts = [...(warmupSteps > 0 ? [`warm-up ${warmupSteps} steps`] : []), ...(decay === 'constant' ? [] : [`${decay} decay`])];
    return { name: phase.name, learningRates: learningRates as Record<string, number>, ...(parts.length === 0 ? {} : { schedule: parts.join(', ') }) };
  } catch {
    return undefined;
  }
}

class HistoryFold implements LineVisitor {
  baseModel?: string;
  forkedFrom?: RunHistory['forkedFrom'];
  readonly tasks: Record<string, { name: string; labels: string[] }> = {};
  readonly metrics: Record<string, ValidationMetrics & { step: number }> = {};
  /** By phase index: a resume starts its phase again, and the last start stands. */
  private readonly starts = new Map<number, Omit<PhaseHistory, 'stepsDone'>>();

  constructor(
    private readonly position: RunPosition,
    private readonly settings: (index: number) => PhaseSettings | undefined,
  ) {}

  step(): void {}

  unreadable(): void {}

  event(event: EventRecord): void {
    if (event.type === 'run-start') this.runStart(event);
    else if (event.type === 'phase-start') this.phaseStart(event);
    else if (event.type === 'validation') this.validation(event);
  }

  phases(): PhaseHistory[] {
    const { phaseIndex, stepInPhase } = this.position;
    return [...this.starts.entries()]
      .filter(([index]) => index < phaseIndex || (index === phaseIndex && stepInPhase > 0))
      .sort(([a], [b]) => a - b)
      .map(([index, phase]) => ({ ...phase, stepsDone: index < phaseIndex ? phase.totalSteps : stepInPhase }));
  }

  private runStart(event: EventRecord): void {
    const source = objectField(event, 'model')?.source;
    // A resume names the same model; the first run-start is the one that loaded it.
    if (typeof source === 'string') this.baseModel ??= source;
    const forked = objectField(event, 'forkedFrom');
    if (forked !== undefined && typeof forked.run === 'string' && typeof forked.checkpoint === 'string') this.forkedFrom = { run: forked.run, checkpoint: forked.checkpoint };
    const tasks = objectField(event, 'tasks') ?? {};
    for (const key of TASK_KEYS) {
      const task = tasks[key] as { name?: unknown; labels?: unknown } | undefined;
      if (typeof task?.name === 'string' && Array.isArray(task.labels)) this.tasks[key] = { name: task.name, labels: task.labels.map(String) };
    }
  }

  private phaseStart(event: EventRecord): void {
    const index = countField(event, 'phaseIndex');
    const name = stringField(event, 'phase');
    if (index === undefined || name === undefined) return;
    const frozen = Array.isArray(event.frozen) ? event.frozen.filter((group): group is string => typeof group === 'string') : [];
    const rates = Object.entries(objectField(event, 'learningRates') ?? {}).filter((entry): entry is [string, number] => typeof entry[1] === 'number');
    // The experiment's phase of that index, if it is this one; else what phase-start recorded.
    const settings = this.settings(index);
    const rateSettings = settings?.name === name ? { learningRates: settings.learningRates, ...(settings.schedule === undefined ? {} : { schedule: settings.schedule }) } : { learningRates: Object.fromEntries(rates) };
    this.starts.set(index, { name, frozen, ...rateSettings, totalSteps: countField(event, 'totalSteps') ?? 0 });
  }

  private validation(event: EventRecord): void {
    const step = countField(event, 'globalStep');
    if (step === undefined || step > this.position.globalStep) return;
    const tasks = objectField(event, 'tasks') ?? {};
    for (const key of TASK_KEYS) {
      const metrics = validationMetrics(tasks[key]);
      if (metrics !== undefined) this.metrics[key] = { ...metrics, step };
    }
  }
}
