// The batch schedule of one phase as the trainer runs it, and the limit on its length, which is
// checked for every phase before a run starts.

import { buildPhaseSchedule, type PhaseSchedule } from '../data/batch-schedule';
import type { TaskData } from '../data/task-data';
import { ThawError } from '../../core/errors';
import type { ResolvedExperiment } from '../../core/experiment/load-experiment';
import type { ResolvedPhase } from '../../core/experiment/resolve-phase';

/** Ten steps a second for four months; more is a typo (epochs: 1e12), not a plan. */
export const MAX_PHASE_STEPS = 100_000_000;

/** The tasks a phase trains on: those whose heads train (all of them when nothing trains). */
export function trainingTasks(phase: ResolvedPhase, tasks: readonly TaskData[]): TaskData[] {
  return tasks.filter((task) => phase.trainsNothing || phase.trainable.includes(task.head));
}

/** The phase's schedule, seeded by the experiment's seed and the phase's index. */
export function phaseSchedule(experiment: ResolvedExperiment, phase: ResolvedPhase, tasks: readonly TaskData[]): PhaseSchedule {
  return buildPhaseSchedule({
    tasks: trainingTasks(phase, tasks).map((task) => ({ task: task.key, lengths: task.train.tokenIds.map((ids) => ids.length) })),
    sampling: experiment.sampling,
    temperature: experiment.samplingTemperature,
    batchSize: experiment.batchSize,
    seed: `${experiment.seed}:${phase.index}`,
    epochs: phase.settings.epochs,
    steps: phase.settings.steps,
  });
}

/** Refuses, before any work is done, a phase with no task to train on or longer than MAX_PHASE_STEPS. */
export function checkPhaseLength(experiment: ResolvedExperiment, phase: ResolvedPhase, tasks: readonly TaskData[]): void {
  if (trainingTasks(phase, tasks).length === 0) {
    const heads = tasks.map((task) => task.head).join(', ');
    throw new ThawError(`phase "${phase.name}": every task's head is frozen (${heads}), so no task trains and the phase would run no step; thaw a head, or freeze everything for an evaluation (evaluateOnly)`, experiment.file);
  }
  const steps = phaseSchedule(experiment, phase, tasks).totalSteps;
  if (steps > MAX_PHASE_STEPS) {
    throw new ThawError(`phase "${phase.name}": ${steps.toExponential(2)} steps is more than the limit of ${MAX_PHASE_STEPS.toLocaleString('en-US')} steps in a phase; give fewer epochs or steps`, experiment.file);
  }
}
