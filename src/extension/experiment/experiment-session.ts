// The selected experiment, kept as a snapshot of its file: the Model view and the panel draw
// it, and their edits go back into the file as one undoable WorkspaceEdit, saved, comments
// kept. It follows the editor (unsaved typing and undo show at once), the file on disk and the
// runs that complete its phases. Only view state (the selected file and phase) is kept in
// workspace state, never a second copy of what is frozen.

import { existsSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PhaseChange } from '../../core/experiment/phase-edits';
import type { ModelGroups } from '../../core/model/model-groups';
import type { RunRecord } from '../../core/runs/run-listing';
import { Disposable } from '../disposable';
import { EXPERIMENT_GLOB, selectedExperiment } from './experiment-selection';
import { groupNamesOf, type ExperimentSnapshot } from './experiment-snapshot';

/** The schema, the file edits and the model reading load on first use, not during activation. */
const heavy = () =>
  Promise.all([import('./build-snapshot.js'), import('../../core/experiment/phase-edits.js'), import('../../core/experiment/jsonc-edit.js'), import('../../core/model/model-groups.js'), import('../../core/runs/run-listing.js')]).then(
    ([snapshot, edits, jsonc, model, runs]) => ({ ...snapshot, ...edits, ...jsonc, ...model, ...runs }),
  );
const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

const PHASE_KEY = 'thaw.selectedPhase:';
/** Earlier versions kept a freeze state per experiment in workspace state; the file holds it now. */
const LEGACY_FREEZE_KEY = 'thaw.freezeState:';

export class ExperimentSession extends Disposable {
  private readonly changeEmitter = this.track(new vscode.EventEmitter<void>());
  /** Fires after every change of the snapshot. */
  readonly onDidChange = this.changeEmitter.event;
  private current: ExperimentSnapshot | undefined;
  private runs: RunRecord[] = [];
  private readonly modelCache = new Map<string, Promise<ModelGroups>>();
  private readonly diagnostics = this.track(vscode.languages.createDiagnosticCollection('thaw'));
  private reloadTimer: ReturnType<typeof setTimeout> | undefined;
  private markLoaded!: () => void;
  /** Settles once the first reload has read the selected file (or found none). */
  private readonly firstLoad = new Promise<void>((resolve) => (this.markLoaded = resolve));

  constructor(private readonly state: vscode.Memento) {
    super();
    const watcher = this.track(vscode.workspace.createFileSystemWatcher(EXPERIMENT_GLOB));
    this.track(watcher.onDidCreate(() => this.scheduleReload()));
    this.track(watcher.onDidDelete(() => this.scheduleReload()));
    this.track(watcher.onDidChange((uri) => uri.fsPath === this.current?.file && this.scheduleReload()));
    this.track(vscode.workspace.onDidChangeTextDocument((event) => event.document.uri.fsPath === this.current?.file && event.contentChanges.length > 0 && this.scheduleReload()));
    this.track({ dispose: () => clearTimeout(this.reloadTimer) });
    void this.dropLegacyState();
  }

  get snapshot(): ExperimentSnapshot | undefined {
    return this.current;
  }

  /**
   * The snapshot once the first reload is done. A panel VS Code restores after a window reload
   * asks for the run history before activation has read the experiment; without waiting it
   * would find none and show "No run yet".
   */
  async loaded(): Promise<ExperimentSnapshot | undefined> {
    await this.firstLoad;
    return this.current;
  }

  /** Typing in the editor reloads once it pauses, not on every key. */
  private scheduleReload(): void {
    clearTimeout(this.reloadTimer);
    this.reloadTimer = setTimeout(() => void this.reload(), 150);
  }

  /** Reads the selected experiment again: its text, model groups and runs. */
  async reload(options: { readonly runs?: boolean } = {}): Promise<ExperimentSnapshot | undefined> {
    try {
      return await this.read(options);
    } finally {
      this.markLoaded();
    }
  }

  private async read(options: { readonly runs?: boolean }): Promise<ExperimentSnapshot | undefined> {
    const file = await selectedExperiment(this.state);
    if (file === undefined) {
      this.current = undefined;
      this.changeEmitter.fire();
      return undefined;
    }
    const text = await this.textOf(file);
    const { buildSnapshot } = await heavy();
    let snapshot = buildSnapshot({ file, text, runs: this.runs, chosenPhase: this.state.get<string>(PHASE_KEY + file) });
    if (snapshot.experiment !== undefined) {
      const experiment = snapshot.experiment;
      if (options.runs !== false || file !== this.current?.file) this.runs = await this.readRuns(this.runsFolder(experiment.output));
      let model: ModelGroups | undefined;
      let modelProblem: string | undefined;
      try {
        model = await this.modelGroups(experiment);
      } catch (error) {
        modelProblem = messageOf(error);
      }
      snapshot = buildSnapshot({ file, text, runs: this.runs, chosenPhase: this.state.get<string>(PHASE_KEY + file), model, modelProblem });
    }
    // An edit reloads twice (after the save, and when the editor reports the change): the views
    // redraw only when something they show changed, so a click never lands on a row being redrawn.
    const unchanged = this.current !== undefined && sameView(this.current, snapshot);
    this.current = snapshot;
    if (unchanged) return snapshot;
    this.showDiagnostics(snapshot);
    this.changeEmitter.fire();
    return snapshot;
  }

  /** The runs folder: the thaw.runsFolder setting, else the file's own `output`. */
  runsFolder(output: string): string {
    return this.runsFolderSetting() ?? output;
  }

  runsFolderSetting(): string | undefined {
    const setting = vscode.workspace.getConfiguration('thaw').get<string>('runsFolder');
    if (setting === undefined || setting === '') return undefined;
    const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';
    return path.resolve(root, setting);
  }

  runRecords(): Promise<RunRecord[]> {
    return Promise.resolve(this.runs);
  }

  private async readRuns(folder: string): Promise<RunRecord[]> {
    // Reading run folders is reading files the workspace brought: only in a trusted one.
    if (!vscode.workspace.isTrusted) return [];
    const { readRunRecords } = await heavy();
    return readRunRecords(folder).catch(() => []);
  }

  private async modelGroups(experiment: NonNullable<ExperimentSnapshot['experiment']>): Promise<ModelGroups> {
    const { readModelGroups } = await heavy();
    // In an untrusted workspace nothing is fetched and no dataset is read: only config.json.
    const trusted = vscode.workspace.isTrusted;
    const key = JSON.stringify([experiment.model, experiment.tasks, trusted]);
    let groups = this.modelCache.get(key);
    if (groups === undefined) {
      groups = readModelGroups(experiment, { fetchFromHub: trusted, readDatasets: trusted });
      groups.catch(() => this.modelCache.delete(key));
      this.modelCache.set(key, groups);
    }
    return groups;
  }

  private async textOf(file: string): Promise<string> {
    const open = vscode.workspace.textDocuments.find((document) => document.uri.fsPath === file);
    return open?.getText() ?? (await fs.readFile(file, 'utf8').catch(() => ''));
  }

  async selectPhase(phase: string): Promise<void> {
    if (this.current === undefined) return;
    await this.state.update(PHASE_KEY + this.current.file, phase);
    await this.reload({ runs: false });
  }

  /** Edits one after another: each is computed from the text the one before it left. */
  private edits: Promise<void> = Promise.resolve();

  /** Writes `change` into the selected phase of the file; an invalid file refuses edits. */
  edit(change: PhaseChange): Promise<void> {
    this.edits = this.edits.then(() => this.applyChange(change)).catch((error: unknown) => void vscode.window.showErrorMessage(`Thaw: ${messageOf(error)}`));
    return this.edits;
  }

  private async applyChange(change: PhaseChange): Promise<void> {
    const snapshot = this.current;
    if (snapshot === undefined) return;
    if (snapshot.problem !== undefined || snapshot.selectedPhase === undefined) {
      void vscode.window.showErrorMessage(`Thaw: ${path.basename(snapshot.file)} cannot be edited from the views: ${snapshot.problem?.message ?? 'it has no phases'}`);
      return;
    }
    const { editPhase } = await heavy();
    // The document's text now, not the snapshot's: typing may not have been read back yet.
    const text = (await vscode.workspace.openTextDocument(vscode.Uri.file(snapshot.file))).getText();
    let result;
    try {
      result = editPhase(text, snapshot.selectedPhase, groupNamesOf(snapshot), change, snapshot.file);
    } catch (error) {
      void vscode.window.showErrorMessage(`Thaw: ${messageOf(error)}`);
      return;
    }
    await this.replaceText(result.text);
    if (result.notice !== undefined) void vscode.window.showInformationMessage(`Thaw: ${result.notice}.`);
  }

  /** One WorkspaceEdit over the range that changed (so undo undoes it), then a save. */
  async replaceText(text: string): Promise<void> {
    const snapshot = this.current;
    if (snapshot === undefined) return;
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(snapshot.file));
    const { changedRange } = await heavy();
    const change = changedRange(document.getText(), text);
    if (change.length > 0 || change.text !== '') {
      const edit = new vscode.WorkspaceEdit();
      edit.replace(document.uri, new vscode.Range(document.positionAt(change.offset), document.positionAt(change.offset + change.length)), change.text);
      if (!(await vscode.workspace.applyEdit(edit))) throw new Error(`could not edit ${snapshot.file}`);
    }
    await document.save();
    await this.reload({ runs: false });
  }

  /** Saves the experiment's editor, if it has unsaved changes (a start runs what is on disk). */
  async save(): Promise<void> {
    const file = this.current?.file;
    const open = vscode.workspace.textDocuments.find((document) => document.uri.fsPath === file);
    if (open?.isDirty === true) await open.save();
  }

  exists(file: string): boolean {
    return existsSync(file);
  }

  private showDiagnostics(snapshot: ExperimentSnapshot): void {
    this.diagnostics.clear();
    const problems: vscode.Diagnostic[] = [];
    if (snapshot.problem !== undefined) {
      const line = Math.max(0, (snapshot.problem.line ?? 1) - 1);
      problems.push(new vscode.Diagnostic(new vscode.Range(line, 0, line, Number.MAX_SAFE_INTEGER), snapshot.problem.message, vscode.DiagnosticSeverity.Error));
    }
    if (snapshot.modelProblem !== undefined) {
      problems.push(new vscode.Diagnostic(new vscode.Range(0, 0, 0, 1), `model: ${snapshot.modelProblem}`, vscode.DiagnosticSeverity.Warning));
    }
    for (const ignored of snapshot.ignoredRates) {
      const line = Math.max(0, (ignored.line ?? 1) - 1);
      problems.push(new vscode.Diagnostic(new vscode.Range(line, 0, line, Number.MAX_SAFE_INTEGER), ignored.message, vscode.DiagnosticSeverity.Warning));
    }
    for (const diagnostic of problems) diagnostic.source = 'Thaw';
    this.diagnostics.set(vscode.Uri.file(snapshot.file), problems);
  }

  private async dropLegacyState(): Promise<void> {
    const legacy = this.state.keys().filter((key) => key.startsWith(LEGACY_FREEZE_KEY));
    if (legacy.length === 0) return;
    await Promise.all(legacy.map((key) => this.state.update(key, undefined)));
    void vscode.window.showInformationMessage('Thaw: what is frozen now lives in the experiment file, phase by phase; the freeze state saved by an earlier version was dropped.');
  }
}

/** Two snapshots the views draw alike: same file, text, phases, selection, model and problems. */
function sameView(a: ExperimentSnapshot, b: ExperimentSnapshot): boolean {
  const view = (snapshot: ExperimentSnapshot) => JSON.stringify([snapshot.file, snapshot.text, snapshot.phases, snapshot.selectedPhase, snapshot.model, snapshot.modelProblem, snapshot.problem]);
  return view(a) === view(b);
}
