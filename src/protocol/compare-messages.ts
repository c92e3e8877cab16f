// Messages between the comparison panel (webview) and the extension host. The host sends the
// compared runs' summaries, the config keys that differ, and each run's curves as columns (one
// array per value, aligned on its steps; null where a step has no value), which keeps 50 runs of
// 2,000 steps a few megabytes. Both directions are validated: a webview is untrusted input.

import { z } from 'zod';
import { TASK_KEYS } from '../core/vocabulary/groups';
import { RunSummary } from './run-summary';

const step = z.number().int().min(0);
// The columns hold a million numbers for 50 runs: checked in one pass each, not value by value
// through Zod (ten times faster, which is most of the first render).
const isFiniteOrNull = (value: unknown) => value === null || (typeof value === 'number' && Number.isFinite(value));
const isStep = (value: unknown) => typeof value === 'number' && Number.isInteger(value) && value >= 0;
/** A value per row; null: the row has none (a step trains one task, a group has no rate yet). */
const column = z.custom<(number | null)[]>((value) => Array.isArray(value) && value.every(isFiniteOrNull), 'must be an array of finite numbers or null');
const steps = z.custom<number[]>((value) => Array.isArray(value) && value.every(isStep), 'must be an array of step numbers');
const perTask = <T extends z.ZodType>(value: T) => z.partialRecord(z.enum(TASK_KEYS), value);

export const PhaseSpan = z.strictObject({ name: z.string(), startStep: step, endStep: step });
export type PhaseSpan = z.infer<typeof PhaseSpan>;

const sameLength = (length: number, columns: readonly (readonly unknown[])[]) => columns.every((values) => values.length === length);

/** Training steps as columns: `globalStep[i]`, `epoch[i]` (fractional; null if not known), a loss per task, a rate per group. */
export const StepColumns = z
  .strictObject({
    globalStep: steps,
    epoch: column,
    loss: perTask(column),
    learningRates: z.record(z.string(), column),
  })
  .refine(
    (steps) => sameLength(steps.globalStep.length, [steps.epoch, ...Object.values(steps.loss), ...Object.values(steps.learningRates)]),
    'every step column has one value per step',
  );
export type StepColumns = z.infer<typeof StepColumns>;

export const VALIDATION_METRICS = ['loss', 'accuracy', 'macroF1'] as const;
export type ValidationMetric = (typeof VALIDATION_METRICS)[number];

const MetricColumns = z.strictObject({ loss: column, accuracy: column, macroF1: column });

/** Validations as columns: `globalStep[i]`, `epoch[i]` (the epochs done, counted over the whole run), per task its metrics. */
export const ValidationColumns = z
  .strictObject({ globalStep: steps, epoch: column, tasks: perTask(MetricColumns) })
  .refine(
    (validations) => sameLength(validations.globalStep.length, [validations.epoch, ...Object.values(validations.tasks).flatMap((metrics) => (metrics ? Object.values(metrics) : []))]),
    'every validation column has one value per validation',
  );
export type ValidationColumns = z.infer<typeof ValidationColumns>;

/** One run's curves. `color` is the run summary's color index. */
export const RunSeries = z.strictObject({
  runId: z.string(),
  color: z.number().int().min(0),
  phases: z.array(PhaseSpan),
  steps: StepColumns,
  validations: ValidationColumns,
});
export type RunSeries = z.infer<typeof RunSeries>;

const finite = z.number().refine(Number.isFinite, 'must be a finite number');

/** Summary statistics of a group's values: `std` is the sample standard deviation (n - 1), null for one value. */
export const Spread = z.strictObject({ mean: finite, std: finite.nullable(), min: finite, max: finite });
export type Spread = z.infer<typeof Spread>;

/** A group's curve at each aligned step: the mean, std (null where fewer than two runs have a value), min and max; all null where no run has one. */
export const SpreadColumns = z
  .strictObject({ mean: column, std: column, min: column, max: column })
  .refine((columns) => sameLength(columns.mean.length, [columns.std, columns.min, columns.max]), 'mean, std, min and max have one value per step');
export type SpreadColumns = z.infer<typeof SpreadColumns>;

/** A group's training steps: the union of its runs' global steps, the runs' mean epoch there, and the loss per task. */
export const GroupStepColumns = z
  .strictObject({ globalStep: steps, epoch: column, loss: perTask(SpreadColumns) })
  .refine((columns) => sameLength(columns.globalStep.length, [columns.epoch, ...Object.values(columns.loss).map((loss) => loss?.mean ?? [])]), 'every step column has one value per step');

const GroupMetricColumns = z.strictObject({ loss: SpreadColumns, accuracy: SpreadColumns, macroF1: SpreadColumns });

/** A group's validations on the union of its runs' validation steps. */
export const GroupValidationColumns = z
  .strictObject({ globalStep: steps, epoch: column, tasks: perTask(GroupMetricColumns) })
  .refine(
    (columns) => sameLength(columns.globalStep.length, [columns.epoch, ...Object.values(columns.tasks).flatMap((metrics) => (metrics ? [metrics.loss.mean, metrics.accuracy.mean, metrics.macroF1.mean] : []))]),
    'every validation column has one value per validation',
  );

/**
 * Runs of a sweep whose variants differ only by seed (a run outside a sweep is a group of one):
 * n, the spread of each task's final metrics, and (for n >= 2) the curves' statistics per step.
 */
export const RunGroup = z
  .strictObject({
    label: z.string().min(1),
    runIds: z.array(z.string().min(1)).min(1),
    n: z.number().int().min(1),
    tasks: perTask(z.strictObject({ final: z.strictObject({ accuracy: Spread, macroF1: Spread }) })),
    steps: GroupStepColumns.optional(),
    validations: GroupValidationColumns.optional(),
  })
  .refine((group) => group.n === group.runIds.length, 'n is the number of runIds');
export type RunGroup = z.infer<typeof RunGroup>;

export const CompareHostToWebview = z.discriminatedUnion('type', [
  /** The whole comparison: sent after each `initialized` and whenever the compared runs change. */
  z.strictObject({
    type: z.literal('comparison'),
    runs: z.array(RunSummary),
    /** RunComparison: config keys whose values differ, one value per run (in `runs` order), and those all runs share. */
    differing: z.record(z.string(), z.array(z.unknown())),
    same: z.record(z.string(), z.unknown()),
    series: z.array(RunSeries),
    /** Present when two or more runs differ only by seed: every run in exactly one group, in `runs` order of first members. */
    groups: z.array(RunGroup).optional(),
    /** A --scenarios sweep's report (per scenario: before and after, trainable parameters, wall time, frozen-task drift; the best per task), as `thaw sweep` prints it. */
    report: z.string().optional(),
  }),
]);
export type CompareHostToWebview = z.infer<typeof CompareHostToWebview>;
export type ComparisonMessage = Extract<CompareHostToWebview, { type: 'comparison' }>;

/** A CSV file is text; a table of 500 runs is far below this. */
const MAX_CSV_CHARS = 16 << 20;

export const CompareWebviewToHost = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('initialized') }),
  /** The table as shown, as CSV: the host asks where to save it. */
  z.strictObject({ type: z.literal('exportCsv'), csv: z.string().max(MAX_CSV_CHARS) }),
  /** Shows this run in the training panel. */
  z.strictObject({ type: z.literal('openRun'), runId: z.string().min(1) }),
  /** The rendering benchmark's figures, measured in the webview. */
  z.strictObject({ type: z.literal('renderTiming'), firstRenderMs: z.number().min(0), runs: z.number().int().min(0), points: z.number().int().min(0) }),
]);
export type CompareWebviewToHost = z.infer<typeof CompareWebviewToHost>;

export type ParsedMessage<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

function parseWith<T>(schema: z.ZodType<T>, value: unknown): ParsedMessage<T> {
  const result = schema.safeParse(value);
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, error: result.error.issues.map((issue) => `${issue.path.join('.') || '(message)'}: ${issue.message}`).join('; ') };
}

export const parseCompareWebviewToHost = (value: unknown) => parseWith(CompareWebviewToHost, value);
export const parseCompareHostToWebview = (value: unknown) => parseWith(CompareHostToWebview, value);
