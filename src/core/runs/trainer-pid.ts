// `trainer.pid` in a run folder while a trainer runs it. A run without a run-end is running
// while that process lives, and interrupted once it is gone (killed, or the machine rebooted).

import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeFileAtomic } from '../io/atomic-write';
import { RUN_PID_FILE } from './run-files';

/** Records this process as the run's trainer. */
export async function writeTrainerPid(runFolder: string, pid = process.pid): Promise<void> {
  await writeFileAtomic(path.join(runFolder, RUN_PID_FILE), `${pid}\n`);
}

/** Removes the pid file (a run that has ended has no trainer). */
export async function removeTrainerPid(runFolder: string): Promise<void> {
  await fs.rm(path.join(runFolder, RUN_PID_FILE), { force: true });
}

/**
 * True when the pid file names a live process. A pid file older than the last boot names a
 * process of before the reboot (its pid may have been given to another since).
 */
export async function trainerIsAlive(runFolder: string): Promise<boolean> {
  const file = path.join(runFolder, RUN_PID_FILE);
  const [text, stat] = await Promise.all([fs.readFile(file, 'utf8').catch(() => undefined), fs.stat(file).catch(() => undefined)]);
  const pid = Number(text?.trim());
  if (!Number.isInteger(pid) || pid <= 0 || stat === undefined) return false;
  if (stat.mtimeMs < Date.now() - os.uptime() * 1000) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
