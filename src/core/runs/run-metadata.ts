// What the user says about a run (a rename, notes, tags) and its chart color, in
// `run.meta.json` in the run folder. Written atomically, read-modify-write; events.jsonl is
// never touched, it stays the trainer's alone.

import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { RunMetadata } from '../../protocol/run-summary';
import { messageOf } from '../errors';
import { writeFileAtomic } from '../io/atomic-write';
import { RUN_METADATA_FILE } from './run-files';

export interface LoadedMetadata {
  readonly metadata: RunMetadata;
  /** Set when the file exists but is not valid metadata (it is then read as empty). */
  readonly problem?: string;
}

/** The run's metadata with what is wrong with its file; a missing file is empty metadata. */
export async function loadRunMetadata(runFolder: string): Promise<LoadedMetadata> {
  const file = path.join(runFolder, RUN_METADATA_FILE);
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch {
    return { metadata: {} };
  }
  try {
    const parsed = RunMetadata.safeParse(JSON.parse(text));
    if (parsed.success) return { metadata: parsed.data };
    return { metadata: {}, problem: `${RUN_METADATA_FILE} is not valid: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || '(top level)'}: ${issue.message}`).join('; ')}` };
  } catch (error) {
    return { metadata: {}, problem: `${RUN_METADATA_FILE} is not valid JSON (${messageOf(error)})` };
  }
}

/**
 * The run's metadata (empty when it has none, or when its file is not valid).
 *
 * @example const { name, tags } = await readRunMetadata('runs/20261201-091500-demo')
 */
export async function readRunMetadata(runFolder: string): Promise<RunMetadata> {
  return (await loadRunMetadata(runFolder)).metadata;
}

/** A change to a run's metadata; fields left out stay as they are. */
export interface RunMetadataUpdate {
  /** A new name; null or '' goes back to the experiment's name. */
  readonly name?: string | null;
  readonly notes?: string;
  readonly addTag?: string;
  readonly removeTag?: string;
  readonly color?: number;
}

/**
 * Applies `update` to the run's metadata and writes it atomically; returns the new metadata.
 *
 * @example await updateRunMetadata(folder, { name: 'lr 3e-5, seed 2' }); await updateRunMetadata(folder, { addTag: 'baseline' })
 */
export async function updateRunMetadata(runFolder: string, update: RunMetadataUpdate): Promise<RunMetadata> {
  const current = await readRunMetadata(runFolder);
  const next: { -readonly [K in keyof RunMetadata]: RunMetadata[K] } = { ...current };
  if (update.name !== undefined) {
    const name = update.name?.trim() ?? '';
    if (name === '') delete next.name;
    else next.name = name;
  }
  if (update.notes !== undefined) {
    if (update.notes === '') delete next.notes;
    else next.notes = update.notes;
  }
  const tags = new Set(current.tags ?? []);
  const addTag = update.addTag?.trim();
  if (addTag !== undefined && addTag !== '') tags.add(addTag);
  if (update.removeTag !== undefined) tags.delete(update.removeTag.trim());
  if (tags.size > 0) next.tags = [...tags];
  else delete next.tags;
  if (update.color !== undefined) next.color = update.color;
  const checked = RunMetadata.parse(next);
  await writeFileAtomic(path.join(runFolder, RUN_METADATA_FILE), `${JSON.stringify(checked, null, 2)}\n`);
  return checked;
}
