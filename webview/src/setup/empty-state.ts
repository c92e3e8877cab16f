// What the panel says before there is an experiment: how to get one, with the same two ways in
// as the Model view's welcome. Shown until the host sends the first setup.

import { element } from '../shared/dom';
import { postToHost } from '../shared/vscode-api';

export interface EmptyState {
  readonly element: HTMLElement;
  readonly hide: () => void;
}

export function createEmptyState(): EmptyState {
  const demo = element('vscode-button', { id: 'create-demo', text: 'Create Demo Experiment' });
  demo.addEventListener('click', () => postToHost({ type: 'onboard', action: 'createDemo' }));
  const own = element('vscode-button', { id: 'new-experiment', text: 'New Experiment', attributes: { appearance: 'secondary' } });
  own.addEventListener('click', () => postToHost({ type: 'onboard', action: 'newExperiment' }));
  const section = element(
    'section',
    { id: 'empty-state', className: 'empty-state' },
    element('h2', {}, 'No experiment yet'),
    element('p', {}, 'Try the demo: question type and sentiment on one shared sentence encoder (works offline too). Or bring your own model and CSV or JSONL data.'),
    element('div', { className: 'button-row' }, demo, own),
    element('p', { className: 'hint' }, 'Then start its warm-up phase; this panel draws both tasks as they learn.'),
  );
  return { element: section, hide: () => (section.hidden = true) };
}
