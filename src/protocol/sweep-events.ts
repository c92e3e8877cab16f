// What `thaw sweep --json` prints besides the trainer events of each run: sweep-level events,
// in a union of their own so that trainer events stay as they are. A consumer reads each line
// as a trainer event or, failing that, a sweep event.

import { z } from 'zod';

const count = z.number().int().min(0);
const base = { time: z.iso.datetime(), sweepId: z.string() };

const PlannedRun = z.strictObject({ id: z.string(), parent: z.string().optional(), phases: z.array(z.string()), steps: count, status: z.string() });
const PlannedVariant = z.strictObject({ label: z.string(), keys: z.record(z.string(), z.unknown()), run: z.string() });

export const SweepEvent = z.discriminatedUnion('type', [
  z.strictObject({
    ...base,
    type: z.literal('sweep-plan'),
    /** Where the manifest is (or, with --dry-run, would be) written. */
    manifest: z.string(),
    variants: z.array(PlannedVariant),
    runs: z.array(PlannedRun),
    /** Steps of all runs, and what they would be if no variant shared a prefix. */
    totalSteps: count,
    unsharedSteps: count,
    /** The preview as thaw sweep prints it on stderr. */
    preview: z.string(),
  }),
  z.strictObject({
    ...base,
    type: z.literal('sweep-start'),
    /** The manifest file: runs/.sweeps/<id>.json. */
    manifest: z.string(),
    variants: z.array(PlannedVariant),
    runs: z.array(PlannedRun),
    totalSteps: count,
    resumed: z.boolean(),
  }),
  z.strictObject({
    ...base,
    type: z.literal('sweep-progress'),
    /** Steps done of all runs, and their total. */
    done: count,
    total: count,
    runsDone: count,
    runsTotal: count,
    /** The run (sweep run id, e.g. r2) in progress and the variant(s) it makes. */
    run: z.string(),
    variant: z.string(),
    etaMs: count.optional(),
  }),
  z.strictObject({
    ...base,
    type: z.literal('sweep-run-end'),
    run: z.string(),
    runFolder: z.string(),
    status: z.enum(['completed', 'stopped', 'failed']),
  }),
  z.strictObject({ ...base, type: z.literal('sweep-end'), status: z.enum(['completed', 'stopped', 'failed']), manifest: z.string(), elapsedMs: count, report: z.unknown().optional() }),
]);
export type SweepEvent = z.infer<typeof SweepEvent>;
export type SweepEventBody = SweepEvent extends infer E ? (E extends SweepEvent ? Omit<E, 'time'> : never) : never;

export function parseSweepEvent(value: unknown): { ok: true; value: SweepEvent } | { ok: false; error: string } {
  const result = SweepEvent.safeParse(value);
  return result.success ? { ok: true, value: result.data } : { ok: false, error: result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ') };
}
