// A run folder as a RunSummary: from summary.json when it is fresh, else from experiment.json,
// events.jsonl and run.meta.json, then cached. Whether a run without a run-end is running or
// interrupted is asked anew every time (is its trainer alive?), never taken from the cache. A
// folder that is not a run comes back `damaged`, with why; nothing here deletes anything, and
// nothing is written into a damaged folder.

import { existsSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { RunSummary, type RunMetadata } from '../../protocol/run-summary';
import { messageOf } from '../errors';
import { digestEvents, type EventsDigest } from './events-digest';
import { flattenConfig } from './flatten-config';
import { folderBytes } from './folder-size';
import { RunColors } from './run-colors';
import { RUN_SUMMARY_FILE } from './run-files';
import { EXPERIMENT_FILE } from './run-folder';
import { EVENTS_FILE } from './run-listing';
import { loadRunMetadata } from './run-metadata';
import { readMetadataMtime, readSummaryCache, readSummaryStamp, sameRunFiles, writeSummaryCache, type SummaryCache } from './summary-cache';
import { trainerIsAlive } from './trainer-pid';

export interface SummarizeOptions {
  /** The colors of the run's runs folder, when the caller lists many of its runs. */
  readonly colors?: RunColors;
  /** Read and write summary.json (default true). */
  readonly cache?: boolean;
}

/**
 * The summary of one run folder (cached in its summary.json).
 *
 * @example const summary = await summarizeRun('runs/20261201-091500-demo'); summary.status // 'completed'
 */
export async function summarizeRun(runFolder: string, options: SummarizeOptions = {}): Promise<RunSummary> {
  const folder = path.resolve(runFolder);
  const useCache = options.cache ?? true;
  const stamp = await readSummaryStamp(folder);
  const cached = useCache ? await readSummaryCache(folder) : undefined;
  if (cached !== undefined && sameRunFiles(cached.stamp, stamp)) {
    if (cached.stamp.metadataMtimeMs === stamp.metadataMtimeMs) return withLiveStatus(folder, cached);
    // Only the metadata changed (a rename, a tag): overlay it, the events need no new read.
    const { metadata, problem } = await loadRunMetadata(folder);
    const rest = { ...cached.summary };
    delete rest.problem;
    const problems = joinProblems(problem, cached.eventsProblem);
    const summary = { ...rest, ...userFields(metadata, cached.experimentName, cached.summary.color), ...(problems === undefined ? {} : { problem: problems }) };
    const refreshed = { ...cached, summary, stamp };
    await writeSummaryCache(folder, refreshed).catch(() => undefined);
    return withLiveStatus(folder, refreshed);
  }
  const built = await buildSummary(folder, options.colors);
  if (built.cache === undefined) return built.summary;
  const cache = { ...built.cache, stamp: { ...stamp, metadataMtimeMs: await readMetadataMtime(folder) } };
  // A running run's events change with every step: caching it would only cost a write.
  if (useCache && built.summary.status !== 'running') await writeSummaryCache(folder, cache).catch(() => undefined);
  return withLiveStatus(folder, cache);
}

/** The fields that come from the metadata. */
function userFields(metadata: RunMetadata, experimentName: string, color: number): Pick<RunSummary, 'name' | 'tags' | 'notes' | 'color'> {
  return { name: metadata.name ?? experimentName, tags: [...(metadata.tags ?? [])], notes: metadata.notes ?? '', color: metadata.color ?? color };
}

/** A run without a run-end is running while its trainer lives, interrupted once it is gone. */
async function withLiveStatus(folder: string, cache: Omit<SummaryCache, 'version'>): Promise<RunSummary> {
  const where = { id: path.basename(folder), folder };
  const { summary } = cache;
  if (summary.status !== 'running' && summary.status !== 'interrupted') return { ...summary, ...where };
  const rest = { ...summary };
  delete rest.progress;
  if (await trainerIsAlive(folder)) return { ...rest, ...where, status: 'running', resumable: false, ...(cache.progress === undefined ? {} : { progress: cache.progress }) };
  return { ...rest, ...where, status: 'interrupted', resumable: cache.resumableWhenInterrupted };
}

interface Built {
  readonly summary: RunSummary;
  /** Absent for a damaged folder: nothing is cached there. */
  readonly cache?: Omit<SummaryCache, 'version' | 'stamp'>;
}

async function buildSummary(folder: string, colors: RunColors | undefined): Promise<Built> {
  const id = path.basename(folder);
  const { metadata, problem: metadataProblem } = await loadRunMetadata(folder);
  const damaged = (problem: string, experimentName = id, config: Record<string, unknown> = {}): Built => ({
    summary: RunSummary.parse({ id, folder, ...userFields(metadata, experimentName, 0), status: 'damaged', problem, steps: 0, phases: [], resumable: false, config, tasks: {} } satisfies RunSummary),
  });

  const experimentFile = path.join(folder, EXPERIMENT_FILE);
  if (!existsSync(experimentFile)) return damaged(`not a run folder: it has no ${EXPERIMENT_FILE}`);
  let experiment: unknown;
  try {
    experiment = JSON.parse(await fs.readFile(experimentFile, 'utf8'));
  } catch (error) {
    return damaged(`${EXPERIMENT_FILE} cannot be read (${messageOf(error)})`);
  }
  const experimentName = typeof (experiment as { name?: unknown } | null)?.name === 'string' ? (experiment as { name: string }).name : id;
  const config = flattenConfig(experiment);

  const eventsFile = path.join(folder, EVENTS_FILE);
  let digest: EventsDigest | undefined;
  if (existsSync(eventsFile)) {
    try {
      digest = await digestEvents(eventsFile);
    } catch (error) {
      return damaged(`${EVENTS_FILE} cannot be read (${messageOf(error)})`, experimentName, config);
    }
  }
  const alive = await trainerIsAlive(folder);
  if (digest?.started !== true && !alive) {
    return damaged(digest === undefined ? `it has no ${EVENTS_FILE}` : `${EVENTS_FILE} has no run-start (the trainer stopped before the run began)`, experimentName, config);
  }

  const color = metadata.color ?? (await colorOf(folder, colors));
  // A sweep's runs share the experiment's name: the variant tells them apart ("demo · recipe, seed=2").
  const runName = digest?.sweep === undefined ? experimentName : `${experimentName} · ${variantLabel(digest.sweep)}`;
  const eventsProblem = digest !== undefined && digest.unreadableLines > 0 ? `${digest.unreadableLines} unreadable line(s) of ${EVENTS_FILE} skipped` : undefined;
  const problems = joinProblems(metadataProblem, eventsProblem);
  const end = digest?.end;
  const status = end?.status ?? (alive ? 'running' : 'interrupted');
  // Parsed: a bug here shows as an error, not as a summary scripts cannot read; fields in schema order.
  const summary = RunSummary.parse({
    id,
    folder,
    ...userFields(metadata, runName, color ?? 0),
    status,
    ...(problems === undefined ? {} : { problem: problems }),
    ...definedOnly({
      startedAt: digest?.startedAt,
      endedAt: end !== undefined ? end.time : status === 'interrupted' ? digest?.lastEventAt : undefined,
      durationMs: digest?.durationMs,
      phaseEngines: digest?.phaseEngines,
      backend: digest?.backend,
      experimentFile: digest?.experimentFile,
      forkedFrom: digest?.forkedFrom,
      sweep: digest?.sweep,
      progress: status === 'running' ? digest?.position : undefined,
      trainableParameters: digest?.trainableParameters,
    }),
    steps: digest?.steps ?? 0,
    phases: [...(digest?.phases ?? [])],
    resumable: end !== undefined ? (end.resumable ?? end.status === 'stopped') : !alive && digest?.hasCheckpoint === true,
    config,
    tasks: digest?.tasks ?? {},
    sizeBytes: await folderBytes(folder, (name) => name.startsWith(RUN_SUMMARY_FILE)),
  } satisfies RunSummary);
  return { summary, cache: { summary, experimentName: runName, ...(eventsProblem === undefined ? {} : { eventsProblem }), progress: digest?.position, resumableWhenInterrupted: digest?.hasCheckpoint === true } };
}

async function colorOf(folder: string, colors: RunColors | undefined): Promise<number | undefined> {
  return (colors ?? new RunColors(path.dirname(folder))).colorFor(folder);
}

function joinProblems(...problems: (string | undefined)[]): string | undefined {
  const present = problems.filter((problem) => problem !== undefined);
  return present.length > 0 ? present.join('; ') : undefined;
}

function definedOnly<T extends Record<string, unknown>>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as Partial<T>;
}

/** A sweep variant for people: the scenario by its name, other keys as key=value; a shared prefix says so. */
function variantLabel(sweep: { readonly variant: Readonly<Record<string, unknown>>; readonly shared?: boolean }): string {
  if (sweep.shared === true) return 'shared';
  const parts = Object.entries(sweep.variant).map(([key, value]) => (key === 'scenario' ? String(value) : `${key}=${JSON.stringify(value)}`));
  return parts.join(', ') || 'variant';
}
