// The training panel's entry point: registers the toolkit components, builds the page, then
// handshakes with the host (`initialized`; the host sends nothing before it) and routes each
// validated host message to its one update function.

import './shared/zod-without-eval';
import { parseHostToWebview, type HostToWebview } from '../../src/protocol/panel-messages';
import { element } from './shared/dom';
import { registerToolkitElements } from './shared/toolkit-elements';
import { createRunView } from './run/run-view';
import { createSetupView } from './setup/setup-view';
import { postToHost } from './shared/vscode-api';

// Registered before anything is built, so each toolkit element is created already upgraded.
registerToolkitElements();

const setupView = createSetupView();
const runView = createRunView();
// Into the host page's #app when it has one, else the body: the page needs no other markup.
(document.getElementById('app') ?? document.body).append(element('main', { className: 'panel' }, setupView.element, element('vscode-divider', { className: 'panel-divider' }), runView.element));

function route(message: HostToWebview, receivedAt: number): void {
  switch (message.type) {
    case 'setup':
      return setupView.updateSetup(message);
    case 'run':
      return runView.updateRun(message, receivedAt);
    default:
      message satisfies never;
      console.error('Thaw panel: unhandled message', message);
  }
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const receivedAt = performance.now();
  const parsed = parseHostToWebview(event.data);
  if (!parsed.ok) {
    console.error(`Thaw panel: dropped an invalid message from the host: ${parsed.error}`);
    return;
  }
  route(parsed.value, receivedAt);
});

postToHost({ type: 'initialized' });
