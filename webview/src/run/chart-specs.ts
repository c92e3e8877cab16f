// What each of the four charts shows, as columns of the run's data. Task A is blue and task B
// orange on every chart, so a glance across charts follows one task.

import { TASK_KEYS, type TaskKey } from '../../../src/core/vocabulary/groups';
import { exponentialMovingAverage } from './downsample';
import { formatLearningRate, formatMetric } from '../../../src/core/vocabulary/format';
import { validationColumn, type RunData } from './run-data';
import type { SeriesTable } from './series-table';
import { CHART_COLORS, type ThemeColor } from './chart-colors';

export interface SeriesStyle {
  readonly label: string;
  readonly color: ThemeColor;
  readonly width: number;
  /** Raw, noisy curves are drawn faint so the smoothed curve over them reads. */
  readonly alpha?: number;
  readonly dash?: number[];
  readonly format: (value: number) => string;
}

export interface ChartContent {
  readonly xs: readonly number[];
  readonly series: readonly { readonly style: SeriesStyle; readonly values: ArrayLike<number> | undefined }[];
}

/** A chart of `Data`: the training panel's charts draw a run (RunData), the comparison's draw prepared content. */
export interface ChartSpec<Data = RunData> {
  readonly id: string;
  readonly title: string;
  readonly logScale: boolean;
  readonly formatAxis: (value: number) => string;
  readonly content: (data: Data, smoothing: number) => ChartContent;
}

const TASK_COLORS: Record<TaskKey, ThemeColor> = { a: CHART_COLORS.blue, b: CHART_COLORS.orange };
const GROUP_COLORS = [CHART_COLORS.blue, CHART_COLORS.orange, CHART_COLORS.green, CHART_COLORS.red, CHART_COLORS.purple, CHART_COLORS.yellow];

const metricStyle = (label: string, color: ThemeColor, extra: Partial<SeriesStyle> = {}): SeriesStyle => ({
  label,
  color,
  width: 1.5,
  format: formatMetric,
  ...extra,
});

/** Smoothing every column on every frame is wasted work when neither the data nor the weight changed. */
function smoothedColumns() {
  let cached: { rowCount: number; table: SeriesTable; weight: number; smoothed: Record<TaskKey, number[] | undefined> } | undefined;
  return (table: SeriesTable, weight: number) => {
    if (cached?.table !== table || cached.rowCount !== table.rowCount || cached.weight !== weight) {
      const smoothed = { a: undefined, b: undefined } as Record<TaskKey, number[] | undefined>;
      for (const task of TASK_KEYS) {
        const column = table.column(task);
        if (column) smoothed[task] = exponentialMovingAverage(column, weight);
      }
      cached = { rowCount: table.rowCount, table, weight, smoothed };
    }
    return cached.smoothed;
  };
}

function trainingLossChart(): ChartSpec {
  const smooth = smoothedColumns();
  return {
    id: 'chart-loss',
    title: 'Training loss',
    logScale: false,
    formatAxis: formatMetric,
    content: (data, smoothing) => {
      const smoothed = smooth(data.losses, smoothing);
      return {
        xs: data.losses.xs,
        series: [
          ...TASK_KEYS.map((task) => ({
            style: metricStyle(`task ${task.toUpperCase()}`, TASK_COLORS[task], { width: 1, alpha: 0.35 }),
            values: data.losses.column(task),
          })),
          ...TASK_KEYS.map((task) => ({
            style: metricStyle(`task ${task.toUpperCase()} (smoothed)`, TASK_COLORS[task], { width: 2 }),
            values: smoothed[task],
          })),
        ],
      };
    },
  };
}

const validationLossChart: ChartSpec = {
  id: 'chart-validation-loss',
  title: 'Validation loss',
  logScale: false,
  formatAxis: formatMetric,
  content: (data) => ({
    xs: data.validation.xs,
    series: TASK_KEYS.map((task) => ({
      style: metricStyle(`task ${task.toUpperCase()}`, TASK_COLORS[task], { width: 2 }),
      values: data.validation.column(validationColumn('loss', task)),
    })),
  }),
};

const validationMetricsChart: ChartSpec = {
  id: 'chart-validation-metrics',
  title: 'Validation accuracy and macro-F1',
  logScale: false,
  formatAxis: formatMetric,
  content: (data) => ({
    xs: data.validation.xs,
    series: TASK_KEYS.flatMap((task) => [
      {
        style: metricStyle(`accuracy ${task.toUpperCase()}`, TASK_COLORS[task], { width: 2 }),
        values: data.validation.column(validationColumn('accuracy', task)),
      },
      {
        style: metricStyle(`macro-F1 ${task.toUpperCase()}`, TASK_COLORS[task], { width: 2, dash: [6, 4] }),
        values: data.validation.column(validationColumn('macroF1', task)),
      },
    ]),
  }),
};

const learningRateChart: ChartSpec = {
  id: 'chart-learning-rate',
  title: 'Learning rate per group',
  // Rates span decades (layer-wise decay, warm-up from near zero), which a linear scale flattens.
  logScale: true,
  formatAxis: formatLearningRate,
  content: (data) => ({
    xs: data.learningRates.xs,
    series: data.learningRates
      .columnNames()
      .filter((group) => data.trainedGroups.has(group))
      .map((group, index) => ({
        style: {
          label: group,
          color: GROUP_COLORS[index % GROUP_COLORS.length],
          width: 1.5,
          // Past six groups the colors repeat; the dash tells the repeats apart.
          dash: index < GROUP_COLORS.length ? undefined : [2 + 2 * Math.floor(index / GROUP_COLORS.length), 3],
          format: formatLearningRate,
        },
        values: data.learningRates.column(group),
      })),
  }),
};

export function createChartSpecs(): ChartSpec[] {
  return [trainingLossChart(), validationLossChart, validationMetricsChart, learningRateChart];
}
