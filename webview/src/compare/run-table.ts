// The comparison table: one row per run (`tr[data-run-id]`), a header button per column to sort
// by it, a filter field, a toggle for all config keys (not only those that differ), a pin per
// row for the baseline (the other rows then show deltas against it), an Open per row, and CSV
// export of what is shown.

import { formatMetric } from '../../../src/core/vocabulary/format';
import { TASK_KEYS } from '../../../src/core/vocabulary/groups';
import type { ComparisonMessage, RunGroup, Spread } from '../../../src/protocol/compare-messages';
import type { RunSummary } from '../../../src/protocol/run-summary';
import { element } from '../shared/dom';
import { postToHost, readCompareState, saveCompareState } from './compare-state';
import { cellText, deltaOf, filterRuns, formatDelta, sortRuns, tableColumns, tableCsv, type TableColumn, type TableSort } from './table-model';

export interface RunTable {
  readonly element: HTMLElement;
  readonly update: (comparison: ComparisonMessage, colorOf: (run: RunSummary) => string) => void;
}

/** `onHoverRun`: the pointer is over a run's row (undefined: it left the table). */
export function createRunTable(onHoverRun: (runId: string | undefined) => void): RunTable {
  const initial = readCompareState();
  let comparison: ComparisonMessage | undefined;
  let colorOf: (run: RunSummary) => string = () => 'currentColor';
  let sort: TableSort | undefined = initial.sort;
  let baselineId: string | undefined = initial.baseline;
  let showAll = initial.showAllConfig;

  const filter = element('vscode-text-field', { id: 'compare-filter', attributes: { placeholder: 'Filter runs: name, tag, status, value…' } });
  filter.value = initial.filter;
  const allKeys = element('vscode-checkbox', { id: 'show-all-config', text: 'All config keys' });
  allKeys.checked = showAll;
  const exportCsv = element('vscode-button', { id: 'export-csv', text: 'Export CSV', attributes: { appearance: 'secondary' } });
  const count = element('span', { id: 'table-count', className: 'table-count' });
  const head = element('thead');
  const body = element('tbody');
  const table = element('table', { id: 'compare-table', className: 'compare-table' }, head, body);
  body.addEventListener('mouseover', (event) => {
    const row = event.target instanceof Element ? event.target.closest('tr') : null;
    if (row instanceof HTMLElement) onHoverRun(row.dataset.runId);
  });
  body.addEventListener('mouseleave', () => onHoverRun(undefined));

  const columns = (): TableColumn[] => (comparison === undefined ? [] : tableColumns(comparison.runs, comparison, showAll));
  const baseline = (): RunSummary | undefined => comparison?.runs.find((run) => run.id === baselineId);
  const shownRuns = (shown: readonly TableColumn[]): RunSummary[] => {
    if (comparison === undefined) return [];
    const sorted = sortRuns(comparison.runs, shown.find((column) => column.key === sort?.column), sort?.direction ?? 'ascending');
    return filterRuns(sorted, shown, filter.value);
  };

  function headerCell(column: TableColumn): HTMLTableCellElement {
    const sorted = sort?.column === column.key ? sort.direction : undefined;
    const button = element('button', { className: 'sort-button', text: column.label, attributes: { type: 'button', ...(column.title === undefined ? {} : { title: column.title }) } });
    button.addEventListener('click', () => {
      sort = { column: column.key, direction: sorted === 'ascending' ? 'descending' : 'ascending' };
      saveCompareState({ sort });
      render();
    });
    return element('th', { className: `column-${column.kind}`, attributes: { 'data-column': column.key, 'aria-sort': sorted ?? 'none', scope: 'col' } }, button);
  }

  function row(run: RunSummary, shown: readonly TableColumn[], base: RunSummary | undefined): HTMLTableRowElement {
    const pinned = run.id === base?.id;
    const pin = element('button', { className: 'row-action pin', text: pinned ? 'Unpin' : 'Pin', attributes: { type: 'button', title: pinned ? 'Stop comparing against this run' : 'Compare the other runs against this one' } });
    pin.addEventListener('click', () => {
      baselineId = pinned ? undefined : run.id;
      saveCompareState({ baseline: baselineId });
      render();
    });
    const open = element('button', { className: 'row-action open', text: 'Open', attributes: { type: 'button', title: 'Show this run in the training panel' } });
    open.addEventListener('click', () => postToHost({ type: 'openRun', runId: run.id }));
    const cells = shown.map((column) => {
      const text = cellText(column, run);
      const cell = element('td', { className: `column-${column.kind}`, attributes: { 'data-column': column.key } });
      if (column.key === 'name') {
        const swatch = element('span', { className: 'run-swatch', attributes: { 'aria-hidden': 'true' } });
        swatch.style.backgroundColor = colorOf(run);
        cell.append(swatch, element('span', { className: 'run-name', text, attributes: { title: run.id } }));
      } else if (column.key === 'tags') {
        cell.append(...run.tags.map((tag) => element('span', { className: 'tag', text: tag })));
      } else if (column.key === 'status') {
        cell.append(element('span', { className: `status status-${run.status}`, text, attributes: run.problem === undefined ? {} : { title: run.problem } }));
      } else {
        cell.textContent = text;
        if (column.kind === 'config' && text.length > 24) cell.title = text;
      }
      const delta = deltaOf(column, run, base);
      if (delta !== undefined) cell.append(element('span', { className: `delta delta-${delta.verdict}`, text: ` ${formatDelta(column, delta)}` }));
      return cell;
    });
    // The actions come first: a wide table scrolls sideways, and they stay in reach.
    return element('tr', { className: pinned ? 'baseline' : '', attributes: { 'data-run-id': run.id, 'data-status': run.status } }, element('td', { className: 'row-actions' }, pin, open), ...cells);
  }

  const groupHead = element('thead');
  const groupBody = element('tbody');
  const groupTable = element('table', { id: 'group-table', className: 'compare-table group-table' }, groupHead, groupBody);
  const groupSection = element('div', { className: 'table-scroll group-section' }, element('h3', { text: 'Groups (runs that differ only by seed): mean ± std' }), groupTable);
  const spreadText = (value: Spread | undefined) => (value === undefined ? '' : value.std === null ? formatMetric(value.mean) : `${formatMetric(value.mean)} ± ${formatMetric(value.std)}`);

  /** One row per group (`tr[data-group-label]`): its runs' final accuracy and macro-F1 per task as mean ± std, with n. */
  function renderGroups(): void {
    const groups: readonly RunGroup[] = comparison?.groups ?? [];
    groupSection.hidden = !groups.some((group) => group.n >= 2);
    const tasks = TASK_KEYS.filter((task) => groups.some((group) => group.tasks[task] !== undefined));
    const headers = ['Group', 'n', ...tasks.flatMap((task) => [`${task.toUpperCase()} final accuracy`, `${task.toUpperCase()} final macro-F1`])];
    groupHead.replaceChildren(element('tr', {}, ...headers.map((text) => element('th', { text, attributes: { scope: 'col' } }))));
    const runOf = new Map((comparison?.runs ?? []).map((run) => [run.id, run]));
    groupBody.replaceChildren(
      ...groups.map((group) => {
        const first = runOf.get(group.runIds[0]);
        const swatch = element('span', { className: 'run-swatch', attributes: { 'aria-hidden': 'true' } });
        if (first !== undefined) swatch.style.backgroundColor = colorOf(first);
        const cells = tasks.flatMap((task) => [spreadText(group.tasks[task]?.final.accuracy), spreadText(group.tasks[task]?.final.macroF1)].map((text) => element('td', { className: 'column-number', text })));
        return element(
          'tr',
          { attributes: { 'data-group-label': group.label, 'data-n': String(group.n), title: group.runIds.join(', ') } },
          element('td', {}, swatch, element('span', { className: 'run-name', text: group.label })),
          element('td', { className: 'column-number', text: String(group.n) }),
          ...cells,
        );
      }),
    );
  }

  function render(): void {
    renderGroups();
    const shown = columns();
    const base = baseline();
    const runs = shownRuns(shown);
    head.replaceChildren(element('tr', {}, element('th', { className: 'row-actions', attributes: { scope: 'col', 'aria-label': 'Actions' } }), ...shown.map(headerCell)));
    body.replaceChildren(...runs.map((run) => row(run, shown, base)));
    const differing = comparison === undefined ? 0 : Object.keys(comparison.differing).length;
    count.textContent = `${runs.length} of ${comparison?.runs.length ?? 0} runs · ${differing} config key${differing === 1 ? '' : 's'} differ${base === undefined ? '' : ` · deltas against ${base.name}`}`;
  }

  filter.addEventListener('input', () => {
    saveCompareState({ filter: filter.value });
    render();
  });
  allKeys.addEventListener('change', () => {
    showAll = allKeys.checked;
    saveCompareState({ showAllConfig: showAll });
    render();
  });
  exportCsv.addEventListener('click', () => {
    const shown = columns();
    postToHost({ type: 'exportCsv', csv: tableCsv(shown, shownRuns(shown), baseline()) });
  });

  return {
    element: element(
      'section',
      { id: 'compare-table-section', className: 'compare-table-section' },
      element('div', { className: 'table-controls' }, filter, allKeys, exportCsv, count),
      element('div', { className: 'table-scroll' }, table),
      groupSection,
    ),
    update: (next, colors) => {
      comparison = next;
      colorOf = colors;
      render();
    },
  };
}
