// The experiment the fault tests kill, stop, fork and starve of disk: a warm-up on the
// embedding cache, then fine-tuning with dropout and a schedule, with periodic checkpoints, so
// every kind of state a resume must restore is in play.

import * as path from 'node:path';
import { writeExperiment } from './tiny-experiment';

export const FAULT_PHASES = {
  phases: [
    { name: 'warm-up', steps: 9, frozen: ['encoder'], lr: { heads: 1e-2 } },
    { name: 'fine-tune', steps: 27, lr: { encoder: 1e-4, heads: 1e-3 }, schedule: { warmupSteps: 3, decay: 'linear' } },
  ],
  checkpointEverySteps: 3,
};
export const FAULT_TOTAL_STEPS = 36;

/** Writes the fault experiment as `<name>.thaw.json` with its runs in `output`; more fine-tune steps leave room for more kills. */
export function writeFaultExperiment(folder: string, name: string, model: string, output = path.join(folder, `runs-${name}`), fineTuneSteps = 27): string {
  const [warmUp, fineTune] = FAULT_PHASES.phases;
  return writeExperiment(folder, name, model, { ...FAULT_PHASES, phases: [warmUp, { ...fineTune, steps: fineTuneSteps }], output });
}
