// Everything the charts draw, kept in full for the whole run (the display downsamples a copy).
// Fed with the trainer events of `run` messages; plain data, no DOM.

import { TASK_KEYS, type TaskKey } from '../../../src/core/vocabulary/groups';
import type { TrainerEvent } from '../../../src/protocol/trainer-events';
import { SeriesTable } from './series-table';

/** Where a phase's first step is, for the dashed line across the charts. */
export interface PhaseMarker {
  readonly globalStep: number;
  readonly phase: string;
  /** The comparison marks a boundary only one run has in that run's color; else the theme's foreground. */
  readonly color?: string;
}

export const VALIDATION_METRICS = ['loss', 'accuracy', 'macroF1'] as const;
export type ValidationMetric = (typeof VALIDATION_METRICS)[number];

export const validationColumn = (metric: ValidationMetric, task: TaskKey) => `${metric}.${task}`;

export class RunData {
  /** Training loss per step, one column per task. */
  readonly losses = new SeriesTable();
  /** Validation figures, columns named by {@link validationColumn}. */
  readonly validation = new SeriesTable();
  /** Learning rate per step, one column per parameter group. */
  readonly learningRates = new SeriesTable();
  /** Groups whose rate was above zero at some step: a group that never trains gets no line. */
  readonly trainedGroups = new Set<string>();
  readonly phaseMarkers: PhaseMarker[] = [];
  readonly warnings: string[] = [];
  private readonly lossPointCounts: Record<TaskKey, number> = { a: 0, b: 0 };
  private phaseStarted = false;
  private lastPhaseIndex: number | undefined;

  lossPoints(task: TaskKey): number {
    return this.lossPointCounts[task];
  }

  /** Step points held, over both tasks. */
  totalLossPoints(): number {
    return TASK_KEYS.reduce((sum, task) => sum + this.lossPointCounts[task], 0);
  }

  validationCount(): number {
    return this.validation.rowCount;
  }

  add(event: TrainerEvent): void {
    switch (event.type) {
      case 'phase-start':
        this.phaseStarted = true;
        break;
      case 'step':
        this.addStep(event);
        break;
      case 'validation': {
        const row: Record<string, number> = {};
        for (const task of TASK_KEYS) {
          const metrics = event.tasks[task];
          if (metrics) for (const metric of VALIDATION_METRICS) row[validationColumn(metric, task)] = metrics[metric];
        }
        this.validation.appendRow(event.globalStep, row);
        break;
      }
      case 'warning':
        if (!this.warnings.includes(event.message)) this.warnings.push(event.message);
        break;
      case 'run-start':
      case 'progress':
      case 'checkpoint':
      case 'phase-end':
      case 'error':
      case 'run-end':
        // The header shows these, from the host's summary of the run.
        break;
      default:
        event satisfies never;
    }
  }

  clear(): void {
    this.losses.clear();
    this.validation.clear();
    this.learningRates.clear();
    this.trainedGroups.clear();
    this.phaseMarkers.length = 0;
    this.warnings.length = 0;
    this.lossPointCounts.a = 0;
    this.lossPointCounts.b = 0;
    this.phaseStarted = false;
    this.lastPhaseIndex = undefined;
  }

  private addStep(event: Extract<TrainerEvent, { type: 'step' }>): void {
    // The marker goes at the phase's first step: phase-start does not carry a global step. A change
    // of phase index also counts, for a panel that joined a run after its phase-start.
    if (this.phaseStarted || event.phaseIndex !== this.lastPhaseIndex) {
      this.phaseMarkers.push({ globalStep: event.globalStep, phase: event.phase });
      this.phaseStarted = false;
      this.lastPhaseIndex = event.phaseIndex;
    }
    this.losses.appendRow(event.globalStep, event.loss);
    for (const task of TASK_KEYS) if (event.loss[task] !== undefined) this.lossPointCounts[task]++;
    this.learningRates.appendRow(event.globalStep, event.learningRates);
    for (const [group, rate] of Object.entries(event.learningRates)) if (rate > 0) this.trainedGroups.add(group);
  }
}
