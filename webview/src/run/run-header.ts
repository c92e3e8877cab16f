// The run's figures above the charts: phase, step, time, training engine, backend, status and
// warnings, with the Stop button, which is there only while the live run is going, and "Back to
// live" while a recorded run opened from the Runs view is shown.

import type { RunHeader } from '../../../src/protocol/panel-messages';
import { element, setText } from '../shared/dom';
import { ENGINE_LABELS } from '../../../src/core/vocabulary/engines';
import { formatDuration } from '../../../src/core/vocabulary/format';
import { postToHost } from '../shared/vscode-api';

export interface RunHeaderView {
  readonly element: HTMLElement;
  /** Shows the host's figures; `extraWarnings` are those seen in events, shown once each with the host's. */
  readonly update: (header: RunHeader | undefined, extraWarnings: readonly string[], viewing?: string) => void;
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
  const engine = fact('Engine', 'run-engine');
  const backend = fact('Backend', 'run-backend');
  const status = fact('Status', 'run-status');
  const stop = element('vscode-button', { id: 'stop', text: 'Stop', attributes: { appearance: 'secondary' } });
  stop.addEventListener('click', () => postToHost({ type: 'stop' }));
  const warnings = element('ul', { id: 'run-warnings', className: 'warnings', attributes: { 'aria-label': 'Warnings' } });
  const backToLive = element('vscode-button', { id: 'back-to-live', text: 'Back to Live', attributes: { appearance: 'secondary' } });
  backToLive.addEventListener('click', () => postToHost({ type: 'backToLive' }));
  const viewed = element('span', { id: 'run-viewing', className: 'viewing' });
  const noRun = element('p', { id: 'no-run', className: 'no-run', text: 'No run yet. Start a phase to see it train.' });
  const facts = element('div', { className: 'facts' }, phase.element, step.element, elapsed.element, eta.element, engine.element, backend.element, status.element, stop);
  const viewingBar = element('div', { className: 'viewing-bar' }, viewed, backToLive);
  const section = element('section', { id: 'run-header', className: 'run-header' }, viewingBar, noRun, facts, warnings);

  const update = (header: RunHeader | undefined, extraWarnings: readonly string[], viewing?: string) => {
    noRun.hidden = header !== undefined;
    facts.hidden = header === undefined;
    viewingBar.hidden = viewing === undefined;
    setText(viewed, viewing === undefined ? '' : `Viewing run ${viewing}`);
    // A recorded run without a run-end (killed) reads as running, but it is not this panel's to stop.
    const running = header?.status === 'running' && viewing === undefined;
    stop.hidden = !running;
    stop.disabled = !running;
    if (header) {
      section.dataset.status = header.status;
      setText(phase.value, header.phase);
      setText(step.value, `${header.step} / ${header.totalSteps}`);
      step.value.title = `global step ${header.globalStep}`;
      setText(elapsed.value, formatDuration(header.elapsedMs));
      setText(eta.value, header.etaMs === undefined || !running ? '–' : formatDuration(header.etaMs));
      engine.element.hidden = header.engine === undefined;
      setText(engine.value, header.engine === undefined ? '' : ENGINE_LABELS[header.engine]);
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
