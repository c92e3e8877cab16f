// `acquireVsCodeApi` may be called only once per page. Each page (training panel, comparison)
// types the handle to its own messages and state; this module acquires it once for whichever
// asks first, so modules both pages share may use it too.

interface WebviewApi<Message, State> {
  postMessage(message: Message): void;
  getState(): unknown;
  setState(state: State): void;
}

declare global {
  function acquireVsCodeApi(): WebviewApi<unknown, unknown>;
}

let acquired: WebviewApi<unknown, unknown> | undefined;

export function webviewApi<Message, State>(): WebviewApi<Message, State> {
  acquired ??= acquireVsCodeApi();
  return acquired;
}
