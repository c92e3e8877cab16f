// Checking a safetensors file on disk from its header alone: the header parses and the file is
// exactly as long as the header's offsets say. A checkpoint is read back this way before it
// becomes the one to resume from, without reading hundreds of megabytes again.

import { promises as fs } from 'node:fs';
import { ThawError } from '../../core/errors';

const MAX_HEADER_BYTES = 100 * 1024 * 1024;

/**
 * Throws a ThawError naming `file` when its header is unreadable or its length disagrees with it.
 *
 * @example await checkSafetensorsFile('runs/x/checkpoints/step-000010/model.safetensors')
 */
export async function checkSafetensorsFile(file: string): Promise<void> {
  const handle = await fs.open(file, 'r').catch(() => undefined);
  if (handle === undefined) throw new ThawError('missing', file);
  try {
    const { size } = await handle.stat();
    const prefix = Buffer.alloc(8);
    if (size < 8 || (await handle.read(prefix, 0, 8, 0)).bytesRead !== 8) throw new ThawError(`truncated: ${size} bytes`, file);
    const headerLength = Number(prefix.readBigUInt64LE(0));
    if (headerLength > MAX_HEADER_BYTES || 8 + headerLength > size) throw new ThawError(`truncated or corrupt: header length ${headerLength}, file ${size} bytes`, file);
    const headerBytes = Buffer.alloc(headerLength);
    await handle.read(headerBytes, 0, headerLength, 8);
    let header: Record<string, { data_offsets?: [number, number] }>;
    try {
      header = JSON.parse(headerBytes.toString('utf8')) as typeof header;
    } catch {
      throw new ThawError('corrupt: the header is not valid JSON', file);
    }
    const dataEnd = Math.max(0, ...Object.entries(header).map(([name, entry]) => (name === '__metadata__' ? 0 : (entry.data_offsets?.[1] ?? Infinity))));
    if (8 + headerLength + dataEnd !== size) throw new ThawError(`truncated or corrupt: the header describes ${8 + headerLength + dataEnd} bytes, the file has ${size}`, file);
  } finally {
    await handle.close();
  }
}
