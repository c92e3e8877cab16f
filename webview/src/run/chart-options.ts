// uPlot options for one chart: theme colors resolved at draw time, drag-to-zoom on x shared by
// all charts, double-click to show the whole run again, hover values in the legend, and the
// phase markers drawn over the plot.

import type uPlot from 'uplot';
import type { ChartSpec, SeriesStyle } from './chart-specs';
import { drawPhaseMarkers } from './phase-markers';
import type { PhaseMarker } from './run-data';
import { CHART_COLORS } from './chart-colors';
import type { ThemeColors } from './theme-colors';
import type { XZoom } from './x-zoom';

export const CHART_HEIGHT = 200;

export interface ChartContext {
  readonly colors: ThemeColors;
  readonly zoom: XZoom;
  readonly phaseMarkers: () => readonly PhaseMarker[];
  /** A page's changes to the options (the comparison hides uPlot's legend for its own readout). */
  readonly customize?: (options: uPlot.Options) => uPlot.Options;
}

function axis(context: ChartContext, fontFamily: string, format: (value: number) => string): uPlot.Axis {
  const gridColor = () => context.colors.resolve(CHART_COLORS.gridLines);
  return {
    stroke: () => context.colors.resolve(CHART_COLORS.foreground),
    font: `11px ${fontFamily}`,
    grid: { stroke: gridColor, width: 1 },
    ticks: { stroke: gridColor, width: 1 },
    values: (_plot, splits) => splits.map((value) => (value === null || value === undefined ? '' : format(value))),
  };
}

function series(context: ChartContext, style: SeriesStyle): uPlot.Series {
  return {
    label: style.label,
    stroke: () => context.colors.resolve(style.color),
    width: style.width,
    alpha: style.alpha ?? 1,
    dash: style.dash,
    // Each step trains one task (or both), so every series has holes at the other task's steps;
    // a task's curve joins its own points across them.
    spanGaps: true,
    value: (_plot, value) => (value === null || value === undefined ? '–' : style.format(value)),
  };
}

/** The x range a drag selected, in steps; the selection box itself is cleared, the zoom shows it. */
function zoomToSelection(plot: uPlot, zoom: XZoom): void {
  const { left, width } = plot.select;
  if (width <= 0) return;
  const min = plot.posToVal(left, 'x');
  const max = plot.posToVal(left + width, 'x');
  plot.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
  zoom.set({ min, max });
}

export function chartOptions(spec: Pick<ChartSpec, 'logScale' | 'formatAxis'>, styles: readonly SeriesStyle[], width: number, context: ChartContext): uPlot.Options {
  const fontFamily = context.colors.fontFamily();
  const options: uPlot.Options = {
    width,
    height: CHART_HEIGHT,
    scales: { x: { time: false }, y: spec.logScale ? { distr: 3, log: 10 } : {} },
    series: [{ label: 'step', value: (_plot, value) => (value === null || value === undefined ? '–' : String(value)) }, ...styles.map((style) => series(context, style))],
    axes: [axis(context, fontFamily, String), { ...axis(context, fontFamily, spec.formatAxis), size: 56 }],
    cursor: {
      // Zoom is applied by the shared XZoom (all charts at once), not by uPlot on this chart alone.
      drag: { x: true, y: false, setScale: false },
      sync: { key: 'thaw-steps' },
      bind: {
        dblclick: () => () => {
          context.zoom.set(undefined);
          return null;
        },
      },
    },
    legend: { live: true },
    hooks: {
      setSelect: [(plot) => zoomToSelection(plot, context.zoom)],
      draw: [(plot) => drawPhaseMarkers(plot, context.phaseMarkers(), context.colors.resolve(CHART_COLORS.foreground), fontFamily)],
    },
  };
  return context.customize?.(options) ?? options;
}
