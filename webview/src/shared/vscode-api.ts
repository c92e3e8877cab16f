// The one handle on the webview host. `acquireVsCodeApi` may be called only once per page, so it
// is called here and nowhere else; its postMessage accepts only WebviewToHost messages, so an
// illegal message does not compile (the host still validates each one: the page is untrusted).

import type { WebviewToHost } from '../../../src/protocol/panel-messages';
import { webviewApi as sharedWebviewApi } from './webview-api';

/** What the panel remembers while it is hidden or reloaded: the user's view settings only. */
export interface PanelUiState {
  /** Weight of the training-loss smoothing, 0..0.99. */
  readonly smoothing: number;
  readonly layerDecay: { readonly enabled: boolean; readonly factor: string };
}

const DEFAULT_UI_STATE: PanelUiState = { smoothing: 0.8, layerDecay: { enabled: false, factor: '0.9' } };

const webviewApi = sharedWebviewApi<WebviewToHost, PanelUiState>();

export function postToHost(message: WebviewToHost): void {
  webviewApi.postMessage(message);
}

/** The saved state, with defaults for anything missing or malformed (it may come from an older version). */
export function readUiState(): PanelUiState {
  const saved = webviewApi.getState();
  if (typeof saved !== 'object' || saved === null) return DEFAULT_UI_STATE;
  const { smoothing, layerDecay } = saved as Partial<Record<keyof PanelUiState, unknown>>;
  const decay = typeof layerDecay === 'object' && layerDecay !== null ? (layerDecay as Record<string, unknown>) : {};
  return {
    smoothing: typeof smoothing === 'number' && smoothing >= 0 && smoothing < 1 ? smoothing : DEFAULT_UI_STATE.smoothing,
    layerDecay: {
      enabled: typeof decay.enabled === 'boolean' ? decay.enabled : DEFAULT_UI_STATE.layerDecay.enabled,
      factor: typeof decay.factor === 'string' ? decay.factor : DEFAULT_UI_STATE.layerDecay.factor,
    },
  };
}

export function saveUiState(change: Partial<PanelUiState>): void {
  webviewApi.setState({ ...readUiState(), ...change });
}
