// The run's figures above the charts: phase, step, time, backend, status and warnings, with the
// Stop button, which is there only while the run is going.

import type { RunHeader } from '../../../src/protocol/panel-messages';
import { element, setText } from '../shared/dom';
import { formatDuration } from '../../../src/core/vocabulary/format';
import { postToHost } from '../shared/vscode-api';

export interface RunHeaderView {
  readonly element: HTMLElement;
  /** Shows the host's figures; `extraWarnings` are those seen in events, shown once each with the host's. */
  readonly update: (header: RunHeader | undefined, extraWarnings: readonly string[]) => void;
}

function fact(label: string, id: string): { element: HTMLSpanElement; value: HTMLSpanElement } {
  const value = element('span', { id, className: 'fact-value' });
  return { element: element('span', { className: 'fact' }, element('span', { className: 'fact-label', text: label }), value), value };
}

export function createRunHeader(): RunHeaderView {
  const phase = fact('Phase', 'run-phase');
  const step = fact('Step', 'run-step');
  const elapsed = fact('Elapsed', 'run-elapsed');
  const eta = fact('ETA', 'run-eta');
  const backend = fact('Backend', 'run-backend');
  const status = fact('Status', 'run-status');
  const stop = element('vscode-button', { id: 'stop', text: 'Stop', attributes: { appearance: 'secondary' } });
  stop.addEventListener('click', () => postToHost({ type: 'stop' }));
  const warnings = element('ul', { id: 'run-warnings', className: 'warnings', attributes: { 'aria-label': 'Warnings' } });
  const noRun = element('p', { id: 'no-run', className: 'no-run', text: 'No run yet. Start a phase to see it train.' });
  const facts = element('div', { className: 'facts' }, phase.element, step.element, elapsed.element, eta.element, backend.element, status.element, stop);
  const section = element('section', { id: 'run-header', className: 'run-header' }, noRun, facts, warnings);

  const update = (header: RunHeader | undefined, extraWarnings: readonly string[]) => {
    noRun.hidden = header !== undefined;
    facts.hidden = header === undefined;
    const running = header?.status === 'running';
    stop.hidden = !running;
    stop.disabled = !running;
    if (header) {
      section.dataset.status = header.status;
      setText(phase.value, header.phase);
      setText(step.value, `${header.step} / ${header.totalSteps}`);
      step.value.title = `global step ${header.globalStep}`;
      setText(elapsed.value, formatDuration(header.elapsedMs));
      setText(eta.value, header.etaMs === undefined || !running ? '–' : formatDuration(header.etaMs));
      setText(backend.value, header.backend);
      setText(status.value, header.status);
    }
    const allWarnings = [...new Set([...(header?.warnings ?? []), ...extraWarnings])];
    if (allWarnings.join('\n') !== Array.from(warnings.children, (item) => item.textContent).join('\n')) {
      warnings.replaceChildren(...allWarnings.map((warning) => element('li', { text: warning })));
    }
    warnings.hidden = allWarnings.length === 0;
  };
  update(undefined, []);
  return { element: section, update };
}
