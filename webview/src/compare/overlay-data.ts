// What the overlay charts draw, as data: for each chart, one curve per run (x by step or by
// epoch), then all runs' curves aligned on the union of their xs, which is the shape uPlot draws
// (and what the training panel's downsampling takes). No DOM here.

import { TASK_KEYS, type TaskKey } from '../../../src/core/vocabulary/groups';
import { formatLearningRate, formatMetric } from '../../../src/core/vocabulary/format';
import type { RunGroup, RunSeries, SpreadColumns, ValidationMetric } from '../../../src/protocol/compare-messages';
import { exponentialMovingAverage } from '../run/downsample';

export type XAxis = 'step' | 'epoch';

/** One run's curve: finite points only, x increasing. */
export interface RunCurve {
  readonly runId: string;
  readonly xs: readonly number[];
  readonly ys: readonly number[];
}

export interface CurveOptions {
  readonly x: XAxis;
  /** Training-loss smoothing weight, 0..0.99. */
  readonly smoothing: number;
  /** The parameter group whose learning rate is drawn. */
  readonly learningRateGroup: string | undefined;
}

export interface OverlaySpec {
  readonly id: string;
  readonly title: string;
  readonly logScale: boolean;
  readonly format: (value: number) => string;
  readonly curve: (series: RunSeries, options: CurveOptions) => RunCurve;
  /** A seed group's mean curve and its ±std band; absent for charts drawn per run only (the learning rate: seeds share it). */
  readonly groupCurve?: (group: RunGroup, options: CurveOptions) => GroupCurve | undefined;
}

/** A group's mean line and the band's edges (mean ± std; where one run has a value, the band closes on the mean). `runId`: the group's first run. */
export interface GroupCurve {
  readonly mean: RunCurve;
  readonly lower: RunCurve;
  readonly upper: RunCurve;
}

/** The group's curve from its spread columns on `xs`; `smooth` is applied to the mean and both edges alike. */
export function groupCurveOf(group: RunGroup, xs: readonly (number | null)[], columns: SpreadColumns | undefined, smooth: (ys: readonly number[]) => readonly number[] = (ys) => ys): GroupCurve | undefined {
  if (columns === undefined) return undefined;
  const runId = group.runIds[0];
  const std = columns.std.map((value) => value ?? 0);
  const mean = curveOf(runId, xs, columns.mean.map(toNumber));
  const lower = curveOf('', xs, columns.mean.map((value, index) => toNumber(value) - std[index]));
  const upper = curveOf('', xs, columns.mean.map((value, index) => toNumber(value) + std[index]));
  return { mean: { ...mean, ys: smooth(mean.ys) }, lower: { ...lower, ys: smooth(lower.ys) }, upper: { ...upper, ys: smooth(upper.ys) } };
}

const toNumber = (value: number | null | undefined) => (value === null || value === undefined ? NaN : value);

/** Keeps the points where both x and y are finite, in x order (a resumed run's epochs may not be). */
function curveOf(runId: string, xs: readonly (number | null)[], ys: ArrayLike<number>): RunCurve {
  const points: [number, number][] = [];
  for (let index = 0; index < xs.length; index++) {
    const x = toNumber(xs[index]);
    const y = ys[index];
    if (Number.isFinite(x) && Number.isFinite(y)) points.push([x, y]);
  }
  if (points.some((point, index) => index > 0 && point[0] < points[index - 1][0])) points.sort((a, b) => a[0] - b[0]);
  return { runId, xs: points.map((point) => point[0]), ys: points.map((point) => point[1]) };
}

const xsOf = (columns: { globalStep: readonly number[]; epoch: readonly (number | null)[] }, x: XAxis) => (x === 'step' ? columns.globalStep : columns.epoch);

const taskLabel = (task: TaskKey) => `task ${task.toUpperCase()}`;

function trainingLoss(task: TaskKey): OverlaySpec {
  return {
    id: `chart-loss-${task}`,
    title: `Training loss, ${taskLabel(task)} (smoothed)`,
    logScale: false,
    format: formatMetric,
    curve: (series, options) => {
      const losses = (series.steps.loss[task] ?? []).map(toNumber);
      // Smoothed over the task's own steps: a step that trained only the other task is not a zero.
      const own = curveOf(series.runId, xsOf(series.steps, options.x), losses);
      return { ...own, ys: options.smoothing > 0 ? exponentialMovingAverage(own.ys, options.smoothing) : own.ys };
    },
    groupCurve: (group, options) =>
      group.steps === undefined
        ? undefined
        : groupCurveOf(group, xsOf(group.steps, options.x), group.steps.loss[task], (ys) => (options.smoothing > 0 ? exponentialMovingAverage(ys, options.smoothing) : ys)),
  };
}

const METRIC_TITLES: Record<ValidationMetric, string> = { loss: 'Validation loss', accuracy: 'Validation accuracy', macroF1: 'Validation macro-F1' };
const METRIC_IDS: Record<ValidationMetric, string> = { loss: 'validation-loss', accuracy: 'accuracy', macroF1: 'macro-f1' };

function validation(metric: ValidationMetric, task: TaskKey): OverlaySpec {
  return {
    id: `chart-${METRIC_IDS[metric]}-${task}`,
    title: `${METRIC_TITLES[metric]}, ${taskLabel(task)}`,
    logScale: false,
    format: formatMetric,
    curve: (series, options) => curveOf(series.runId, xsOf(series.validations, options.x), (series.validations.tasks[task]?.[metric] ?? []).map(toNumber)),
    groupCurve: (group, options) => (group.validations === undefined ? undefined : groupCurveOf(group, xsOf(group.validations, options.x), group.validations.tasks[task]?.[metric])),
  };
}

const learningRate: OverlaySpec = {
  id: 'chart-learning-rate',
  title: 'Learning rate',
  // Rates span decades (warm-up from near zero, decay), which a linear scale flattens.
  logScale: true,
  format: formatLearningRate,
  curve: (series, options) => {
    const rates = options.learningRateGroup === undefined ? [] : (series.steps.learningRates[options.learningRateGroup] ?? []);
    return curveOf(series.runId, xsOf(series.steps, options.x), rates.map(toNumber));
  },
};

/** Training loss per task, validation loss, accuracy and macro-F1 per task, then one group's learning rate. */
export const OVERLAY_SPECS: readonly OverlaySpec[] = [
  ...TASK_KEYS.map(trainingLoss),
  ...TASK_KEYS.map((task) => validation('loss', task)),
  ...TASK_KEYS.map((task) => validation('accuracy', task)),
  ...TASK_KEYS.map((task) => validation('macroF1', task)),
  learningRate,
];

/** Groups with a rate in any run, those that train (a rate above zero somewhere) first. */
export function learningRateGroups(series: readonly RunSeries[]): string[] {
  const trains = new Map<string, boolean>();
  for (const run of series) {
    for (const [group, rates] of Object.entries(run.steps.learningRates)) trains.set(group, (trains.get(group) ?? false) || rates.some((rate) => rate !== null && rate > 0));
  }
  return [...trains.keys()].sort((a, b) => Number(trains.get(b)) - Number(trains.get(a)) || a.localeCompare(b, undefined, { numeric: true }));
}

export interface AlignedCurves {
  readonly xs: number[];
  /** One column per curve, NaN where that curve has no point at the row's x. */
  readonly columns: Float64Array[];
}

/** The curves on one x array (the union of their xs). */
export function alignCurves(curves: readonly RunCurve[]): AlignedCurves {
  const all = new Float64Array(curves.reduce((sum, curve) => sum + curve.xs.length, 0));
  let offset = 0;
  for (const curve of curves) {
    all.set(curve.xs, offset);
    offset += curve.xs.length;
  }
  all.sort();
  const xs: number[] = [];
  for (const x of all) if (xs.length === 0 || xs[xs.length - 1] !== x) xs.push(x);
  const rowOf = new Map<number, number>();
  xs.forEach((x, row) => rowOf.set(x, row));
  const columns = curves.map((curve) => {
    const column = new Float64Array(xs.length).fill(NaN);
    for (let index = 0; index < curve.xs.length; index++) column[rowOf.get(curve.xs[index])!] = curve.ys[index];
    return column;
  });
  return { xs, columns };
}

/** The curve's value at `x`: its last point at or before it (a step between validations shows the last one). */
export function valueAt(curve: RunCurve, x: number): number | undefined {
  let low = 0;
  let high = curve.xs.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (curve.xs[middle] <= x) low = middle + 1;
    else high = middle;
  }
  return low === 0 ? undefined : curve.ys[low - 1];
}

/** Where each run's phases begin, in the chart's x; one marker for a boundary several runs share. */
export function phaseBoundaries(series: readonly RunSeries[], x: XAxis): { x: number; phase: string; runIds: string[] }[] {
  const boundaries = new Map<string, { x: number; phase: string; runIds: string[] }>();
  for (const run of series) {
    for (const phase of run.phases) {
      // At the phase's first step, as the training panel marks it.
      const row = run.steps.globalStep.indexOf(phase.startStep);
      const at = x === 'step' ? phase.startStep : toNumber(run.steps.epoch[row]);
      if (!Number.isFinite(at)) continue;
      const key = `${at}\n${phase.name}`;
      const known = boundaries.get(key) ?? { x: at, phase: phase.name, runIds: [] };
      known.runIds.push(run.runId);
      boundaries.set(key, known);
    }
  }
  return [...boundaries.values()].sort((a, b) => a.x - b.x);
}
