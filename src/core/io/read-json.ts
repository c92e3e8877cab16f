import { promises as fs } from 'node:fs';
import { ThawError, messageOf } from '../errors';

/** Parses a JSON file; `missingHint` says why the file is needed when it does not exist. */
export async function readJson(file: string, missingHint: string): Promise<unknown> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch {
    throw new ThawError(`missing: ${missingHint}`, file);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ThawError(`not valid JSON (${messageOf(error)})`, file);
  }
}
