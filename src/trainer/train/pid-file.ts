// trainer.pid in a run folder says a trainer is running it: a run with no run-end whose pid
// is not alive was interrupted (killed from outside), which is how the host tells the two apart.

import { rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { RUN_PID_FILE } from '../../core/runs/run-files';

/** Writes this process's pid into the run folder; the returned function removes it. */
export function markRunning(runFolder: string): () => void {
  const file = path.join(runFolder, RUN_PID_FILE);
  writeFileSync(file, `${process.pid}\n`);
  return () => rmSync(file, { force: true });
}
