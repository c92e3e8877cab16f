// Which experiment file the Model view and the commands work on: chosen by the user, kept in
// workspace state, and found automatically when there is only an obvious one.

import * as vscode from 'vscode';

const SELECTED_KEY = 'thaw.selectedExperiment';
export const EXPERIMENT_GLOB = '**/{thaw.json,*.thaw.json}';
const EXCLUDE_GLOB = '{**/node_modules/**,**/runs/**,**/.thaw/**,**/out/**}';

export async function findExperimentFiles(): Promise<vscode.Uri[]> {
  const files = await vscode.workspace.findFiles(EXPERIMENT_GLOB, EXCLUDE_GLOB, 200);
  return files.sort((a, b) => a.fsPath.localeCompare(b.fsPath));
}

/** The selected experiment file, or the first one in the workspace, or undefined. */
export async function selectedExperiment(state: vscode.Memento): Promise<string | undefined> {
  const saved = state.get<string>(SELECTED_KEY);
  const files = await findExperimentFiles();
  if (saved !== undefined && files.some((file) => file.fsPath === saved)) return saved;
  return files[0]?.fsPath;
}

export async function selectExperiment(state: vscode.Memento, file: string): Promise<void> {
  await state.update(SELECTED_KEY, file);
}
