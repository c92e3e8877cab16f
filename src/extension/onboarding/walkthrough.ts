// The "Get Started with Thaw" walkthrough (contributes.walkthroughs in package.json): opened
// once, the first time Thaw activates in a workspace without an experiment, and from the
// palette ("Thaw: Get Started"). Light: it is imported during activation.

import * as vscode from 'vscode';

/** "<publisher>.<name>#<walkthrough id>", as VS Code names a contributed walkthrough. */
export const WALKTHROUGH_ID = 'thaw.thaw#thaw.gettingStarted';
const SHOWN_KEY = 'thaw.walkthroughShown';

export function openWalkthrough(): Thenable<unknown> {
  return vscode.commands.executeCommand('workbench.action.openWalkthrough', WALKTHROUGH_ID, false);
}

/** Opens the walkthrough the first time only (remembered across workspaces). */
export async function showWalkthroughOnce(state: vscode.Memento): Promise<void> {
  if (state.get<boolean>(SHOWN_KEY) === true) return;
  await state.update(SHOWN_KEY, true);
  await openWalkthrough();
}
