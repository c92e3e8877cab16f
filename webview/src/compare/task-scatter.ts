// The multi-task view: each run's final validation accuracy on task A (x) against task B (y),
// one point per run in its color, the Pareto front (no run beats a front run on one task without
// losing on the other) drawn as a line through its runs, which are ringed. An SVG, so each point
// carries its run's name as a tooltip and `data-run-id` for tests.

import { formatMetric } from '../../../src/core/vocabulary/format';
import type { RunSummary } from '../../../src/protocol/run-summary';
import { element } from '../shared/dom';
import { paretoFront } from './pareto';

const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 420;
const HEIGHT = 300;
const MARGIN = { left: 48, right: 16, top: 12, bottom: 40 };

function svg<Tag extends keyof SVGElementTagNameMap>(tag: Tag, attributes: Record<string, string | number>, ...children: (Node | string)[]): SVGElementTagNameMap[Tag] {
  const created = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) created.setAttribute(name, String(value));
  created.append(...children);
  return created;
}

interface RunPoint {
  readonly run: RunSummary;
  readonly x: number;
  readonly y: number;
}

/** An axis range with some room around the points, within [0, 1]; at least 0.1 wide. */
function range(values: readonly number[]): [number, number] {
  const low = Math.min(...values);
  const high = Math.max(...values);
  const pad = Math.max(0.02, (high - low) * 0.08);
  let from = Math.max(0, low - pad);
  let to = Math.min(1, high + pad);
  if (to - from < 0.1) [from, to] = [Math.max(0, Math.min(from, to - 0.1)), Math.min(1, Math.max(to, from + 0.1))];
  return [from, to];
}

function ticks([from, to]: [number, number]): number[] {
  const step = to - from > 0.5 ? 0.2 : to - from > 0.2 ? 0.05 : 0.02;
  const first = Math.ceil(from / step) * step;
  const values: number[] = [];
  for (let value = first; value <= to + 1e-9; value += step) values.push(Number(value.toFixed(4)));
  return values;
}

export interface TaskScatter {
  readonly element: HTMLElement;
  readonly update: (runs: readonly RunSummary[], colorOf: (run: RunSummary) => string) => void;
}

/** `onHoverRun`: the pointer is over a run's point (undefined: it left). */
export function createTaskScatter(onHoverRun: (runId: string | undefined) => void): TaskScatter {
  const plot = svg('svg', { id: 'pareto-plot', class: 'pareto-plot', viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: 'img', 'aria-label': 'Task A against task B final accuracy' });
  const caption = element('p', { id: 'pareto-caption', className: 'pareto-caption' });
  const container = element('div', { id: 'chart-pareto', className: 'chart pareto' }, element('h3', { text: 'Task A against task B: final validation accuracy' }), plot, caption);

  const update = (runs: readonly RunSummary[], colorOf: (run: RunSummary) => string) => {
    const points: RunPoint[] = runs.flatMap((run) => {
      const x = run.tasks.a?.final?.accuracy;
      const y = run.tasks.b?.final?.accuracy;
      return x === undefined || y === undefined ? [] : [{ run, x, y }];
    });
    const front = paretoFront(points);
    container.dataset.points = String(points.length);
    container.dataset.front = String(front.length);
    const onFront = new Set(front.map((point) => point.run.id));
    caption.textContent =
      points.length === 0
        ? 'No run has a final validation of both tasks yet.'
        : `Pareto front: ${front.map((point) => point.run.name).join(', ')}${points.length < runs.length ? ` · ${runs.length - points.length} run(s) without both tasks left out` : ''}`;
    if (points.length === 0) {
      plot.replaceChildren();
      return;
    }
    const xRange = range(points.map((point) => point.x));
    const yRange = range(points.map((point) => point.y));
    const left = MARGIN.left;
    const right = WIDTH - MARGIN.right;
    const top = MARGIN.top;
    const bottom = HEIGHT - MARGIN.bottom;
    const px = (value: number) => left + ((value - xRange[0]) / (xRange[1] - xRange[0])) * (right - left);
    const py = (value: number) => bottom - ((value - yRange[0]) / (yRange[1] - yRange[0])) * (bottom - top);
    const grid = [
      ...ticks(xRange).flatMap((tick) => [svg('line', { class: 'grid', x1: px(tick), x2: px(tick), y1: top, y2: bottom }), svg('text', { class: 'tick', x: px(tick), y: bottom + 14, 'text-anchor': 'middle' }, formatMetric(tick))]),
      ...ticks(yRange).flatMap((tick) => [svg('line', { class: 'grid', x1: left, x2: right, y1: py(tick), y2: py(tick) }), svg('text', { class: 'tick', x: left - 6, y: py(tick) + 4, 'text-anchor': 'end' }, formatMetric(tick))]),
      svg('text', { class: 'axis-label', x: (left + right) / 2, y: HEIGHT - 6, 'text-anchor': 'middle' }, `task A accuracy${runs[0]?.tasks.a?.name ? ` (${runs[0].tasks.a.name})` : ''}`),
      svg('text', { class: 'axis-label', x: 12, y: (top + bottom) / 2, 'text-anchor': 'middle', transform: `rotate(-90 12 ${(top + bottom) / 2})` }, `task B accuracy${runs[0]?.tasks.b?.name ? ` (${runs[0].tasks.b.name})` : ''}`),
    ];
    const frontLine = svg('polyline', { class: 'front-line', points: front.map((point) => `${px(point.x)},${py(point.y)}`).join(' ') });
    const dots = points.map((point) => {
      const circle = svg('circle', { class: onFront.has(point.run.id) ? 'point on-front' : 'point', cx: px(point.x), cy: py(point.y), r: onFront.has(point.run.id) ? 5.5 : 4.5, fill: colorOf(point.run), 'data-run-id': point.run.id });
      circle.addEventListener('mouseenter', () => onHoverRun(point.run.id));
      circle.addEventListener('mouseleave', () => onHoverRun(undefined));
      circle.append(svg('title', {}, `${point.run.name}: A ${formatMetric(point.x)}, B ${formatMetric(point.y)}${onFront.has(point.run.id) ? ' (Pareto front)' : ''}`));
      return circle;
    });
    plot.replaceChildren(...grid, frontLine, ...dots);
  };
  return { element: container, update };
}
