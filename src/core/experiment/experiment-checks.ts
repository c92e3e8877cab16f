// Settings that pass the schema but make no sense for the experiment as a whole, refused
// before anything is read or written.

import { existsSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { ThawError } from '../errors';
import type { ResolvedExperiment } from './load-experiment';

/** "output" must be a folder, or a path where one can be made. */
export function checkOutputFolder(experiment: ResolvedExperiment): void {
  for (let folder = experiment.output; ; folder = path.dirname(folder)) {
    if (existsSync(folder)) {
      if (!statSync(folder).isDirectory()) {
        const what = folder === experiment.output ? 'is a file' : `lies under ${folder}, which is a file`;
        throw new ThawError(`"output": ${experiment.output} ${what}, not a folder; point "output" at a folder for the runs`, experiment.file);
      }
      return;
    }
    if (path.dirname(folder) === folder) return;
  }
}

/** With every configured task's weight 0, no step could change anything. */
export function checkLossWeights(experiment: ResolvedExperiment): void {
  const configured = (['a', 'b'] as const).filter((key) => experiment.tasks[key] !== undefined);
  const trains = experiment.phases.some((phase) => !phase.evaluateOnly);
  if (trains && configured.every((key) => experiment.lossWeights[key] === 0)) {
    throw new ThawError(`lossWeights: ${configured.map((key) => `${key} is 0`).join(' and ')}, so no step would train anything; give a task a weight above 0`, experiment.file);
  }
}
