// `summary.json`: a run's summary kept in its folder, so listing 500 runs reads 500 small
// files, not 500 event logs. It records what it was built from (the size and mtime of
// events.jsonl, the mtimes of the metadata file and checkpoints/); when those differ it is
// stale and is built again. Written atomically; a cache that cannot be read is just missing.

import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { RunSummary } from '../../protocol/run-summary';
import { writeFileAtomic } from '../io/atomic-write';
import { CHECKPOINTS_FOLDER, EVENTS_FILE } from './run-listing';
import { RUN_METADATA_FILE, RUN_SUMMARY_FILE } from './run-files';

// 3: summaries gained phaseEngines; a version-2 cache is built again.
const CACHE_VERSION = 3;

const SummaryStamp = z.strictObject({
  events: z.strictObject({ size: z.number(), mtimeMs: z.number() }).nullable(),
  metadataMtimeMs: z.number().nullable(),
  checkpointsMtimeMs: z.number().nullable(),
});
export type SummaryStamp = z.infer<typeof SummaryStamp>;

const SummaryCache = z.strictObject({
  version: z.literal(CACHE_VERSION),
  stamp: SummaryStamp,
  summary: RunSummary,
  /** What the summary needs again when the metadata changes or the run's trainer is gone. */
  experimentName: z.string(),
  eventsProblem: z.string().optional(),
  progress: RunSummary.shape.progress,
  resumableWhenInterrupted: z.boolean(),
});
export type SummaryCache = z.infer<typeof SummaryCache>;

const mtimeOf = async (file: string): Promise<number | null> => (await fs.stat(file).catch(() => undefined))?.mtimeMs ?? null;

/** What a summary of the run would be built from, now. */
export async function readSummaryStamp(runFolder: string): Promise<SummaryStamp> {
  const [events, metadataMtimeMs, checkpointsMtimeMs] = await Promise.all([
    fs.stat(path.join(runFolder, EVENTS_FILE)).catch(() => undefined),
    mtimeOf(path.join(runFolder, RUN_METADATA_FILE)),
    mtimeOf(path.join(runFolder, CHECKPOINTS_FOLDER)),
  ]);
  return { events: events === undefined ? null : { size: events.size, mtimeMs: events.mtimeMs }, metadataMtimeMs, checkpointsMtimeMs };
}

/** The metadata file's mtime, after the summary's build may have written it (a new color). */
export const readMetadataMtime = (runFolder: string): Promise<number | null> => mtimeOf(path.join(runFolder, RUN_METADATA_FILE));

/** The cache, or undefined when there is none or it cannot be read. */
export async function readSummaryCache(runFolder: string): Promise<SummaryCache | undefined> {
  const text = await fs.readFile(path.join(runFolder, RUN_SUMMARY_FILE), 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    const parsed = SummaryCache.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export async function writeSummaryCache(runFolder: string, cache: Omit<SummaryCache, 'version'>): Promise<void> {
  await writeFileAtomic(path.join(runFolder, RUN_SUMMARY_FILE), `${JSON.stringify({ version: CACHE_VERSION, ...cache })}\n`);
}

/** The events and checkpoints are as the cache saw them (the metadata is overlaid apart). */
export function sameRunFiles(a: SummaryStamp, b: SummaryStamp): boolean {
  return a.events?.size === b.events?.size && a.events?.mtimeMs === b.events?.mtimeMs && a.checkpointsMtimeMs === b.checkpointsMtimeMs;
}
