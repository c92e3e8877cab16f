// Entry point: build the one root object and hand it to VS Code to dispose. Activation stays
// light: TensorFlow.js is never loaded here (training runs in a child process), and the
// experiment's model is read after activation returns.

import * as vscode from 'vscode';
// After 'vscode' (whose API object VS Code builds for each extension), before Thaw's own code.
import { moduleLoadStarted } from './load-clock';
import { ThawExtension } from './thaw-extension';

/** Thaw's modules have all loaded once this line runs (requires are synchronous). */
const moduleLoaded = performance.now();

export function activate(context: vscode.ExtensionContext): void {
  const activateStarted = performance.now();
  const thaw = new ThawExtension(context);
  context.subscriptions.push(thaw);
  const activateMs = performance.now() - activateStarted;
  // Thaw's own time: loading its code plus running activate(). Between the two VS Code prepares
  // the extension's context (storage and the like) asynchronously; that time is not Thaw's.
  const loadMs = moduleLoaded - moduleLoadStarted;
  thaw.writeE2eReport({ activationMs: loadMs + activateMs, loadMs, activateMs, vsCodeWaitMs: activateStarted - moduleLoaded });
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions; the trainer process with it.
}
