// Turns a chart's full columns into what uPlot draws: only the rows in the visible x range, at
// most about `maxPointsPerSeries` per column. Each column's min/max rows are picked separately
// and the union is drawn for every column, so all columns stay aligned on one x array and no
// column's spike is lost. No DOM here.

import { minMaxIndices } from './downsample';

export interface XRange {
  readonly min: number;
  readonly max: number;
}

/** uPlot's aligned data: xs, then one y array per series (null: no point). */
export type DisplayData = [number[], ...(number | null)[][]];

/** First index whose x is past `isBefore`; xs are global steps, so they do not decrease. */
function firstIndexAfter(xs: readonly number[], isBefore: (x: number) => boolean): number {
  let low = 0;
  let high = xs.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (isBefore(xs[middle])) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** The rows to consider: those in range, plus one either side so the lines reach the chart's edges. */
function visibleRows(xs: readonly number[], range: XRange | undefined): { from: number; to: number } {
  if (!range) return { from: 0, to: xs.length };
  const from = Math.max(0, firstIndexAfter(xs, (x) => x < range.min) - 1);
  const to = Math.min(xs.length, firstIndexAfter(xs, (x) => x <= range.max) + 1);
  return { from, to };
}

export function displayData(
  xs: readonly number[],
  columns: readonly (ArrayLike<number> | undefined)[],
  maxPointsPerSeries: number,
  range?: XRange,
  /** Log scales cannot show zero or below; those points are left out rather than clamped. */
  positiveOnly = false,
): DisplayData {
  const { from, to } = visibleRows(xs, range);
  const picked = new Uint8Array(Math.max(0, to - from));
  for (const column of columns) {
    if (!column) continue;
    for (const index of minMaxIndices(column, maxPointsPerSeries, from, to)) picked[index - from] = 1;
  }
  const rows: number[] = [];
  for (let offset = 0; offset < picked.length; offset++) if (picked[offset]) rows.push(from + offset);

  const drawable = (value: number | undefined) =>
    value !== undefined && Number.isFinite(value) && (!positiveOnly || value > 0) ? value : null;
  return [rows.map((row) => xs[row]), ...columns.map((column) => rows.map((row) => drawable(column?.[row])))];
}
