import { ThawError } from '../errors';
import { readUtf8Text } from './read-utf8-text';

/**
 * The lines of a UTF-8 text file, without the final newline's empty line. A file that is not
 * UTF-8, is empty, or has an empty line is an error naming the file (and the line): silently
 * skipping a line would misalign outputs with inputs.
 */
export async function readTextLines(file: string): Promise<string[]> {
  const text = await readUtf8Text(file);
  const lines = text.split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  if (lines.length === 0) throw new ThawError('is empty: expected one sentence a line', file);
  const blank = lines.findIndex((line) => line.trim() === '');
  if (blank >= 0) throw new ThawError(`line ${blank + 1} is empty: expected one sentence a line`, file);
  return lines;
}
