// The Runs view's behaviour: which runs it lists (the selected experiment's runs folder, kept
// live by a file watcher), and what its actions do. Each action works on the clicked run or on
// the selection (multi-select), and says plainly when it cannot apply.

import { existsSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RunSummary } from '../../protocol/run-summary';
import { Disposable } from '../disposable';
import { RunsTree } from './runs-tree';

export interface RunsViewHost {
  /** The runs folder of the selected experiment (or of the workspace), if there is one. */
  runsFolder(): string | undefined;
  /** Summaries of the runs of `folder`, newest first. */
  listRuns(folder: string): Promise<RunSummary[]>;
  /** Changes what the user says about a run (name, notes, tags) in its metadata file. */
  updateMetadata(folder: string, change: { name?: string; notes?: string; addTag?: string }): Promise<void>;
  /** The run the trainer is writing now, if any. */
  liveRunFolder(): string | undefined;
  openRun(run: RunSummary): Promise<void>;
  compareRuns(runs: readonly RunSummary[]): Promise<void>;
  resumeRun(run: RunSummary): Promise<void>;
  fineTuneFrom(checkpoint: string): Promise<void>;
  /** Exports the run's latest checkpoint (thaw export). */
  exportModel(run: RunSummary): Promise<void>;
}

export class RunsView extends Disposable {
  private readonly tree = this.track(new RunsTree());
  private watcher: vscode.Disposable | undefined;
  private watchedFolder: string | undefined;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private runs: RunSummary[] = [];

  constructor(private readonly host: RunsViewHost) {
    super();
    this.track({
      dispose: () => {
        clearTimeout(this.refreshTimer);
        this.watcher?.dispose();
      },
    });
    const command = (id: string, run: (clicked?: unknown, all?: unknown) => unknown) => this.track(vscode.commands.registerCommand(id, run));
    const each = (action: (run: RunSummary) => Promise<unknown>) => async (clicked?: unknown, all?: unknown) => {
      for (const run of this.tree.selected(clicked, all)) await action(run);
    };
    command('thaw.runs.refresh', () => this.refresh());
    command('thaw.runs.open', (clicked, all) => this.first(clicked, all, (run) => this.host.openRun(run)));
    command('thaw.compareRuns', (clicked, all) => this.compare(this.tree.selected(clicked, all)));
    command('thaw.runs.resume', (clicked, all) => this.first(clicked, all, (run) => this.resume(run)));
    command('thaw.runs.fineTuneFromHere', (clicked, all) => this.first(clicked, all, (run) => this.fineTuneFromHere(run)));
    command('thaw.runs.rename', (clicked, all) => this.first(clicked, all, (run) => this.rename(run)));
    command('thaw.runs.editNotes', (clicked, all) => this.first(clicked, all, (run) => this.editNotes(run)));
    command('thaw.runs.addTag', async (clicked, all) => {
      const runs = this.tree.selected(clicked, all);
      const tag = runs.length === 0 ? undefined : await vscode.window.showInputBox({ title: `Thaw: tag ${runs.length === 1 ? runs[0].name : `${runs.length} runs`}`, prompt: 'One word, e.g. baseline', validateInput: (text) => (/^[\w.-]+$/.test(text.trim()) ? undefined : 'letters, digits, ".", "-" or "_"') });
      if (tag === undefined) return;
      for (const run of runs) await this.host.updateMetadata(run.folder, { addTag: tag.trim() });
      await this.refresh();
    });
    command('thaw.runs.delete', (clicked, all) => this.delete(this.tree.selected(clicked, all)));
    command('thaw.runs.reveal', (clicked, all) => this.first(clicked, all, (run) => Promise.resolve(vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(run.folder)))));
    command('thaw.runs.openEvents', each((run) => this.openFile(path.join(run.folder, 'events.jsonl'))));
    command('thaw.runs.openExperiment', each((run) => this.openFile(path.join(run.folder, 'experiment.json'))));
    command('thaw.runs.diffExperiments', (clicked, all) => this.diffExperiments(this.tree.selected(clicked, all)));
    command('thaw.exportModel', (clicked) => this.exportModel(clicked));
  }

  /** The runs folder may have changed (another experiment, a setting): watch it and list it. */
  async follow(): Promise<void> {
    const folder = this.host.runsFolder();
    if (folder !== this.watchedFolder) {
      this.watcher?.dispose();
      this.watchedFolder = folder;
      if (folder !== undefined) {
        const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(folder), '**/{events.jsonl,run.meta.json,summary.json}'));
        const later = () => this.scheduleRefresh();
        this.watcher = vscode.Disposable.from(watcher, watcher.onDidCreate(later), watcher.onDidChange(later), watcher.onDidDelete(later));
      }
    }
    await this.refresh();
  }

  /** A run writes a line a step: redraw at most a few times a second. */
  private scheduleRefresh(): void {
    if (this.refreshTimer !== undefined) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      void this.refresh();
    }, 500);
  }

  async refresh(): Promise<void> {
    const folder = this.watchedFolder;
    this.runs = folder === undefined || !existsSync(folder) ? [] : await this.host.listRuns(folder).catch(() => []);
    this.tree.show(this.runs);
  }

  get summaries(): readonly RunSummary[] {
    return this.runs;
  }

  private async first(clicked: unknown, all: unknown, action: (run: RunSummary) => Promise<unknown>): Promise<void> {
    const [run] = this.tree.selected(clicked, all);
    if (run === undefined) {
      void vscode.window.showInformationMessage('Thaw: select a run in the Runs view first.');
      return;
    }
    await action(run);
  }

  private async compare(runs: readonly RunSummary[]): Promise<void> {
    if (runs.length < 1) {
      void vscode.window.showInformationMessage('Thaw: select the runs to compare in the Runs view (Ctrl/Shift+click for several).');
      return;
    }
    await this.host.compareRuns(runs);
  }

  private async resume(run: RunSummary): Promise<void> {
    if (!run.resumable || run.status === 'running') {
      const why = run.status === 'interrupted' ? 'it was interrupted before its first checkpoint; start it again instead' : `it is ${run.status}; only stopped, interrupted or resumable failed runs can be resumed`;
      void vscode.window.showInformationMessage(`Thaw: ${run.name} cannot be resumed: ${why}.`);
      return;
    }
    await this.host.resumeRun(run);
  }

  private async fineTuneFromHere(run: RunSummary): Promise<void> {
    const checkpoints = path.join(run.folder, 'checkpoints');
    const names = existsSync(checkpoints) ? await fs.readdir(checkpoints) : [];
    const warmUpEnd = names.filter((name) => /^phase-\d+-warm-up$/.test(name)).sort().at(-1);
    if (warmUpEnd === undefined) {
      void vscode.window.showInformationMessage(`Thaw: ${run.name} has no checkpoint from the end of a warm-up phase.`);
      return;
    }
    await this.host.fineTuneFrom(path.join(checkpoints, warmUpEnd));
  }

  /** From the tree: the clicked run; from the palette: the run the user picks. */
  private async exportModel(clicked: unknown): Promise<void> {
    const [fromTree] = clicked === undefined ? [] : this.tree.selected(clicked);
    const run = fromTree ?? (await this.pickRun('Thaw: export which run\'s model?'));
    if (run === undefined) return;
    if (run.status === 'damaged') {
      void vscode.window.showInformationMessage(`Thaw: ${run.name} cannot be exported: ${run.problem ?? 'its folder is damaged'}.`);
      return;
    }
    await this.host.exportModel(run);
  }

  private async pickRun(title: string): Promise<RunSummary | undefined> {
    const runs = this.runs.filter((run) => run.status !== 'damaged');
    if (runs.length === 0) {
      void vscode.window.showInformationMessage('Thaw: there is no run to export yet; train one first.');
      return undefined;
    }
    const items = runs.map((run) => ({ label: run.name, description: `${run.status} · ${run.steps} steps`, detail: run.id, run }));
    return (await vscode.window.showQuickPick(items, { title, matchOnDetail: true }))?.run;
  }

  private async rename(run: RunSummary): Promise<void> {
    const name = await vscode.window.showInputBox({ title: 'Thaw: rename run', value: run.name, validateInput: (text) => (text.trim() === '' ? 'a name cannot be empty' : undefined) });
    if (name === undefined) return;
    await this.host.updateMetadata(run.folder, { name: name.trim() });
    await this.refresh();
  }

  private async editNotes(run: RunSummary): Promise<void> {
    const notes = await vscode.window.showInputBox({ title: `Thaw: notes on ${run.name}`, value: run.notes, prompt: 'What this run tried, what it showed' });
    if (notes === undefined) return;
    await this.host.updateMetadata(run.folder, { notes });
    await this.refresh();
  }

  private async delete(runs: readonly RunSummary[]): Promise<void> {
    const live = this.host.liveRunFolder();
    const training = runs.filter((run) => run.folder === live || run.status === 'running');
    if (training.length > 0) {
      void vscode.window.showWarningMessage(`Thaw: ${training.map((run) => run.name).join(', ')} is training; stop it before deleting it.`);
      return;
    }
    if (runs.length === 0) return;
    const what = runs.length === 1 ? `the run "${runs[0].name}"` : `${runs.length} runs`;
    const answer = await vscode.window.showWarningMessage(`Delete ${what}? Its checkpoints and events go with it.`, { modal: true }, 'Delete');
    if (answer !== 'Delete') return;
    for (const run of runs) await moveToTrash(run.folder);
    await this.refresh();
  }

  private async openFile(file: string): Promise<void> {
    if (!existsSync(file)) {
      void vscode.window.showInformationMessage(`Thaw: ${file} does not exist.`);
      return;
    }
    await vscode.window.showTextDocument(vscode.Uri.file(file), { preview: true });
  }

  private async diffExperiments(runs: readonly RunSummary[]): Promise<void> {
    if (runs.length !== 2) {
      void vscode.window.showInformationMessage('Thaw: select exactly two runs to diff their experiments.');
      return;
    }
    const [left, right] = runs.map((run) => vscode.Uri.file(path.join(run.folder, 'experiment.json')));
    await vscode.commands.executeCommand('vscode.diff', left, right, `${runs[0].name} ↔ ${runs[1].name} (experiment.json)`);
  }
}

/**
 * The OS trash where there is one; where there is none (a remote, code-server), runs/.trash/,
 * which belongs to Thaw like every hidden entry of a runs folder.
 */
async function moveToTrash(folder: string): Promise<void> {
  try {
    await vscode.workspace.fs.delete(vscode.Uri.file(folder), { recursive: true, useTrash: true });
  } catch {
    const trash = path.join(path.dirname(folder), '.trash');
    await fs.mkdir(trash, { recursive: true });
    await fs.rename(folder, path.join(trash, `${path.basename(folder)}-${Date.now()}`));
  }
}
