import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/** Bytes of the files under `folder` (symbolic links not followed), except those `skip` names. */
export async function folderBytes(folder: string, skip: (name: string) => boolean = () => false): Promise<number> {
  let total = 0;
  const entries = await fs.readdir(folder, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    if (skip(entry.name)) continue;
    const inner = path.join(folder, entry.name);
    if (entry.isDirectory()) total += await folderBytes(inner);
    else if (entry.isFile()) total += (await fs.stat(inner).catch(() => ({ size: 0 }))).size;
  }
  return total;
}
