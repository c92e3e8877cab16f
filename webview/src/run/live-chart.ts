// One uPlot chart kept current with the run: each draw downsamples the visible part of the data
// to the chart's width and hands it to uPlot. The chart is rebuilt when its series change (a
// learning-rate group starts training) or the theme changes (uPlot styles its legend once).

import uPlot from 'uplot';
import { CHART_HEIGHT, chartOptions, type ChartContext } from './chart-options';
import type { ChartSpec } from './chart-specs';
import { displayData } from './display-data';
import { element } from '../shared/dom';
import type { RunData } from './run-data';

/** Two points per pixel column (a bucket's min and max) is all a line can show; 2000 caps a wide screen. */
const maxPointsFor = (width: number) => Math.min(2000, Math.max(100, Math.round(width * 2)));

export class LiveChart<Data = RunData> {
  readonly element: HTMLDivElement;
  private readonly plotArea: HTMLDivElement;
  private plot: uPlot | undefined;
  private seriesLabels = '';

  constructor(
    private readonly spec: ChartSpec<Data>,
    private readonly context: ChartContext,
  ) {
    this.plotArea = element('div', { className: 'chart-plot' });
    this.element = element('div', { id: spec.id, className: 'chart' }, element('h3', { text: spec.title }), this.plotArea);
  }

  draw(data: Data, smoothing: number): void {
    const width = this.plotArea.clientWidth;
    // A hidden panel has no width; it draws when it is shown again.
    if (width === 0) return;
    const content = this.spec.content(data, smoothing);
    const range = this.context.zoom.range;
    const shown = displayData(content.xs, content.series.map((series) => series.values), maxPointsFor(width), range, this.spec.logScale);
    // A series' look is fixed when the chart is built: a new label, color or dash builds it again.
    const labels = content.series.map(({ style }) => `${style.label}\u0000${style.color.variable}\u0000${style.dash?.join(',') ?? ''}`).join('\n');
    // uPlot keeps the last scales when given no data; a fresh chart does not show a cleared run's axes.
    const cleared = shown[0].length === 0 && (this.plot?.data[0].length ?? 0) > 0;
    if (!this.plot || labels !== this.seriesLabels || cleared) {
      this.plot?.destroy();
      const options = chartOptions(this.spec, content.series.map((series) => series.style), width, this.context);
      this.plot = new uPlot(options, undefined, this.plotArea);
      this.seriesLabels = labels;
      this.installWheelPan(this.plot);
    } else if (this.plot.width !== width) {
      this.plot.setSize({ width, height: CHART_HEIGHT });
    }
    const plot = this.plot;
    // batch() draws now rather than in a microtask, so a frame's timing includes the drawing.
    plot.batch(() => {
      plot.setData(shown);
      if (range) plot.setScale('x', range);
    });
  }

  /** Forgets the uPlot instance; the next draw builds a new one with fresh theme colors. */
  rebuild(): void {
    this.plot?.destroy();
    this.plot = undefined;
  }

  /** Shift+wheel (or a sideways trackpad swipe) pans a zoomed chart; a plain wheel still scrolls the page. */
  private installWheelPan(plot: uPlot): void {
    plot.over.addEventListener(
      'wheel',
      (event) => {
        const range = this.context.zoom.range;
        const sideways = event.shiftKey ? event.deltaY || event.deltaX : Math.abs(event.deltaX) > Math.abs(event.deltaY) ? event.deltaX : 0;
        if (!range || sideways === 0) return;
        event.preventDefault();
        const shift = (sideways / plot.over.clientWidth) * (range.max - range.min);
        this.context.zoom.set({ min: range.min + shift, max: range.max + shift });
      },
      { passive: false },
    );
  }
}
