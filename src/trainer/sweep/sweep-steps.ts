// How many optimizer steps each run of a sweep takes, before anything runs: for the preview
// (the sweep's size) and the overall ETA. A schedule's length depends on the number of
// examples only, not on their token lengths, so the datasets are read but not tokenized.

import { readTaskDatasets } from '../../core/data/task-datasets';
import type { Phase } from '../../core/experiment/experiment-schema';
import type { ResolvedExperiment } from '../../core/experiment/load-experiment';
import { TASK_KEYS } from '../../protocol/trainer-events';
import { buildPhaseSchedule } from '../data/batch-schedule';

export type DatasetSizes = Partial<Record<'a' | 'b', number>>;

/** Each task's number of training examples. */
export async function datasetSizes(experiment: ResolvedExperiment): Promise<DatasetSizes> {
  const sizes: DatasetSizes = {};
  for (const key of TASK_KEYS) {
    const config = experiment.tasks[key];
    if (config !== undefined) sizes[key] = (await readTaskDatasets(key, config)).train.examples.length;
  }
  return sizes;
}

/** A phase's tasks: those whose heads train (all when nothing trains), as the trainer picks them. */
function phaseTasks(phase: Phase, sizes: DatasetSizes): ('a' | 'b')[] {
  return (Object.keys(sizes) as ('a' | 'b')[]).filter((key) => phase.evaluateOnly || !(phase.frozen.includes('heads') || phase.frozen.includes(`task_${key}_head`)));
}

/** Steps of phases first..last of `experiment`. */
export function phaseSteps(experiment: ResolvedExperiment, first: number, last: number, sizes: DatasetSizes): number {
  let steps = 0;
  for (let index = first; index <= last; index++) {
    const phase = experiment.phases[index];
    steps += buildPhaseSchedule({
      tasks: phaseTasks(phase, sizes).map((task) => ({ task, lengths: new Array<number>(sizes[task] ?? 0).fill(1) })),
      sampling: experiment.sampling,
      temperature: experiment.samplingTemperature,
      batchSize: experiment.batchSize,
      seed: `${experiment.seed}:${index}`,
      epochs: phase.epochs,
      steps: phase.steps,
    }).totalSteps;
  }
  return steps;
}
