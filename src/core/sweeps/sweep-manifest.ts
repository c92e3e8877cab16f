// A sweep's manifest: runs/.sweeps/<id>.json, a hidden entry of the runs folder (run listings
// skip hidden entries). It holds what the sweep is (its experiment file, variants and the runs
// that make them, each run's resolved experiment) and how far it got, so `thaw sweep --resume`
// needs nothing else. Written atomically after every change.

import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { ThawError } from '../errors';
import { writeFileAtomic } from '../io/atomic-write';
import { readJson } from '../io/read-json';

export const SWEEPS_FOLDER = '.sweeps';

export const SEGMENT_STATUSES = ['pending', 'running', 'completed', 'stopped', 'failed'] as const;

export const SweepManifest = z.strictObject({
  version: z.literal(1),
  id: z.string(),
  experimentFile: z.string(),
  createdAt: z.string(),
  scenarios: z.boolean(),
  status: z.enum(['running', 'completed', 'stopped', 'failed']),
  /** Each variant: its keys as the user wrote them, and the run (segment) that ends it. */
  variants: z.array(z.strictObject({ label: z.string(), keys: z.record(z.string(), z.unknown()), run: z.string() })),
  /** The runs, parents before children; a run continues from its parent's last phase-end checkpoint. */
  runs: z.array(
    z.strictObject({
      id: z.string(),
      parent: z.string().optional(),
      firstPhase: z.number().int().min(0),
      lastPhase: z.number().int().min(0),
      phases: z.array(z.string()),
      steps: z.number().int().min(0),
      variants: z.array(z.number().int().min(0)),
      /** The resolved experiment the run records (phases up to lastPhase, no sweep key). */
      experiment: z.record(z.string(), z.unknown()),
      status: z.enum(SEGMENT_STATUSES),
      /** Set once the run has started. */
      runFolder: z.string().optional(),
    }),
  ),
});
export type SweepManifest = z.infer<typeof SweepManifest>;
export type SweepRunEntry = SweepManifest['runs'][number];

export function manifestPath(runsFolder: string, id: string): string {
  return path.join(runsFolder, SWEEPS_FOLDER, `${id}.json`);
}

/** `20261201-091500-demo`: the sweep's id, unique in its runs folder. */
export function newSweepId(runsFolder: string, name: string, now = new Date()): string {
  const base = `${now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15)}-${name.replace(/[^\w.-]+/g, '_')}`;
  let id = base;
  for (let suffix = 2; existsSync(manifestPath(runsFolder, id)); suffix++) id = `${base}-${suffix}`;
  return id;
}

export async function writeManifest(file: string, manifest: SweepManifest): Promise<void> {
  await writeFileAtomic(file, `${JSON.stringify(manifest, null, 2)}\n`);
}

export async function readManifest(file: string): Promise<SweepManifest> {
  const parsed = SweepManifest.safeParse(await readJson(file, 'a sweep manifest'));
  if (!parsed.success) throw new ThawError(`not a sweep manifest: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`, file);
  return parsed.data;
}

/**
 * A sweep given as its manifest file, or as its id (looked up under `runsFolders`, by default
 * ./runs).
 */
export function findManifest(idOrFile: string, runsFolders: readonly string[] = [path.resolve('runs')]): string {
  if (idOrFile.endsWith('.json') || existsSync(idOrFile)) {
    if (!existsSync(idOrFile)) throw new ThawError('no such sweep manifest', path.resolve(idOrFile));
    return path.resolve(idOrFile);
  }
  for (const folder of runsFolders) {
    const file = manifestPath(folder, idOrFile);
    if (existsSync(file)) return file;
  }
  throw new ThawError(`no sweep "${idOrFile}" in ${runsFolders.join(', ')} (give the manifest file: <runs>/${SWEEPS_FOLDER}/<id>.json)`);
}

/** The run folder of each variant (undefined while it has not started). */
export function variantRunFolders(manifest: SweepManifest): (string | undefined)[] {
  return manifest.variants.map((variant) => manifest.runs.find((run) => run.id === variant.run)?.runFolder);
}
