// The chart area: the smoothing slider and the four live charts in a grid. However many `run`
// messages arrive, the charts redraw at most once per animation frame.

import { createChartSpecs } from './chart-specs';
import { element } from '../shared/dom';
import { LiveChart } from './live-chart';
import type { RunData } from './run-data';
import { createSmoothingSlider } from './smoothing-slider';
import { ThemeColors } from './theme-colors';
import { XZoom } from './x-zoom';

export interface Charts {
  readonly element: HTMLElement;
  /** Draws in the next animation frame, once however often it is asked. */
  readonly requestDraw: () => void;
  /** Publishes how much data is held, on the loss chart's element (`data-points-a`, `data-points-b`, `data-validations`). */
  readonly showCounts: () => void;
  /** Shows the whole run again: a new run's steps need not be where the old zoom was. */
  readonly resetZoom: () => void;
}

export function createCharts(data: RunData, onFrameDrawn: (startedAt: number, endedAt: number) => void): Charts {
  let drawRequested = false;
  const requestDraw = () => {
    if (drawRequested) return;
    drawRequested = true;
    requestAnimationFrame(drawFrame);
  };

  const colors = new ThemeColors();
  const zoom = new XZoom(requestDraw);
  const context = { colors, zoom, phaseMarkers: () => data.phaseMarkers };
  const charts = createChartSpecs().map((spec) => new LiveChart(spec, context));
  const smoothing = createSmoothingSlider(requestDraw);
  const lossChart = charts[0].element;

  function drawFrame(): void {
    drawRequested = false;
    const startedAt = performance.now();
    for (const chart of charts) chart.draw(data, smoothing.weight());
    onFrameDrawn(startedAt, performance.now());
  }

  colors.watch(() => {
    for (const chart of charts) chart.rebuild();
    requestDraw();
  });
  const grid = element('div', { id: 'chart-grid', className: 'chart-grid' }, ...charts.map((chart) => chart.element));
  new ResizeObserver(requestDraw).observe(grid);

  return {
    element: element(
      'section',
      { id: 'charts', className: 'charts' },
      element('div', { className: 'chart-controls' }, smoothing.element, element('span', { className: 'chart-hint', text: 'Drag to zoom · double-click to reset · Shift+wheel to pan' })),
      grid,
    ),
    requestDraw,
    showCounts: () => {
      lossChart.dataset.pointsA = String(data.lossPoints('a'));
      lossChart.dataset.pointsB = String(data.lossPoints('b'));
      lossChart.dataset.validations = String(data.validationCount());
    },
    resetZoom: () => zoom.set(undefined),
  };
}
