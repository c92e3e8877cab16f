import { promises as fs } from 'node:fs';
import { ThawError } from '../errors';

/**
 * The lines of a UTF-8 text file, without the final newline's empty line. A file that is not
 * UTF-8, is empty, or has an empty line is an error naming the file (and the line): silently
 * skipping a line would misalign outputs with inputs.
 */
export async function readTextLines(file: string): Promise<string[]> {
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(file);
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new ThawError(code === 'ENOENT' ? 'file does not exist' : code === 'EISDIR' ? 'is a folder, not a file' : `cannot read (${code ?? String(error)})`, file);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    // The lenient decoder marks undecodable bytes with U+FFFD; its first line with one is the culprit.
    const line = new TextDecoder('utf-8').decode(bytes).split('\n').findIndex((text) => text.includes('\uFFFD')) + 1;
    throw new ThawError(`not UTF-8 text (first bad byte on line ${line})`, file);
  }
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  if (lines.length === 0) throw new ThawError('is empty: expected one sentence a line', file);
  const blank = lines.findIndex((line) => line.trim() === '');
  if (blank >= 0) throw new ThawError(`line ${blank + 1} is empty: expected one sentence a line`, file);
  return lines;
}
