// The comparison panel's entry point: registers the toolkit components, builds the page, then
// handshakes with the host (`initialized`; the host sends nothing before it) and routes each
// validated host message to its one update function.

import '../shared/zod-without-eval';
import { parseCompareHostToWebview, type CompareHostToWebview } from '../../../src/protocol/compare-messages';
import { registerToolkitElements } from '../shared/toolkit-elements';
import { createCompareView } from './compare-view';
import { postToHost } from './compare-state';

registerToolkitElements();

const view = createCompareView();
(document.getElementById('app') ?? document.body).append(view.element);

function route(message: CompareHostToWebview, receivedAt: number): void {
  switch (message.type) {
    case 'comparison':
      return view.updateComparison(message, receivedAt);
    default:
      message.type satisfies never;
      console.error('Thaw comparison: unhandled message', message);
  }
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const receivedAt = performance.now();
  const parsed = parseCompareHostToWebview(event.data);
  if (!parsed.ok) {
    console.error(`Thaw comparison: dropped an invalid message from the host: ${parsed.error}`);
    return;
  }
  route(parsed.value, receivedAt);
});

postToHost({ type: 'initialized' });
