// Writing an exported folder all at once: every file goes into a hidden sibling of DIR, which
// is renamed to DIR only when all are written. A failed export leaves DIR as it was (absent,
// empty, or with --force its old contents), never half-written.

import { randomBytes } from 'node:crypto';
import { existsSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { ThawError } from '../../core/errors';
import type { ExportFiles } from './sentence-transformers-files';

/** Refuses a DIR that holds anything, unless `force`; a file is never replaced by a folder. */
export async function checkExportTarget(target: string, force: boolean, source: string): Promise<void> {
  const resolved = path.resolve(target);
  const stat = await fs.stat(resolved).catch(() => undefined);
  if (stat === undefined) return;
  if (!stat.isDirectory()) throw new ThawError('--out exists and is not a folder', resolved);
  const inside = path.relative(resolved, path.resolve(source));
  if (force && !inside.startsWith('..') && !path.isAbsolute(inside)) throw new ThawError('--out holds SOURCE; --force would delete what it exports', resolved);
  if (!force && (await fs.readdir(resolved)).length > 0) throw new ThawError('--out is not empty; choose a new folder, or replace it with --force', resolved);
}

/**
 * Writes `files` as the folder `target`, replacing what was there (checked by checkExportTarget).
 * An abort (the CLI's SIGTERM) between two files removes what was written and throws.
 */
export async function writeExportFolder(target: string, files: ExportFiles, signal?: AbortSignal): Promise<void> {
  const resolved = path.resolve(target);
  const parent = path.dirname(resolved);
  await fs.mkdir(parent, { recursive: true });
  // Not mkdtemp: its 0700 would stay on the folder after the rename; mkdir honours the umask.
  const staging = path.join(parent, `.${path.basename(resolved)}.export-${process.pid}-${randomBytes(4).toString('hex')}`);
  await fs.mkdir(staging);
  try {
    for (const name of [...files.keys()].sort()) {
      if (signal?.aborted === true) throw new ThawError('stopped; nothing was written', resolved);
      const file = path.join(staging, ...name.split('/'));
      await fs.mkdir(path.dirname(file), { recursive: true });
      await fs.writeFile(file, files.get(name)!);
    }
    await replaceFolder(staging, resolved);
  } catch (error) {
    await fs.rm(staging, { recursive: true, force: true });
    throw error;
  }
}

/** Moves the old folder aside, the new one in, then deletes the old one. */
async function replaceFolder(staging: string, target: string): Promise<void> {
  if (!existsSync(target)) return fs.rename(staging, target);
  const old = `${staging}.old`;
  await fs.rename(target, old);
  try {
    await fs.rename(staging, target);
  } catch (error) {
    await fs.rename(old, target);
    throw error;
  }
  await fs.rm(old, { recursive: true, force: true });
}
