// A full disk (or a quota, or a read-only file system) is the user's to fix, not a crash: one
// line naming the file, the space needed and what to do. The run stays resumable.

import { ThawError } from '../errors';

const NO_SPACE_CODES = new Set(['ENOSPC', 'EDQUOT', 'EROFS']);

/** The error is "no space left", "quota exceeded" or "read-only file system". */
export function isDiskFull(error: unknown): error is NodeJS.ErrnoException {
  return NO_SPACE_CODES.has((error as { code?: string } | undefined)?.code ?? '');
}

/** A write failed for lack of space; the run can be resumed once there is room. */
export class DiskFullError extends ThawError {
  constructor(file: string, code: string, neededBytes?: number, runFolder?: string) {
    const needed = neededBytes === undefined ? '' : `; it needs about ${formatBytes(neededBytes)}`;
    const what = code === 'EROFS' ? 'the file system is read-only' : code === 'EDQUOT' ? 'the disk quota is exceeded' : 'the disk is full';
    const then = runFolder === undefined ? 'then run it again' : `then resume with: thaw train --resume ${runFolder}`;
    super(`cannot write: ${what} (${code})${needed}. Free some space (or point "output" elsewhere), ${then}`, file);
    this.name = 'DiskFullError';
  }
}

/**
 * `error` as a DiskFullError when it is one of the no-space errors, else unchanged. The file is
 * the one being written (its temporary name mapped back to the target).
 */
export function asDiskFull(error: unknown, neededBytes?: number, runFolder?: string): unknown {
  if (!isDiskFull(error) || error instanceof DiskFullError) return error;
  const file = (error.path ?? 'a file').replace(/\.tmp-\d+-[a-z0-9]+$/, '');
  return new DiskFullError(file, error.code ?? 'ENOSPC', neededBytes, runFolder);
}

function formatBytes(bytes: number): string {
  return bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${Math.ceil(bytes / 1e3)} kB`;
}
