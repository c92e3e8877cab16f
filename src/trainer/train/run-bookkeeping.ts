// The files a trainer keeps in a run folder besides events.jsonl and checkpoints: trainer.pid
// while it runs (so a run without a run-end and without a live trainer reads as interrupted),
// and summary.json once it ends (so listing runs does not read their events again).

import { summarizeRun } from '../../core/runs/summarize-run';
import { removeTrainerPid, writeTrainerPid } from '../../core/runs/trainer-pid';

/** This process trains the run in `runFolder` now. */
export async function beginRunBookkeeping(runFolder: string): Promise<void> {
  await writeTrainerPid(runFolder);
}

/** The run ended (or failed): no trainer any more, and its summary cached. Never throws: a failed run's error must reach the user, not a bookkeeping one. */
export async function endRunBookkeeping(runFolder: string): Promise<void> {
  await removeTrainerPid(runFolder).catch(() => undefined);
  await summarizeRun(runFolder).catch(() => undefined);
}
