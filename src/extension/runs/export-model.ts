// "Export Model...": a run's latest checkpoint as one folder that Python and transformers.js
// load as it is. The host asks where, then runs `thaw export` as a child process (it never
// loads the engine itself), shows its progress lines, and offers the folder at the end.

import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';
import * as vscode from 'vscode';
import type { RunSummary } from '../../protocol/run-summary';

export interface ExportHost {
  /** out/src/trainer/cli/main.js of the extension. */
  readonly cliPath: string;
  /** The thaw.nodePath setting, if set. */
  nodePath(): string | undefined;
  readonly output: vscode.OutputChannel;
}

const PREFIX = 'thaw export: ';

/** Asks for the folder, exports `run` into it, and offers to reveal it or open its model card. */
export async function exportRunModel(run: RunSummary, host: ExportHost): Promise<void> {
  const target = await askTarget(run);
  if (target === undefined) return;
  const force = await confirmReplace(target);
  if (force === undefined) return;
  const args = ['export', run.folder, '--out', target, ...(force ? ['--force'] : [])];
  const failure = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Thaw: exporting ${run.name}`, cancellable: true },
    (progress, cancel) => runThaw(args, host, (line) => progress.report({ message: line }), cancel),
  );
  if (failure === 'cancelled') return;
  if (failure !== undefined) {
    void vscode.window.showErrorMessage(`Thaw: export failed: ${failure}`);
    return;
  }
  const readme = vscode.Uri.file(path.join(target, 'README.md'));
  const action = await vscode.window.showInformationMessage(`Thaw: exported ${run.name} to ${target}`, 'Reveal in Explorer', 'Open Model Card');
  if (action === 'Reveal in Explorer') await reveal(target);
  if (action === 'Open Model Card') await vscode.window.showTextDocument(readme, { preview: true });
}

/**
 * A new folder beside the runs folder, `<run id>-model`: its parent exists, which the simple
 * save dialog of remote and web windows requires.
 */
async function askTarget(run: RunSummary): Promise<string | undefined> {
  const defaultUri = vscode.Uri.file(path.join(path.dirname(path.dirname(run.folder)), `${run.id}-model`));
  const uri = await vscode.window.showSaveDialog({ defaultUri, title: `Thaw: export ${run.name} into a new folder`, saveLabel: 'Export Here' });
  return uri?.fsPath;
}

/** false: the folder is new or empty; true: the user agreed to replace it; undefined: they did not. */
async function confirmReplace(target: string): Promise<boolean | undefined> {
  if (!existsSync(target)) return false;
  if (!statSync(target).isDirectory()) {
    void vscode.window.showErrorMessage(`Thaw: ${target} is a file; export into a folder.`);
    return undefined;
  }
  if (readdirSync(target).length === 0) return false;
  const answer = await vscode.window.showWarningMessage(`${target} is not empty. Replace everything in it with the exported model?`, { modal: true }, 'Replace');
  return answer === 'Replace' ? true : undefined;
}

/** Runs `thaw ARGS`; resolves with undefined on success, 'cancelled', or the error's one line. */
function runThaw(args: readonly string[], host: ExportHost, onLine: (line: string) => void, cancel: vscode.CancellationToken): Promise<string | undefined> {
  const execPath = host.nodePath() || process.execPath;
  host.output.appendLine(`[thaw] ${execPath} ${host.cliPath} ${args.join(' ')}`);
  // In VS Code's Electron extension host, ELECTRON_RUN_AS_NODE makes execPath a plain Node.
  const child = spawn(execPath, [host.cliPath, ...args], { env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let lastLine = '';
  readline.createInterface({ input: child.stderr }).on('line', (line) => {
    host.output.appendLine(line);
    if (line.trim() === '') return;
    lastLine = line;
    if (line.startsWith(PREFIX)) onLine(line.slice(PREFIX.length));
  });
  child.stdout.on('data', (chunk: Buffer) => host.output.append(chunk.toString()));
  // SIGTERM: the exporter removes its half-written folder before it exits.
  const cancelled = cancel.onCancellationRequested(() => child.kill('SIGTERM'));
  return new Promise((resolve) => {
    child.on('error', (error) => resolve(error.message));
    child.on('close', (code, signal) => {
      cancelled.dispose();
      if (cancel.isCancellationRequested) resolve('cancelled');
      else if (code === 0) resolve(undefined);
      else resolve((lastLine.startsWith(PREFIX) ? lastLine.slice(PREFIX.length) : lastLine) || `thaw export ended with ${signal ?? `code ${code}`}`);
    });
  });
}

/** The Explorer when the folder is in the workspace, else the system's file manager. */
async function reveal(folder: string): Promise<void> {
  const uri = vscode.Uri.file(folder);
  if (vscode.workspace.getWorkspaceFolder(uri) !== undefined) await vscode.commands.executeCommand('revealInExplorer', uri);
  else await vscode.commands.executeCommand('revealFileInOS', uri);
}
