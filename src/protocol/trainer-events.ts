// Everything the trainer reports, as one discriminated union with runtime validation. The same
// messages go to a run's events.jsonl, to stdout (thaw train --json), and over IPC to the
// extension host, which validates each on arrival: a child process is untrusted input.
// Imports neither 'vscode' nor TensorFlow.js, so the webview can use it too.

import { z } from 'zod';
import { GROUP_NAME_PATTERN, TASK_KEYS } from '../core/vocabulary/groups';
import { ENGINE_NAMES } from '../core/vocabulary/engines';

export { TASK_KEYS, type TaskKey } from '../core/vocabulary/groups';

const taskKey = z.enum(TASK_KEYS);
const groupName = z.string().regex(GROUP_NAME_PATTERN);
const finite = z.number().refine(Number.isFinite, 'must be a finite number');
const count = z.number().int().min(0);
const perTask = <T extends z.ZodType>(value: T) => z.partialRecord(taskKey, value);
const perGroup = <T extends z.ZodType>(value: T) => z.record(groupName, value);

const base = { time: z.iso.datetime() };

const TaskSummary = z.strictObject({ name: z.string(), labels: z.array(z.string()), trainExamples: count, validationExamples: count });

/** What a run's numbers depend on besides its experiment: bit-exact resume needs the same engine and threads. */
const Provenance = z.strictObject({
  thawVersion: z.string(),
  engine: z.enum(['tensorflow', 'wasm', 'cpu']),
  threads: z.number().int().min(1),
  /** sha256 (hex) of each dataset file's bytes, by absolute path. */
  datasets: z.record(z.string(), z.string().regex(/^[0-9a-f]{64}$/)),
  /** What ran the frozen encoder (the embedding cache, validation) and on how many threads; absent in older runs. */
  encoder: z.strictObject({ engine: z.enum(ENGINE_NAMES), threads: z.number().int().min(1) }).optional(),
});

/** A sweep run's place in its sweep (thaw sweep). */
export const SweepMembership = z.strictObject({ id: z.string(), variant: z.record(z.string(), z.unknown()), shared: z.boolean().optional() });
export type SweepMembership = z.infer<typeof SweepMembership>;

export const TaskMetrics = z.strictObject({ loss: finite, accuracy: finite, macroF1: finite, examples: count });
export type TaskMetrics = z.infer<typeof TaskMetrics>;

export const TrainerEvent = z.discriminatedUnion('type', [
  z.strictObject({
    ...base,
    type: z.literal('run-start'),
    runId: z.string(),
    runFolder: z.string(),
    backend: z.string(),
    model: z.strictObject({ source: z.string(), parameterCount: count, groups: perGroup(count) }),
    tasks: perTask(TaskSummary),
    resumedFromStep: count.optional(),
    /** Absolute path of the experiment file the run came from (kept on resume); absent in older runs. */
    experimentFile: z.string().optional(),
    /** The only phase this run runs (thaw train --phase); a resume keeps to it. */
    phase: z.string().optional(),
    /** thaw train --from: the run and the checkpoint this run continues from. */
    forkedFrom: z.strictObject({ run: z.string(), checkpoint: z.string() }).optional(),
    /** thaw sweep: the sweep and the variant this run is (its keys as the user wrote them); `shared`: a prefix of phases several variants continue from. */
    sweep: SweepMembership.optional(),
    provenance: Provenance.optional(),
  }),
  z.strictObject({
    ...base,
    type: z.literal('phase-start'),
    phase: z.string(),
    phaseIndex: count,
    totalSteps: count,
    frozen: z.array(groupName),
    learningRates: perGroup(finite),
    groupHashes: perGroup(z.string()),
    trainsNothing: z.boolean(),
    usesEmbeddingCache: z.boolean(),
    /** What trained the phase (absent in runs from before engines were a choice). */
    engine: z.enum(ENGINE_NAMES).optional(),
  }),
  z.strictObject({ ...base, type: z.literal('progress'), stage: z.enum(['embedding-cache', 'model']), done: count, total: count, message: z.string() }),
  z.strictObject({
    ...base,
    type: z.literal('step'),
    phase: z.string(),
    phaseIndex: count,
    step: count,
    totalSteps: count,
    globalStep: count,
    loss: perTask(finite),
    learningRates: perGroup(finite),
    elapsedMs: count,
  }),
  z.strictObject({ ...base, type: z.literal('validation'), phase: z.string(), globalStep: count, epoch: count, tasks: perTask(TaskMetrics) }),
  z.strictObject({ ...base, type: z.literal('checkpoint'), globalStep: count, folder: z.string() }),
  z.strictObject({ ...base, type: z.literal('warning'), kind: z.enum(['frozen-head-drift', 'ignored-learning-rate', 'other']), message: z.string(), task: taskKey.optional() }),
  z.strictObject({ ...base, type: z.literal('phase-end'), phase: z.string(), phaseIndex: count, groupHashes: perGroup(z.string()), changedGroups: z.array(groupName) }),
  z.strictObject({ ...base, type: z.literal('error'), message: z.string() }),
  z.strictObject({
    ...base,
    type: z.literal('run-end'),
    status: z.enum(['completed', 'stopped', 'failed']),
    globalStep: count,
    elapsedMs: count,
    /** Why it ended, in a few words ("completed", "stop requested", "the disk is full"); absent in older runs. */
    reason: z.string().optional(),
    /** thaw train --resume can continue it (a run killed from outside has no run-end at all). */
    resumable: z.boolean().optional(),
  }),
]);
export type TrainerEvent = z.infer<typeof TrainerEvent>;
export type TrainerEventType = TrainerEvent['type'];
/** An event as the trainer builds it; the time is stamped when it is sent. */
export type TrainerEventBody = TrainerEvent extends infer E ? (E extends TrainerEvent ? Omit<E, 'time'> : never) : never;

/** Messages the host sends the trainer process. */
export const HostToTrainer = z.discriminatedUnion('type', [z.strictObject({ type: z.literal('stop') })]);
export type HostToTrainer = z.infer<typeof HostToTrainer>;

export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

function parseWith<T>(schema: z.ZodType<T>, value: unknown): Parsed<T> {
  const result = schema.safeParse(value);
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, error: result.error.issues.map((issue) => `${issue.path.join('.') || '(message)'}: ${issue.message}`).join('; ') };
}

/**
 * Checks that a value received from another process or read from a file is a trainer event.
 *
 * @example const parsed = parseTrainerEvent(JSON.parse(line)); if (parsed.ok) show(parsed.value)
 */
export function parseTrainerEvent(value: unknown): Parsed<TrainerEvent> {
  return parseWith(TrainerEvent, value);
}

export function parseHostToTrainer(value: unknown): Parsed<HostToTrainer> {
  return parseWith(HostToTrainer, value);
}
