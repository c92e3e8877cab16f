// The one root object `activate` builds. It owns every disposable of the extension: views,
// commands, the trainer process, the freeze state of the selected experiment.

import { existsSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TrainerEvent } from '../protocol/trainer-events';
import type { ResolvedExperiment } from '../trainer/experiment/load-experiment';
import { EXPERIMENT_GLOB, findExperimentFiles, selectExperiment, selectedExperiment } from './experiment-selection';
import { FreezeState, SCENARIOS, scenarioFrozenGroups, type FreezeStateJson, type ScenarioName } from './freeze-state';
import { ModelTree } from './model-tree';
import type { PhaseKind } from './phase-plan';
import type { TrainingStatusBar } from './status-bar';
import type { TrainerProcess } from './trainer-process';
import type { TrainingPanel } from './training-panel';

/** The panel's webview type (also in package.json); the panel's module loads on first use. */
const PANEL_VIEW_TYPE = 'thaw.panel';

export class ThawExtension implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private readonly output = vscode.window.createOutputChannel('Thaw');
  private readonly tree = new ModelTree();
  // Created on the first run: activation loads only what the Model view needs.
  private statusBar: TrainingStatusBar | undefined;
  private trainer: TrainerProcess | undefined;
  private panel: TrainingPanel | undefined;
  private experimentFile: string | undefined;
  private state: FreezeState | undefined;
  private progress: { report: (message: string) => void; done: () => void } | undefined;

  constructor(private readonly context: vscode.ExtensionContext) {
    this.disposables.push(this.output, this.tree);
    const command = (id: string, run: (...args: unknown[]) => unknown) => this.disposables.push(vscode.commands.registerCommand(id, run));
    command('thaw.startWarmup', () => this.startPhase('warm-up'));
    command('thaw.startFineTune', () => this.startPhase('fine-tune'));
    command('thaw.trainCurrent', () => this.startPhase('current'));
    command('thaw.stopTraining', () => this.stopTraining());
    command('thaw.freezeHead', () => this.freezeHead());
    command('thaw.applyScenario', () => this.applyScenario());
    command('thaw.newExperiment', () => this.newExperiment());
    command('thaw.selectExperiment', () => this.chooseExperiment());
    command('thaw.showLog', () => this.output.show());
    command('thaw.openPanel', async () => (await this.trainingPanel()).show());
    command('thaw.benchmarkPanel', async () => {
      const [panel, { feedSyntheticRun }] = await Promise.all([this.trainingPanel(), import('./panel-benchmark.js')]);
      await feedSyntheticRun(panel);
    });
    this.disposables.push(
      vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, {
        deserializeWebviewPanel: async (panel) => (await this.trainingPanel()).restore(panel),
      }),
    );
    const watcher = vscode.workspace.createFileSystemWatcher(EXPERIMENT_GLOB);
    this.disposables.push(watcher, watcher.onDidCreate(() => this.reload()), watcher.onDidChange((uri) => uri.fsPath === this.experimentFile && this.reload()));
    // Reading the model's shape touches the disk; it must not delay activation.
    setTimeout(() => void this.reload(), 0);
  }

  private async trainerProcess(): Promise<TrainerProcess> {
    if (this.trainer !== undefined) return this.trainer;
    const [{ TrainerProcess }, { TrainingStatusBar }] = await Promise.all([import('./trainer-process.js'), import('./status-bar.js')]);
    const cli = path.join(this.context.extensionPath, 'out', 'src', 'trainer', 'cli', 'main.js');
    const trainer = new TrainerProcess(cli, this.output, () => vscode.workspace.getConfiguration('thaw').get<string>('nodePath'));
    const statusBar = new TrainingStatusBar();
    this.trainer = trainer;
    this.statusBar = statusBar;
    this.disposables.push(statusBar, trainer);
    this.disposables.push(
      trainer.onEvent((event) => this.onTrainerEvent(event)),
      trainer.onExit((exit) => {
        void vscode.commands.executeCommand('setContext', 'thaw.training', false);
        this.panel?.sendSetup();
        this.progress?.done();
        if (exit.lastEvent?.type !== 'run-end') statusBar.showCrash(exit.signal ?? String(exit.code));
        if (exit.code !== 0 && exit.lastEvent?.type !== 'run-end') {
          void vscode.window.showErrorMessage(`Thaw: training failed: ${exit.lastError ?? `the trainer exited (${exit.signal ?? exit.code})`}. What the run wrote is kept.`, 'Show Log').then((choice) => choice && this.output.show());
        } else if (exit.lastEvent?.type === 'run-end' && exit.lastEvent.status === 'failed') {
          void vscode.window.showErrorMessage(`Thaw: training failed: ${exit.lastError ?? 'see the log'}`, 'Show Log').then((choice) => choice && this.output.show());
        }
        this.writeE2eReport();
      }),
    );
    return trainer;
  }

  /** Loads the selected experiment's groups and its saved freeze state into the tree. */
  private async reload(): Promise<void> {
    this.experimentFile = await selectedExperiment(this.context.workspaceState);
    if (this.experimentFile === undefined) {
      this.state = undefined;
      this.tree.show(undefined);
      return;
    }
    try {
      const experiment = await this.loadExperiment(this.experimentFile);
      const { readGroupInfo } = await import('./model-shape.js');
      const key = `thaw.freezeState:${this.experimentFile}`;
      const state = new FreezeState(await readGroupInfo(experiment), this.context.workspaceState.get<FreezeStateJson>(key));
      state.onDidChange(() => {
        void this.context.workspaceState.update(key, state.toJSON());
        this.panel?.sendSetup();
      });
      this.state = state;
      this.panel?.sendSetup();
      this.tree.show(state, path.basename(this.experimentFile));
    } catch (error) {
      this.output.appendLine(`[thaw] ${(error as Error).message}`);
      this.tree.show(undefined);
      void vscode.window.showErrorMessage(`Thaw: ${(error as Error).message}`);
    }
  }

  private async loadExperiment(file: string): Promise<ResolvedExperiment> {
    const { loadExperiment } = await import('../trainer/experiment/load-experiment.js');
    return loadExperiment(file);
  }

  private async startPhase(kind: PhaseKind): Promise<void> {
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage('Thaw does not train in an untrusted workspace: training runs code on the data and models it names. Trust the workspace to train; the Model view still works.');
      return;
    }
    const trainer = await this.trainerProcess();
    if (trainer.running) {
      void vscode.window.showInformationMessage('Thaw: a training run is already going. Stop it first.');
      return;
    }
    if (this.experimentFile === undefined || this.state === undefined) await this.reload();
    const file = this.experimentFile;
    const state = this.state;
    if (file === undefined || state === undefined) {
      const choice = await vscode.window.showErrorMessage('Thaw: no experiment to train. Create one?', 'New Experiment');
      if (choice !== undefined) await this.newExperiment();
      return;
    }
    try {
      const experiment = await this.loadExperiment(file);
      // The experiment's phase of that name gives the length (one epoch when there is none).
      const template = experiment.phases.find((phase) => phase.name === (kind === 'current' ? 'train' : kind)) ?? { epochs: 1, steps: undefined };
      const [{ planPhase }, { latestWarmUpCheckpoint, writePhaseExperiment }] = await Promise.all([import('./phase-plan.js'), import('./phase-runs.js')]);
      const plan = planPhase(kind, state, template.epochs ?? 1);
      if ('refused' in plan) {
        void vscode.window.showWarningMessage(`Thaw: ${plan.refused}`);
        return;
      }
      const runsFolder = vscode.workspace.getConfiguration('thaw').get<string>('runsFolder') || experiment.output;
      let model = experiment.model;
      if (kind === 'fine-tune') {
        const checkpoint = await latestWarmUpCheckpoint(runsFolder);
        if (checkpoint === undefined) {
          void vscode.window.showWarningMessage(`Thaw: fine-tuning starts from a warm-up checkpoint, and ${runsFolder} has none yet. Run "Thaw: Start Warm-up Phase" first.`);
          return;
        }
        model = checkpoint;
      }
      const phase = { ...template, ...plan.phase, steps: template.steps, epochs: template.steps === undefined ? plan.phase.epochs : undefined };
      const phaseFile = await writePhaseExperiment(experiment, phase, model, runsFolder);
      void vscode.window.showInformationMessage(`Thaw: starting ${plan.summary}${kind === 'fine-tune' ? ` From the warm-up checkpoint ${path.relative(runsFolder, model)}.` : ''}`);
      await trainer.start(phaseFile);
      void vscode.commands.executeCommand('setContext', 'thaw.training', true);
      this.panel?.sendSetup();
    } catch (error) {
      void vscode.window.showErrorMessage(`Thaw: ${(error as Error).message}`);
    }
  }

  private async stopTraining(): Promise<void> {
    const trainer = this.trainer;
    if (trainer === undefined || !trainer.running) return;
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Thaw: stopping after the current step...' }, () => trainer.stop());
  }

  private async freezeHead(): Promise<void> {
    const state = this.state;
    if (state === undefined) return;
    const pick = await vscode.window.showQuickPick(
      state.headGroups.map((group) => ({ label: group === 'task_a_head' ? 'Task A head' : 'Task B head', description: group, group })),
      { title: 'Thaw: freeze which task head?' },
    );
    if (pick !== undefined) state.setFrozen(pick.group, true);
  }

  private async applyScenario(): Promise<void> {
    const state = this.state;
    if (state === undefined) return;
    const items = Object.entries(SCENARIOS).map(([name, { label, detail }]) => ({ label, detail, name: name as ScenarioName }));
    const pick = await vscode.window.showQuickPick(items, { title: 'Thaw: apply a freezing scenario' });
    if (pick !== undefined) state.setFrozenGroups(scenarioFrozenGroups(state, pick.name));
  }

  private async newExperiment(): Promise<void> {
    const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    if (root === undefined) {
      void vscode.window.showErrorMessage('Thaw: open a folder first; an experiment lives in a workspace.');
      return;
    }
    let file = path.join(root, 'thaw.json');
    for (let n = 2; existsSync(file); n++) file = path.join(root, `experiment-${n}.thaw.json`);
    const { STARTER_EXPERIMENT } = await import('./starter-experiment.js');
    writeFileSync(file, STARTER_EXPERIMENT);
    await selectExperiment(this.context.workspaceState, file);
    await vscode.window.showTextDocument(vscode.Uri.file(file));
    await this.reload();
  }

  private async chooseExperiment(): Promise<void> {
    const files = await findExperimentFiles();
    if (files.length === 0) {
      void vscode.window.showInformationMessage('Thaw: no thaw.json or *.thaw.json in this workspace. Run "Thaw: New Experiment".');
      return;
    }
    const pick = await vscode.window.showQuickPick(files.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri })), { title: 'Thaw: select the experiment' });
    if (pick === undefined) return;
    await selectExperiment(this.context.workspaceState, pick.uri.fsPath);
    await this.reload();
  }

  private onTrainerEvent(event: TrainerEvent): void {
    this.statusBar?.show(event);
    this.panel?.addEvent(event);
    // Only long work gets a notification: a download, or caching the encoder's outputs.
    const long = event.type === 'progress' && (event.stage === 'embedding-cache' || event.message.startsWith('downloading'));
    if (event.type === 'progress' && long) this.showProgress(event.message, event.done >= event.total && event.total > 0);
    else if (event.type !== 'checkpoint') this.progress?.done();
    if (event.type === 'warning') void vscode.window.showWarningMessage(`Thaw: ${event.message}`);
  }

  /** Model download and embedding caching can take minutes: a notification with their progress. */
  private showProgress(message: string, finished: boolean): void {
    if (this.progress === undefined && !finished) {
      void vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Thaw' }, (progress) =>
        new Promise<void>((resolve) => {
          this.progress = {
            report: (text) => progress.report({ message: text }),
            done: () => {
              this.progress = undefined;
              resolve();
            },
          };
          progress.report({ message });
        }),
      );
      return;
    }
    this.progress?.report(message);
    if (finished) this.progress?.done();
  }

  private async trainingPanel(): Promise<TrainingPanel> {
    if (this.panel !== undefined) return this.panel;
    const [{ TrainingPanel }, bridge] = await Promise.all([import('./training-panel.js'), import('./panel-bridge.js')]);
    const panel = new TrainingPanel(
      this.context.extensionUri,
      {
        setup: () => (this.state === undefined ? undefined : bridge.setupMessage(this.state, this.trainer?.running ?? false, this.experimentFile && path.basename(this.experimentFile))),
        history: async () => {
          if (this.experimentFile === undefined) return [];
          const experiment = await this.loadExperiment(this.experimentFile).catch(() => undefined);
          const runsFolder = vscode.workspace.getConfiguration('thaw').get<string>('runsFolder') || experiment?.output;
          return runsFolder === undefined ? [] : bridge.newestRunEvents(runsFolder);
        },
        onMessage: (message) => {
          if (this.state !== undefined && bridge.applyToState(this.state, message)) return;
          switch (message.type) {
            case 'start':
              // Until the host starts any phase of the file (branch main): the two it knows.
              if (message.phase === 'warm-up' || message.phase === 'fine-tune') void this.startPhase(message.phase);
              else this.output.appendLine(`[thaw] the panel asked to start phase ${message.phase}, which this host cannot start yet`);
              break;
            case 'selectPhase':
              this.output.appendLine(`[thaw] the panel selected phase ${message.phase}; this host does not select phases yet`);
              break;
            case 'stop':
              void this.stopTraining();
              break;
            case 'renderTiming':
              void import('./panel-benchmark.js').then(({ reportBenchmark }) => reportBenchmark(message, this.output));
              break;
            default:
              this.output.appendLine(`[thaw] the panel sent ${message.type} without an experiment`);
          }
        },
      },
      this.output,
    );
    this.panel = panel;
    this.disposables.push(panel);
    return panel;
  }

  /** For the end-to-end tests: what only the extension host can see about itself. */
  writeE2eReport(timing?: Record<string, number>): void {
    const file = process.env.THAW_E2E_REPORT;
    if (file === undefined) return;
    if (timing !== undefined) this.timing = timing;
    const tensorflowLoaded = Object.keys(require.cache).some((module) => module.includes(`${path.sep}@tensorflow${path.sep}`));
    writeFileSync(file, JSON.stringify({ ...this.timing, tensorflowLoaded }));
  }

  private timing: Record<string, number> = {};

  dispose(): void {
    this.disposables.forEach((disposable) => void disposable.dispose());
  }
}
