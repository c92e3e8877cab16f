import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/**
 * Writes a file so that readers see either the old content or the whole new content, never a
 * half-written file: write to a temporary file beside it, flush, then rename over the target
 * (rename is atomic within one file system).
 */
export async function writeFileAtomic(target: string, data: string | Uint8Array): Promise<void> {
  await fs.mkdir(path.dirname(target), { recursive: true });
  const temporary = `${target}.tmp-${process.pid}-${Date.now().toString(36)}`;
  const handle = await fs.open(temporary, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await fs.rename(temporary, target);
  } catch (error) {
    await fs.rm(temporary, { force: true });
    throw error;
  }
}
