// The overlay charts: every run's curve on each chart (no cap on the number of runs), the pinned
// legend with the hover readout, and the controls: x by step or by epoch, the training-loss
// smoothing, the learning-rate group. They reuse the training panel's chart (LiveChart: its
// downsampling, drag-to-zoom shared by all charts, double-click reset, Shift+wheel pan, phase
// markers, theme colors). Each chart's element says how many curves it draws (`data-series`).

import type uPlot from 'uplot';
import type { ComparisonMessage, RunGroup, RunSeries } from '../../../src/protocol/compare-messages';
import type { RunSummary } from '../../../src/protocol/run-summary';
import { CHART_COLORS } from '../run/chart-colors';
import type { ChartContext } from '../run/chart-options';
import type { ChartContent, SeriesStyle } from '../run/chart-specs';
import { LiveChart } from '../run/live-chart';
import type { PhaseMarker } from '../run/run-data';
import { createSmoothingSlider } from '../run/smoothing-slider';
import { ThemeColors } from '../run/theme-colors';
import { XZoom } from '../run/x-zoom';
import { element } from '../shared/dom';
import { readCompareState, saveCompareState } from './compare-state';
import { alignCurves, learningRateGroups, type GroupCurve, OVERLAY_SPECS, phaseBoundaries, valueAt, type OverlaySpec, type RunCurve, type XAxis } from './overlay-data';
import { runColor, runDash, themeKindOf } from './palette';
import { createRunLegend } from './run-legend';

const FOCUS_DISTANCE_PX = 12;
const DIMMED_ALPHA = 0.2;

/** Runs up to which each curve gets a dot under the pointer; the legend's readout always has the values. */
const HOVER_POINTS_UP_TO = 12;

const isDecade = (value: number) => value > 0 && Math.abs(Math.log10(value) - Math.round(Math.log10(value))) < 1e-9;
const decadesOnly = (_plot: uPlot, splits: number[]) => splits.map((value) => (isDecade(value) ? value : null));
const decadeGridOnly = (axis: uPlot.Axis): uPlot.Axis => ({ ...axis, grid: { ...axis.grid, filter: decadesOnly }, ticks: { ...axis.ticks, filter: decadesOnly } });

export interface OverlayCharts {
  readonly element: HTMLElement;
  readonly update: (comparison: ComparisonMessage) => void;
  /** The run's color in the current theme. */
  readonly colorOf: (run: RunSummary) => string;
  /** Brings one run's curves forward in every chart (undefined: all runs alike). */
  readonly focusRun: (runId: string | undefined) => void;
}

interface ChartSlot {
  plot?: uPlot;
  /** The series focused by the pointer in this chart (uPlot index), or null. */
  focusedSeries?: number | null;
  readonly spec: OverlaySpec;
  readonly chart: LiveChart<ChartContent>;
  /** One per drawn series (uPlot index - 1); a band edge's runId is ''. */
  curves: RunCurve[];
  /** The ±std bands: uPlot indices of the upper and lower edge, and the fill. */
  bands: { upper: number; lower: number; fill: string }[];
  content: ChartContent;
}

/** Band fill: the group's color, faint (palette colors are #rrggbb). */
const BAND_ALPHA_HEX = '4d';

/** A variant label with each dotted key cut to its last part (phases.fine-tune.lr.encoder=1e-5 -> encoder=1e-5): the legend has little room. */
const shortLabel = (label: string) => label.replace(/(^| )[^ =]*\.([^ .=]+)=/g, '$1$2=');

/** Groups drawn as a mean line with a band: two runs or more, with curves. */
const drawnGroups = (comparison: ComparisonMessage | undefined): RunGroup[] => (comparison?.groups ?? []).filter((group) => group.n >= 2);

function dropdown(id: string, label: string, onChange: (value: string) => void) {
  const picker = element('vscode-dropdown', { id, attributes: { 'aria-label': label } });
  // The dropdown emits `change` only for the user's picks (not for a value set here).
  picker.addEventListener('change', () => onChange(picker.value));
  return { picker, element: element('label', { className: 'control' }, `${label} `, picker) };
}

function setOptions(picker: HTMLElementTagNameMap['vscode-dropdown'], options: readonly { value: string; text: string }[], selected: string | undefined): void {
  const key = options.map((option) => option.value).join('\n');
  if (picker.dataset.options !== key) {
    picker.replaceChildren(...options.map((option) => element('vscode-option', { text: option.text, attributes: { value: option.value } })));
    picker.dataset.options = key;
  }
  if (selected !== undefined) picker.value = selected;
}

export function createOverlayCharts(onFrameDrawn: (startedAt: number, endedAt: number, points: number) => void): OverlayCharts {
  const state = readCompareState();
  let comparison: ComparisonMessage | undefined;
  let x: XAxis = state.x;
  let learningRateGroup = state.learningRateGroup;
  let markers: PhaseMarker[] = [];
  let hovered: ChartSlot | undefined;

  let drawRequested = false;
  let dataChanged = true;
  const requestDraw = (changed = false) => {
    dataChanged ||= changed;
    if (drawRequested) return;
    drawRequested = true;
    requestAnimationFrame(drawFrame);
  };

  const colors = new ThemeColors();
  const zoom = new XZoom(() => requestDraw());
  const legend = createRunLegend((runId) => focusRun(runId));
  const theme = () => themeKindOf(document.body.classList);
  const colorOf = (run: RunSummary) => runColor(run.color, theme());
  const styleOf = (run: RunSummary, spec: OverlaySpec): SeriesStyle => ({
    label: run.name,
    // The variable is never set: it names the color per theme, so the colors' cache keeps both.
    color: { variable: `--thaw-run-${theme()}-${run.color}`, fallback: colorOf(run) },
    width: 1.5,
    dash: runDash(run.color),
    format: spec.format,
  });

  let focusedRun: string | undefined;
  let focusFrame: number | undefined;
  /**
   * Brings a run forward in every chart, at most once a frame: each focus change redraws a chart,
   * and 50 runs' curves in nine charts are too much to redraw on every pointer move.
   */
  function focusRun(runId: string | undefined): void {
    legend.markFocused(runId);
    if (runId === focusedRun) return;
    focusedRun = runId;
    if (focusFrame !== undefined) return;
    focusFrame = requestAnimationFrame(() => {
      focusFrame = undefined;
      for (const slot of slots) {
        const index = focusedRun === undefined ? -1 : slot.curves.findIndex((curve) => curve.runId === focusedRun);
        slot.plot?.setSeries(index < 0 ? null : index + 1, { focus: true }, false);
      }
    });
  }

  /** The curve nearest the pointer, within FOCUS_DISTANCE_PX, is brought forward in the hovered chart only. */
  function focusNearest(slot: ChartSlot, plot: uPlot, index: number): void {
    let nearest: number | null = null;
    let distance = FOCUS_DISTANCE_PX;
    for (let series = 1; series < plot.data.length; series++) {
      const value = plot.data[series][index];
      if (value === null || value === undefined || slot.curves[series - 1]?.runId === '') continue;
      const offset = Math.abs(plot.valToPos(value, 'y') - (plot.cursor.top ?? -Infinity));
      if (offset <= distance) [nearest, distance] = [series, offset];
    }
    if (nearest === slot.focusedSeries) return;
    slot.focusedSeries = nearest;
    plot.setSeries(nearest, { focus: true }, false);
    legend.markFocused(nearest === null ? focusedRun : slot.curves[nearest - 1]?.runId);
  }

  function readout(slot: ChartSlot, plot: uPlot): void {
    const index = plot.cursor.idx;
    const at = index === null || index === undefined ? undefined : plot.data[0][index];
    if (at === undefined || index === null || index === undefined || hovered !== slot) return;
    focusNearest(slot, plot, index);
    const values = new Map<string, string>();
    for (const curve of slot.curves) {
      if (curve.runId === '') continue;
      const value = valueAt(curve, at);
      if (value !== undefined) values.set(curve.runId, slot.spec.format(value));
    }
    legend.showReadout({ title: slot.spec.title, xLabel: x === 'step' ? `step ${at}` : `epoch ${at.toFixed(2)}`, values });
  }

  const slots: ChartSlot[] = OVERLAY_SPECS.map((spec) => {
    const slot = {} as ChartSlot;
    const context: ChartContext = {
      colors,
      zoom,
      phaseMarkers: () => markers,
      customize: (options) => ({
        ...options,
        legend: { show: false },
        // A hover dot per curve helps with a few runs; with dozens it is clutter, and costs each pointer move.
        // uPlot's own nearest-curve focus is off: with the cursor synced it would focus some curve in every
        // chart; focusNearest does it in the hovered chart only.
        cursor: {
          ...options.cursor,
          points: { show: options.series.length <= HOVER_POINTS_UP_TO + 1 },
          // Series indices differ between charts (a run without validations has none there): focus is shared by run id.
          sync: { key: options.cursor?.sync?.key ?? 'thaw-compare', setSeries: false },
        },
        focus: { alpha: DIMMED_ALPHA },
        // A band's edges draw no line and get no hover dot; the band is filled between them.
        series: [{ ...options.series[0], label: x }, ...options.series.slice(1).map((series, index) => (slot.curves[index]?.runId === '' ? { ...series, points: { show: false } } : series))],
        bands: slot.bands.map((band) => ({ series: [band.upper, band.lower], fill: band.fill })),
        // On a log scale uPlot grids every 1..9 of each decade; under dozens of curves that reads as noise.
        axes: spec.logScale ? [options.axes?.[0] ?? {}, decadeGridOnly(options.axes?.[1] ?? {})] : options.axes,
        hooks: {
          ...options.hooks,
          setCursor: [(plot) => readout(slot, plot)],
          ready: [
            (plot) => {
              slot.plot = plot;
              slot.focusedSeries = null;
              plot.over.addEventListener('mouseenter', () => (hovered = slot));
              plot.over.addEventListener('mouseleave', () => {
                hovered = undefined;
                legend.showReadout(undefined);
                // Back to the run focused from the legend, table or Pareto view (or none).
                slot.focusedSeries = null;
                const index = focusedRun === undefined ? -1 : slot.curves.findIndex((curve) => curve.runId === focusedRun);
                plot.setSeries(index < 0 ? null : index + 1, { focus: true }, false);
                legend.markFocused(focusedRun);
              });
            },
          ],
        },
      }),
    };
    const chart = new LiveChart<ChartContent>({ id: spec.id, title: spec.title, logScale: spec.logScale, formatAxis: spec.format, content: (content) => content }, context);
    return Object.assign(slot, { spec, chart, curves: [], bands: [], content: { xs: [], series: [] } });
  });

  const learningRateSlot = slots[slots.length - 1];
  const smoothing = createSmoothingSlider(() => requestDraw(true), { initial: state.smoothing, save: (weight) => saveCompareState({ smoothing: weight }) });
  const xAxis = dropdown('x-axis', 'X axis', (value) => {
    x = value === 'epoch' ? 'epoch' : 'step';
    saveCompareState({ x });
    zoom.set(undefined);
    requestDraw(true);
  });
  setOptions(xAxis.picker, [{ value: 'step', text: 'step' }, { value: 'epoch', text: 'epoch' }], x);
  // Seed groups as mean ± std (on when the comparison has groups); off: every run's own curve.
  const showGroups = element('vscode-checkbox', { id: 'show-groups', text: 'Groups (mean ± std)' });
  showGroups.checked = true;
  showGroups.hidden = true;
  showGroups.addEventListener('change', () => {
    setLegend();
    requestDraw(true);
  });
  const groupsShown = () => !showGroups.hidden && showGroups.checked;
  const groupPicker = dropdown('lr-group', 'Learning rate of', (value) => {
    learningRateGroup = value;
    saveCompareState({ learningRateGroup });
    requestDraw(true);
  });

  /** The legend lists what the charts draw: with groups shown, a group is one entry (its first run's id and color, its label and n). */
  function setLegend(): void {
    const runs = comparison?.runs ?? [];
    const groups = groupsShown() ? drawnGroups(comparison) : [];
    const grouped = new Set(groups.flatMap((group) => group.runIds.slice(1)));
    const groupOf = new Map(groups.map((group) => [group.runIds[0], group]));
    legend.setRuns(
      runs
        .filter((run) => !grouped.has(run.id))
        .map((run) => {
          const group = groupOf.get(run.id);
          return { run: group === undefined ? run : { ...run, name: `${shortLabel(group.label)} (n=${group.n})` }, color: colorOf(run), dash: runDash(run.color) };
        }),
    );
  }

  /** A group's three series: the band's upper and lower edge (no line), then the mean line, in its first run's color. */
  function groupStyles(group: RunGroup, first: RunSummary, curve: GroupCurve, spec: OverlaySpec): { style: SeriesStyle; curve: RunCurve }[] {
    const line = styleOf(first, spec);
    const label = `${group.label} (n=${group.n})`;
    return [
      { style: { ...line, label: `${label} +std`, width: 0 }, curve: curve.upper },
      { style: { ...line, label: `${label} -std`, width: 0 }, curve: curve.lower },
      { style: { ...line, label, width: 2 }, curve: curve.mean },
    ];
  }

  /** The curves of every chart, from the runs' series: again only when the data or a choice changed. */
  function prepare(): void {
    const runs = comparison?.runs ?? [];
    const seriesOf = new Map<string, RunSeries>((comparison?.series ?? []).map((series) => [series.runId, series]));
    const runOf = new Map(runs.map((run) => [run.id, run]));
    const options = { x, smoothing: smoothing.weight(), learningRateGroup };
    const groups = groupsShown() ? drawnGroups(comparison) : [];
    for (const slot of slots) {
      // A group drawn as its mean hides its runs' own curves (a chart without group curves, the learning rate, keeps them).
      const grouped = slot.spec.groupCurve === undefined ? [] : groups.flatMap((group) => {
        const curve = slot.spec.groupCurve?.(group, options);
        const first = runOf.get(group.runIds[0]);
        return curve === undefined || first === undefined || curve.mean.xs.length === 0 ? [] : [{ group, first, curve }];
      });
      const hidden = new Set(grouped.flatMap(({ group }) => group.runIds));
      const drawn = runs.flatMap((run) => {
        const series = seriesOf.get(run.id);
        const curve = series === undefined || hidden.has(run.id) ? undefined : slot.spec.curve(series, options);
        return curve === undefined || curve.xs.length === 0 ? [] : [{ run, curve }];
      });
      const groupSeries = grouped.flatMap(({ group, first, curve }) => groupStyles(group, first, curve, slot.spec));
      const curves = [...drawn.map(({ curve }) => curve), ...groupSeries.map(({ curve }) => curve)];
      const aligned = alignCurves(curves);
      slot.curves = curves;
      slot.bands = grouped.map(({ first }, index) => ({ upper: drawn.length + 3 * index + 1, lower: drawn.length + 3 * index + 2, fill: `${colorOf(first)}${BAND_ALPHA_HEX}` }));
      slot.content = {
        xs: aligned.xs,
        series: [...drawn.map(({ run }) => styleOf(run, slot.spec)), ...groupSeries.map(({ style }) => style)].map((style, index) => ({ style, values: aligned.columns[index] })),
      };
      slot.chart.element.dataset.series = String(drawn.length + grouped.length);
      slot.chart.element.dataset.groups = String(grouped.length);
      slot.chart.element.dataset.points = String(slot.curves.reduce((sum, curve) => sum + curve.xs.length, 0));
    }
    const rateTitle = learningRateSlot.chart.element.querySelector('h3');
    if (rateTitle !== null) rateTitle.textContent = learningRateGroup === undefined ? 'Learning rate' : `Learning rate of ${learningRateGroup}`;
    const colorById = new Map(runs.map((run) => [run.id, colorOf(run)]));
    markers = phaseBoundaries(comparison?.series ?? [], x).map((boundary) => ({
      globalStep: boundary.x,
      phase: boundary.phase,
      // A boundary all runs share is the theme's; one only some runs have is the first one's color.
      ...(boundary.runIds.length === runs.length ? {} : { color: colorById.get(boundary.runIds[0]) ?? colors.resolve(CHART_COLORS.foreground) }),
    }));
  }

  function drawFrame(): void {
    drawRequested = false;
    const startedAt = performance.now();
    if (dataChanged) prepare();
    dataChanged = false;
    for (const slot of slots) slot.chart.draw(slot.content, 0);
    const points = slots.reduce((sum, slot) => sum + slot.curves.reduce((total, curve) => total + curve.xs.length, 0), 0);
    onFrameDrawn(startedAt, performance.now(), points);
  }

  colors.watch(() => {
    for (const slot of slots) slot.chart.rebuild();
    if (comparison !== undefined) setLegend();
    requestDraw(true);
  });
  const grid = element('div', { id: 'chart-grid', className: 'chart-grid' }, ...slots.map((slot) => slot.chart.element));
  new ResizeObserver(() => requestDraw()).observe(grid);

  return {
    element: element(
      'section',
      { id: 'charts', className: 'charts' },
      // Controls and legend stay in view over the charts (the dropdowns open over the charts too).
      element(
        'div',
        { className: 'legend-bar' },
        element(
          'div',
          { className: 'chart-controls' },
          xAxis.element,
          showGroups,
          smoothing.element,
          groupPicker.element,
          element('span', { className: 'chart-hint', text: 'Drag to zoom · double-click to reset · Shift+wheel to pan' }),
        ),
        legend.element,
      ),
      grid,
    ),
    update: (next) => {
      const hadGroups = drawnGroups(comparison).length > 0;
      comparison = next;
      showGroups.hidden = drawnGroups(next).length === 0;
      if (!hadGroups && !showGroups.hidden) showGroups.checked = true;
      const groups = learningRateGroups(next.series);
      if (learningRateGroup === undefined || !groups.includes(learningRateGroup)) learningRateGroup = groups[0];
      setOptions(groupPicker.picker, groups.map((group) => ({ value: group, text: group })), learningRateGroup);
      setLegend();
      requestDraw(true);
    },
    colorOf,
    focusRun: (runId) => focusRun(runId),
  };
}
