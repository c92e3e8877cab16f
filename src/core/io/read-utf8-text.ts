// Reading a text file that must be UTF-8: a clear error naming the file (and the line of the
// first bad byte) instead of replacement characters in the data.

import { promises as fs } from 'node:fs';
import { ThawError } from '../errors';

const NEWLINE = 0x0a;

/**
 * The file's text, decoded as strict UTF-8 (a leading byte order mark dropped).
 *
 * @example const text = await readUtf8Text('data/train.csv')
 */
export async function readUtf8Text(file: string): Promise<string> {
  return decodeUtf8(await readBytes(file), file);
}

async function readBytes(file: string): Promise<Buffer> {
  try {
    return await fs.readFile(file);
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new ThawError(code === 'ENOENT' ? 'file does not exist' : code === 'EISDIR' ? 'is a folder, not a file' : `cannot read (${code ?? String(error)})`, file);
  }
}

function decodeUtf8(bytes: Buffer, file: string): string {
  try {
    // Like every TextDecoder by default, this one drops a leading byte order mark.
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ThawError(`line ${lineOfFirstBadByte(bytes)}: not UTF-8 text; save the file as UTF-8`, file);
  }
}

/** Valid UTF-8 decodes and re-encodes to the same bytes, so the first difference is the first bad byte. */
function lineOfFirstBadByte(bytes: Uint8Array): number {
  const lenient = Buffer.from(new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes), 'utf8');
  let bad = 0;
  while (bad < bytes.length && bytes[bad] === lenient[bad]) bad++;
  return lineCounter(bytes)(bad);
}

/** Maps byte offsets, asked for in increasing order, to 1-based lines without rescanning the file. */
export function lineCounter(bytes: Uint8Array): (offset: number) => number {
  let scanned = 0;
  let line = 1;
  return (offset) => {
    for (; scanned < offset; scanned++) if (bytes[scanned] === NEWLINE) line++;
    return line;
  };
}

