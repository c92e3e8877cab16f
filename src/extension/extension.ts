// Entry point: build the one root object and hand it to VS Code to dispose. Activation stays
// light: the ML stack is never loaded here (training runs in a child process), and the
// experiment's model is read after activation returns.

import * as vscode from 'vscode';
// After 'vscode' (whose API object VS Code builds for each extension), before Thaw's own code.
import { moduleLoadStarted } from './load-clock';
import { writeE2eReport } from './dev/dev-hooks';
import { ThawExtension } from './thaw-extension';

/** Thaw's modules have all loaded once this line runs (requires are synchronous). */
const moduleLoaded = performance.now();

let thaw: ThawExtension | undefined;

export function activate(context: vscode.ExtensionContext): void {
  const activateStarted = performance.now();
  thaw = new ThawExtension(context);
  const activateMs = performance.now() - activateStarted;
  // Thaw's own time: loading its code plus running activate(). Between the two VS Code prepares
  // the extension's context (storage and the like) asynchronously; that time is not Thaw's.
  const loadMs = moduleLoaded - moduleLoadStarted;
  writeE2eReport({ activationMs: loadMs + activateMs, loadMs, activateMs, vsCodeWaitMs: activateStarted - moduleLoaded });
}

/** VS Code waits for the promise: the trainer finishes its step and checkpoints before the host goes. */
export function deactivate(): Promise<void> | undefined {
  const stopping = thaw?.shutdown();
  thaw = undefined;
  return stopping;
}
