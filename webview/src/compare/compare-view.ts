// The comparison page: the table, the multi-task view and the overlay charts. Its one update
// function takes the host's `comparison` message; the first frame drawn after a comparison
// arrives is reported (`renderTiming`, and `data-first-render-ms` on the page for benchmarks).

import type { ComparisonMessage } from '../../../src/protocol/compare-messages';
import { element } from '../shared/dom';
import { postToHost, saveCompareState } from './compare-state';
import { createOverlayCharts } from './overlay-charts';
import { createRunTable } from './run-table';
import { createTaskScatter } from './task-scatter';

export interface CompareView {
  readonly element: HTMLElement;
  readonly updateComparison: (message: ComparisonMessage, receivedAt: number) => void;
}

export function createCompareView(): CompareView {
  let pending: { receivedAt: number; runs: number } | undefined;
  const root = element('main', { id: 'compare', className: 'compare' });
  const charts = createOverlayCharts((startedAt, endedAt, points) => {
    root.dataset.lastDrawMs = (endedAt - startedAt).toFixed(1);
    root.dataset.draws = String(Number(root.dataset.draws ?? 0) + 1);
    if (pending === undefined) return;
    const firstRenderMs = endedAt - pending.receivedAt;
    root.dataset.firstRenderMs = firstRenderMs.toFixed(1);
    postToHost({ type: 'renderTiming', firstRenderMs, runs: pending.runs, points });
    pending = undefined;
  });
  // Pointing at a run anywhere (row, point, legend, curve) brings its curves forward.
  const table = createRunTable(charts.focusRun);
  const scatter = createTaskScatter(charts.focusRun);
  const empty = element('p', { id: 'no-runs', className: 'no-runs', text: 'Reading the runs…' });
  // A --scenarios sweep's report, as `thaw sweep --scenarios` prints it: before and after, drift, the best per task.
  const reportText = element('pre', { className: 'scenario-report-text' });
  const report = element('section', { id: 'scenario-report', className: 'scenario-report' }, element('h2', { text: 'Scenario report' }), reportText);
  report.hidden = true;
  root.append(empty, table.element, report, element('div', { className: 'compare-figures' }, scatter.element), charts.element);

  return {
    element: root,
    updateComparison: (message, receivedAt) => {
      pending = { receivedAt, runs: message.runs.length };
      // Kept for VS Code's serializer: after a reload the host reads these same runs again.
      saveCompareState({ runFolders: message.runs.map((run) => run.folder) });
      empty.textContent = message.runs.length === 0 ? 'No runs to compare.' : '';
      empty.hidden = message.runs.length > 0;
      root.dataset.runs = String(message.runs.length);
      table.update(message, charts.colorOf);
      reportText.textContent = message.report ?? '';
      report.hidden = message.report === undefined;
      scatter.update(message.runs, charts.colorOf);
      charts.update(message);
    },
  };
}
