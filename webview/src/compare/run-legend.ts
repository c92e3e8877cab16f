// The pinned legend over the charts: each run's line (its color and dash) and name, and while the
// pointer is over a chart, every run's value there (its last point at or before that x).

import type { RunSummary } from '../../../src/protocol/run-summary';
import { element } from '../shared/dom';

const SVG = 'http://www.w3.org/2000/svg';

export interface LegendEntry {
  readonly run: RunSummary;
  readonly color: string;
  readonly dash: readonly number[] | undefined;
}

export interface Readout {
  readonly title: string;
  readonly xLabel: string;
  readonly values: ReadonlyMap<string, string>;
}

export interface RunLegend {
  readonly element: HTMLElement;
  readonly setRuns: (entries: readonly LegendEntry[]) => void;
  /** The values under the pointer, or undefined when it is over no chart. */
  readonly showReadout: (readout: Readout | undefined) => void;
  /** Marks the run whose curves are brought forward (undefined: none). */
  readonly markFocused: (runId: string | undefined) => void;
}

function lineSample(color: string, dash: readonly number[] | undefined): SVGSVGElement {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('class', 'legend-line');
  svg.setAttribute('viewBox', '0 0 24 8');
  svg.setAttribute('aria-hidden', 'true');
  const line = document.createElementNS(SVG, 'line');
  for (const [name, value] of Object.entries({ x1: '1', y1: '4', x2: '23', y2: '4', stroke: color, 'stroke-width': '2.5' })) line.setAttribute(name, value);
  if (dash !== undefined) line.setAttribute('stroke-dasharray', dash.map((length) => length / 2).join(' '));
  svg.append(line);
  return svg;
}

/** `onHoverRun`: the pointer is over a run's entry (undefined: it left). */
export function createRunLegend(onHoverRun: (runId: string | undefined) => void): RunLegend {
  const heading = element('span', { id: 'readout-heading', className: 'readout-heading', text: 'Hover a chart for every run’s value' });
  const list = element('ol', { id: 'run-legend', className: 'run-legend', attributes: { 'aria-label': 'Runs' } });
  const values = new Map<string, HTMLSpanElement>();
  return {
    element: element('div', { id: 'legend', className: 'legend' }, heading, list),
    setRuns: (entries) => {
      values.clear();
      list.replaceChildren(
        ...entries.map(({ run, color, dash }) => {
          const value = element('span', { className: 'legend-value' });
          values.set(run.id, value);
          const entry = element('li', { className: 'legend-entry', attributes: { 'data-run-id': run.id, title: run.id } }, lineSample(color, dash), element('span', { className: 'legend-name', text: run.name }), value);
          entry.addEventListener('mouseenter', () => onHoverRun(run.id));
          entry.addEventListener('mouseleave', () => onHoverRun(undefined));
          return entry;
        }),
      );
    },
    markFocused: (runId) => {
      list.classList.toggle('has-focus', runId !== undefined);
      for (const entry of list.children) entry.classList.toggle('focused', entry instanceof HTMLElement && entry.dataset.runId === runId);
    },
    showReadout: (readout) => {
      heading.textContent = readout === undefined ? 'Hover a chart for every run’s value' : `${readout.title} at ${readout.xLabel}`;
      for (const [runId, value] of values) value.textContent = readout?.values.get(runId) ?? '';
    },
  };
}
