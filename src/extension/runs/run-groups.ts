// The comparison's groups: runs of one sweep whose variants differ only by `seed` form a group
// (a run outside a sweep, or a shared prefix run, is a group of one). Each group gets n, the
// spread of its runs' final accuracy and macro-F1 per task, and, with two runs or more, its
// curves' statistics on the union of its runs' global steps: at each step only the runs with a
// value there count (a run that lacks the step is left out of that step's statistics).

import { spread } from '../../core/sweeps/statistics';
import { variantLabel, type VariantKeys } from '../../core/sweeps/sweep-variants';
import { TASK_KEYS } from '../../core/vocabulary/groups';
import type { RunGroup, RunSeries, SpreadColumns, ValidationMetric } from '../../protocol/compare-messages';
import type { RunSummary } from '../../protocol/run-summary';

type Column = readonly (number | null)[];

/** The group a run belongs to: its sweep and its variant without `seed`; null for a run of its own. */
function groupKey(run: RunSummary): { key: string; label: string } | null {
  if (run.sweep === undefined || run.sweep.shared === true) return null;
  const variant = Object.fromEntries(Object.entries(run.sweep.variant).filter(([key]) => key !== 'seed')) as VariantKeys;
  return { key: `${run.sweep.id}\n${JSON.stringify(variant)}`, label: variantLabel(variant) };
}

/** Rounds to 6 significant digits: the message stays compact, and the charts draw no finer. */
const compact = (value: number) => Number(value.toPrecision(6));

/**
 * The statistics at each of `steps` of the runs' columns (each run's values on its own steps).
 *
 * @example spreadColumns([0, 1], [{ steps: [0, 1], values: [1, 2] }, { steps: [0], values: [3] }]) // mean [2, 2], std [1.414…, null]
 */
export function spreadColumns(steps: readonly number[], runs: readonly { readonly steps: readonly number[]; readonly values: Column }[]): SpreadColumns {
  const rowOf = new Map(steps.map((step, row) => [step, row]));
  const atRow: number[][] = steps.map(() => []);
  for (const run of runs) {
    run.steps.forEach((step, index) => {
      const value = run.values[index];
      const row = rowOf.get(step);
      if (value !== null && value !== undefined && Number.isFinite(value) && row !== undefined) atRow[row].push(value);
    });
  }
  const columns: SpreadColumns = { mean: [], std: [], min: [], max: [] };
  for (const values of atRow) {
    const stats = values.length === 0 ? undefined : spread(values);
    columns.mean.push(stats === undefined ? null : compact(stats.mean));
    columns.std.push(stats?.std === null || stats?.std === undefined ? null : compact(stats.std));
    columns.min.push(stats === undefined ? null : compact(stats.min));
    columns.max.push(stats === undefined ? null : compact(stats.max));
  }
  return columns;
}

const unionOf = (columns: readonly (readonly number[])[]) => [...new Set(columns.flat())].sort((a, b) => a - b);
const meanOnly = (columns: SpreadColumns) => columns.mean;

/** The group's curves from its runs' series (aligned by globalStep). */
export function groupCurves(series: readonly RunSeries[]): Pick<RunGroup, 'steps' | 'validations'> {
  const stepRows = unionOf(series.map((run) => run.steps.globalStep));
  const validationRows = unionOf(series.map((run) => run.validations.globalStep));
  const stepsOf = (values: (run: RunSeries) => Column | undefined) =>
    series.flatMap((run) => {
      const column = values(run);
      return column === undefined ? [] : [{ steps: run.steps.globalStep, values: column }];
    });
  const validationsOf = (values: (run: RunSeries) => Column | undefined) =>
    series.flatMap((run) => {
      const column = values(run);
      return column === undefined ? [] : [{ steps: run.validations.globalStep, values: column }];
    });
  const loss = Object.fromEntries(TASK_KEYS.flatMap((task) => (series.some((run) => run.steps.loss[task] !== undefined) ? [[task, spreadColumns(stepRows, stepsOf((run) => run.steps.loss[task]))]] : [])));
  const metric = (task: (typeof TASK_KEYS)[number], name: ValidationMetric) => spreadColumns(validationRows, validationsOf((run) => run.validations.tasks[task]?.[name]));
  const tasks = Object.fromEntries(
    TASK_KEYS.flatMap((task) => (series.some((run) => run.validations.tasks[task] !== undefined) ? [[task, { loss: metric(task, 'loss'), accuracy: metric(task, 'accuracy'), macroF1: metric(task, 'macroF1') }]] : [])),
  );
  return {
    steps: { globalStep: stepRows, epoch: meanOnly(spreadColumns(stepRows, stepsOf((run) => run.steps.epoch))), loss },
    validations: { globalStep: validationRows, epoch: meanOnly(spreadColumns(validationRows, validationsOf((run) => run.validations.epoch))), tasks },
  };
}

/**
 * The compared runs' groups, or undefined when no two runs differ only by seed. Groups are in
 * the order of their first run in `runs`.
 */
export function comparisonGroups(runs: readonly RunSummary[], series: readonly RunSeries[]): RunGroup[] | undefined {
  const byKey = new Map<string, { label: string; runs: RunSummary[] }>();
  for (const run of runs) {
    const group = groupKey(run);
    const key = group?.key ?? `run\n${run.id}`;
    if (!byKey.has(key)) byKey.set(key, { label: group?.label ?? run.name, runs: [] });
    byKey.get(key)!.runs.push(run);
  }
  const members = [...byKey.values()];
  if (!members.some((group) => group.runs.length >= 2)) return undefined;
  const seriesOf = new Map(series.map((run) => [run.runId, run]));
  return members.map(({ label, runs: grouped }) => {
    const tasks = Object.fromEntries(
      TASK_KEYS.flatMap((task) => {
        const finals = grouped.flatMap((run) => (run.tasks[task]?.final === undefined ? [] : [run.tasks[task].final]));
        return finals.length === 0 ? [] : [[task, { final: { accuracy: spread(finals.map((final) => final.accuracy)), macroF1: spread(finals.map((final) => final.macroF1)) } }]];
      }),
    );
    const curves = grouped.length >= 2 ? groupCurves(grouped.flatMap((run) => seriesOf.get(run.id) ?? [])) : {};
    return { label, runIds: grouped.map((run) => run.id), n: grouped.length, tasks, ...curves };
  });
}
