// The comparison table as data: its columns (status and name, the config keys that differ, the
// training engine, each task's final and best figures, steps, duration, trainable parameters),
// sorting, filtering, deltas against a pinned baseline run, and the CSV of what is shown. No DOM
// here.

import { formatDuration, formatMetric, formatParameterCount, formatPhaseEngines } from '../../../src/core/vocabulary/format';
import { TASK_KEYS, type TaskKey } from '../../../src/core/vocabulary/groups';
import type { RunSummary } from '../../../src/protocol/run-summary';
import { toCsv, type CsvValue } from './csv';

export type CellValue = string | number | undefined;

export interface TableColumn {
  /** Stable across comparisons (kept in the UI state for the sort). */
  readonly key: string;
  readonly label: string;
  readonly title?: string;
  readonly kind: 'text' | 'config' | 'number';
  /** For deltas: is a larger value better (accuracy), worse (loss), or neither (steps)? */
  readonly better?: 'higher' | 'lower';
  readonly value: (run: RunSummary) => CellValue;
  readonly format: (value: number) => string;
}

export interface ComparedKeys {
  readonly differing: Readonly<Record<string, readonly unknown[]>>;
  readonly same: Readonly<Record<string, unknown>>;
}

export type SortDirection = 'ascending' | 'descending';
export interface TableSort {
  readonly column: string;
  readonly direction: SortDirection;
}

const configText = (value: unknown): CellValue => {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number') return value;
  return typeof value === 'string' ? value : JSON.stringify(value);
};

const TASK_FIGURES = [
  { key: 'final.accuracy', label: 'final acc', better: 'higher', pick: (run: RunSummary, task: TaskKey) => run.tasks[task]?.final?.accuracy },
  { key: 'best.accuracy', label: 'best acc', better: 'higher', pick: (run: RunSummary, task: TaskKey) => run.tasks[task]?.best?.accuracy },
  { key: 'final.macroF1', label: 'final F1', better: 'higher', pick: (run: RunSummary, task: TaskKey) => run.tasks[task]?.final?.macroF1 },
  { key: 'best.macroF1', label: 'best F1', better: 'higher', pick: (run: RunSummary, task: TaskKey) => run.tasks[task]?.best?.macroF1 },
  { key: 'final.loss', label: 'final loss', better: 'lower', pick: (run: RunSummary, task: TaskKey) => run.tasks[task]?.final?.loss },
] as const;

/** The task's name as the runs recorded it (the first run that has one). */
const taskName = (runs: readonly RunSummary[], task: TaskKey) => runs.find((run) => run.tasks[task] !== undefined)?.tasks[task]?.name;

export function tableColumns(runs: readonly RunSummary[], keys: ComparedKeys, showAllConfig: boolean): TableColumn[] {
  const configKeys = showAllConfig ? [...new Set([...Object.keys(keys.differing), ...Object.keys(keys.same)])].sort() : Object.keys(keys.differing).sort();
  return [
    { key: 'status', label: 'Status', kind: 'text', value: (run) => run.status, format: String },
    { key: 'name', label: 'Run', kind: 'text', value: (run) => run.name, format: String },
    { key: 'tags', label: 'Tags', kind: 'text', value: (run) => (run.tags.length === 0 ? undefined : run.tags.join(' ')), format: String },
    ...configKeys.map((key): TableColumn => ({ key: `config:${key}`, label: key, title: Object.hasOwn(keys.differing, key) ? 'differs among the runs' : 'the same in every run', kind: 'config', value: (run) => configText(run.config[key]), format: String })),
    // The config's "engine" is what was asked for (auto); this is what trained each phase. Runs from before engines were recorded have none.
    ...(runs.some((run) => run.phaseEngines !== undefined) ? [{ key: 'engines', label: 'Engine', title: 'what trained each phase', kind: 'text', value: (run) => formatPhaseEngines(run.phaseEngines), format: String } satisfies TableColumn] : []),
    ...TASK_KEYS.flatMap((task) =>
      TASK_FIGURES.map((figure): TableColumn => ({
        key: `${task}.${figure.key}`,
        label: `${task.toUpperCase()} ${figure.label}`,
        title: `task ${task.toUpperCase()}${taskName(runs, task) === undefined ? '' : ` (${taskName(runs, task)})`}: ${figure.label}`,
        kind: 'number',
        better: figure.better,
        value: (run) => figure.pick(run, task),
        format: formatMetric,
      })),
    ),
    { key: 'steps', label: 'Steps', kind: 'number', value: (run) => run.steps, format: String },
    { key: 'duration', label: 'Duration', kind: 'number', value: (run) => run.durationMs, format: formatDuration },
    { key: 'trainable', label: 'Trainable', title: 'trainable parameters of the last phase', kind: 'number', value: (run) => run.trainableParameters, format: formatParameterCount },
  ];
}

export function cellText(column: TableColumn, run: RunSummary): string {
  const value = column.value(run);
  if (value === undefined) return '';
  return typeof value === 'number' ? column.format(value) : value;
}

/** Runs sorted by a column; runs without a value go last either way, and ties keep their order. */
export function sortRuns(runs: readonly RunSummary[], column: TableColumn | undefined, direction: SortDirection): RunSummary[] {
  if (column === undefined) return [...runs];
  const sign = direction === 'ascending' ? 1 : -1;
  return runs
    .map((run, index) => ({ run, index, value: column.value(run) }))
    .sort((a, b) => {
      if (a.value === undefined || b.value === undefined) return (a.value === undefined ? 1 : 0) - (b.value === undefined ? 1 : 0) || a.index - b.index;
      const order = typeof a.value === 'number' && typeof b.value === 'number' ? a.value - b.value : String(a.value).localeCompare(String(b.value), undefined, { numeric: true });
      return sign * order || a.index - b.index;
    })
    .map(({ run }) => run);
}

/** Runs any of whose shown cells (or id) contains every word of `text`, ignoring case. */
export function filterRuns(runs: readonly RunSummary[], columns: readonly TableColumn[], text: string): RunSummary[] {
  const words = text.toLowerCase().split(/\s+/).filter((word) => word !== '');
  if (words.length === 0) return [...runs];
  return runs.filter((run) => {
    const haystack = [run.id, ...columns.map((column) => cellText(column, run))].join('\n').toLowerCase();
    return words.every((word) => haystack.includes(word));
  });
}

export interface Delta {
  readonly value: number;
  /** Better or worse than the baseline, for columns where that can be told. */
  readonly verdict: 'better' | 'worse' | 'same' | 'neutral';
}

/** The run's value minus the baseline's, for number columns where both have one. */
export function deltaOf(column: TableColumn, run: RunSummary, baseline: RunSummary | undefined): Delta | undefined {
  if (baseline === undefined || run.id === baseline.id || column.kind !== 'number') return undefined;
  const value = column.value(run);
  const base = column.value(baseline);
  if (typeof value !== 'number' || typeof base !== 'number') return undefined;
  const difference = value - base;
  if (difference === 0) return { value: 0, verdict: 'same' };
  if (column.better === undefined) return { value: difference, verdict: 'neutral' };
  return { value: difference, verdict: (difference > 0) === (column.better === 'higher') ? 'better' : 'worse' };
}

/** "+0.0123", "-2s", "±0": a delta in the column's own format. */
export function formatDelta(column: TableColumn, delta: Delta): string {
  if (delta.value === 0) return '±0';
  const sign = delta.value > 0 ? '+' : '-';
  return `${sign}${column.format(Math.abs(delta.value))}`;
}

/**
 * The table as shown (these rows, these columns) as CSV. Numbers are written whole (not rounded
 * as displayed), so a spreadsheet can compute with them; with a baseline, each number column is
 * followed by its delta column.
 */
export function tableCsv(columns: readonly TableColumn[], rows: readonly RunSummary[], baseline: RunSummary | undefined): string {
  const withDelta = (column: TableColumn) => baseline !== undefined && column.kind === 'number';
  const header = ['id', ...columns.flatMap((column) => (withDelta(column) ? [column.label, `${column.label} Δ vs ${baseline?.name ?? ''}`] : [column.label]))];
  const lines = rows.map((run): CsvValue[] => [
    run.id,
    ...columns.flatMap((column): CsvValue[] => {
      const value = column.value(run);
      if (!withDelta(column)) return [value];
      return [value, deltaOf(column, run, baseline)?.value ?? (run.id === baseline?.id && typeof value === 'number' ? 0 : undefined)];
    }),
  ]);
  return toCsv(header, lines);
}
