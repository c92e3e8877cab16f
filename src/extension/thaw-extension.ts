// The one root object `activate` builds. It owns every part of the extension (the selected
// experiment, the Model view, the panel, the trainer) and wires the commands to them.

import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PhaseChange } from '../core/experiment/phase-edits';
import type { RunSummary } from '../protocol/run-summary';
import { writeE2eReport } from './dev/dev-hooks';
import { Disposable } from './disposable';
import { findExperimentFiles, selectExperiment } from './experiment/experiment-selection';
import { ExperimentSession } from './experiment/experiment-session';
import { pickHeadToFreeze, pickPhase, pickScenario } from './model-view/freeze-commands';
import { ModelTree } from './model-view/model-tree';
import { openWalkthrough, showWalkthroughOnce } from './onboarding/walkthrough';
import type { TrainingPanel } from './panel/training-panel';
import type { ComparePanel } from './runs/compare-panel';
import { runFoldersOf } from './runs/compare-state';
import { RunsView } from './runs/runs-view';
import type { TrainerProcess } from './training/trainer-process';
import { TrainingController } from './training/training-controller';

/** The panels' webview types (also in package.json); their modules load on first use. */
const PANEL_VIEW_TYPE = 'thaw.panel';
const COMPARE_VIEW_TYPE = 'thaw.compare';

/** The run folders' summaries, metadata and comparisons load on first use, not during activation. */
const runStore = () => import('./runs/run-store.js');

export class ThawExtension extends Disposable {
  private readonly output = this.track(vscode.window.createOutputChannel('Thaw'));
  private readonly session: ExperimentSession;
  private readonly tree: ModelTree;
  private readonly controller: TrainingController;
  // Created on first use: activation loads only what the Model view needs.
  private trainer: TrainerProcess | undefined;
  private panel: TrainingPanel | undefined;
  private compare: ComparePanel | undefined;
  /** The manifest of the sweep the trainer is running, from its sweep-start event. */
  private sweepManifest: string | undefined;
  private readonly runsView: RunsView;

  constructor(private readonly context: vscode.ExtensionContext) {
    super();
    this.session = this.track(new ExperimentSession(context.workspaceState));
    this.tree = this.track(new ModelTree((change) => void this.edit(change)));
    this.runsView = this.track(
      new RunsView({
        runsFolder: () => this.runsFolder(),
        listRuns: async (folder) => (await runStore()).listRunSummaries(folder),
        updateMetadata: async (folder, change) => (await runStore()).updateMetadata(folder, change),
        liveRunFolder: () => (this.trainer?.running === true ? this.trainer.runFolder : undefined),
        openRun: (run) => this.openRun(run.id, run.folder),
        compareRuns: async (runs) => (await this.comparePanel()).show(runs.map((run) => run.folder)),
        resumeRun: (run) => this.whenTrusted(() => this.controller.resume(run.folder)),
        fineTuneFrom: (checkpoint) => this.whenTrusted(() => this.controller.startPhase('fine-tune', checkpoint)),
        exportModel: (run) => this.exportModel(run),
      }),
    );
    this.track(this.session.onDidChange(() => {
      this.tree.show(this.session.snapshot);
      this.panel?.sendSetup();
      void this.runsView.follow();
    }));
    this.controller = new TrainingController(
      {
        info: (message) => void vscode.window.showInformationMessage(message),
        warn: (message) => void vscode.window.showWarningMessage(message),
        error: (message) => void vscode.window.showErrorMessage(message),
        pick: async (title, items) => (await vscode.window.showQuickPick(items.map((item) => ({ ...item })), { title }))?.value,
        confirm: async (message, action) => (await vscode.window.showWarningMessage(message, { modal: true }, action)) === action,
      },
      {
        save: () => this.session.save(),
        current: () => this.session.reload(),
        replaceText: (text) => this.session.replaceText(text),
        runs: () => this.session.runRecords(),
        runsFolderSetting: () => this.session.runsFolderSetting(),
        exists: (file) => existsSync(file),
      },
      () => this.trainerProcess(),
    );
    this.registerCommands();
    this.track(
      vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, {
        deserializeWebviewPanel: async (panel) => (await this.trainingPanel()).restore(panel),
      }),
    );
    this.track(
      vscode.window.registerWebviewPanelSerializer(COMPARE_VIEW_TYPE, {
        deserializeWebviewPanel: async (panel, state: unknown) => (await this.comparePanel()).restore(panel, runFoldersOf(state)),
      }),
    );
    // Reading the experiment and its model touches the disk; it must not delay activation.
    // A workspace without an experiment is a new user's first step: the walkthrough opens, once.
    const timer = setTimeout(() => void this.session.reload().then((snapshot) => (snapshot === undefined ? showWalkthroughOnce(context.globalState) : undefined)), 0);
    this.track({ dispose: () => clearTimeout(timer) });
  }

  private registerCommands(): void {
    const command = (id: string, run: (...args: unknown[]) => unknown) => this.track(vscode.commands.registerCommand(id, run));
    command('thaw.startWarmup', () => this.start('warm-up'));
    command('thaw.startFineTune', () => this.start('fine-tune'));
    command('thaw.trainCurrent', () => this.start(this.session.snapshot?.selectedPhase));
    command('thaw.runExperiment', () => this.whenTrusted(() => this.controller.runExperiment()));
    command('thaw.compareScenarios', () => this.whenTrusted(() => this.controller.runSweep(true)));
    command('thaw.runSweep', () => this.whenTrusted(() => this.controller.runSweep(false)));
    command('thaw.stopTraining', () => this.stopTraining());
    command('thaw.freezeHead', () => this.withSnapshot(pickHeadToFreeze));
    command('thaw.applyScenario', () => this.withSnapshot(pickScenario));
    command('thaw.selectPhase', async () => {
      const snapshot = this.session.snapshot;
      const phase = snapshot === undefined ? undefined : await pickPhase(snapshot);
      if (phase !== undefined) await this.session.selectPhase(phase);
    });
    command('thaw.newExperiment', () => this.newExperiment());
    command('thaw.createDemo', () => this.createDemo());
    command('thaw.getStarted', () => openWalkthrough());
    command('thaw.selectExperiment', () => this.chooseExperiment());
    command('thaw.showLog', () => this.output.show());
    command('thaw.openPanel', async () => (await this.trainingPanel()).show());
    command('thaw.benchmarkPanel', async () => {
      const [panel, { feedSyntheticRun }] = await Promise.all([this.trainingPanel(), import('./dev/panel-benchmark.js')]);
      await feedSyntheticRun(panel);
    });
  }

  private async withSnapshot(pick: (snapshot: NonNullable<ExperimentSession['snapshot']>) => Promise<PhaseChange | undefined>): Promise<void> {
    const snapshot = this.session.snapshot;
    if (snapshot === undefined) return;
    const change = await pick(snapshot);
    if (change !== undefined) await this.edit(change);
  }

  private async edit(change: PhaseChange): Promise<void> {
    await this.session.edit(change);
  }

  private async whenTrusted(run: () => Promise<unknown>): Promise<void> {
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage('Thaw does not train in an untrusted workspace: training runs code on the data and models it names. Trust the workspace to train; the Model view still works.');
      return;
    }
    await run();
  }

  private async start(phase: string | undefined): Promise<void> {
    if (phase === undefined) {
      void vscode.window.showErrorMessage('Thaw: no experiment phase is selected. Create one with "Thaw: Create Demo Experiment" or "Thaw: New Experiment".');
      return;
    }
    await this.whenTrusted(async () => {
      try {
        await this.controller.startPhase(phase);
      } catch (error) {
        void vscode.window.showErrorMessage(`Thaw: ${(error as Error).message}`);
      }
    });
  }

  /** The `thaw` command line the host runs as a child process. */
  private get cliPath(): string {
    return path.join(this.context.extensionPath, 'out', 'src', 'trainer', 'cli', 'main.js');
  }

  private nodePath(): string | undefined {
    return vscode.workspace.getConfiguration('thaw').get<string>('nodePath');
  }

  /** `thaw export` of a run; it runs a process with the workspace's settings, so only when trusted. */
  private async exportModel(run: RunSummary): Promise<void> {
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage('Thaw exports models only in a trusted workspace: it runs the trainer\'s command line with this workspace\'s settings.');
      return;
    }
    const { exportRunModel } = await import('./runs/export-model.js');
    await exportRunModel(run, { cliPath: this.cliPath, nodePath: () => this.nodePath(), output: this.output });
  }

  private async trainerProcess(): Promise<TrainerProcess> {
    if (this.trainer !== undefined) return this.trainer;
    const [{ TrainerProcess }, { RunFeedback }] = await Promise.all([import('./training/trainer-process.js'), import('./training/run-feedback.js')]);
    const settings = () => vscode.workspace.getConfiguration('thaw');
    const trainer = this.track(new TrainerProcess(this.cliPath, this.output, () => this.nodePath(), () => settings().get<number>('threads'), () => settings().get<string>('engine')));
    const feedback = this.track(new RunFeedback(this.output));
    this.trainer = trainer;
    this.track(trainer.onStart(() => {
      void vscode.commands.executeCommand('setContext', 'thaw.training', true);
      this.panel?.sendSetup();
    }));
    this.track(trainer.onEvent((event) => {
      feedback.onEvent(event);
      this.panel?.addEvent(event);
    }));
    this.track(trainer.onSweepEvent((event) => {
      if (event.type === 'sweep-start') this.sweepManifest = event.manifest;
      void this.runsView.refresh();
    }));
    this.track(trainer.onExit((exit) => {
      void vscode.commands.executeCommand('setContext', 'thaw.training', false);
      feedback.onExit(exit);
      // A sweep that ran to its end: its variants side by side.
      const manifest = this.sweepManifest;
      this.sweepManifest = undefined;
      if (manifest !== undefined && exit.code === 0) void this.compareSweep(manifest);
      // The run may have completed a phase: the views move on to the next one.
      void this.session.reload();
      void this.runsView.refresh();
      writeE2eReport();
    }));
    return trainer;
  }

  private async stopTraining(): Promise<void> {
    const trainer = this.trainer;
    if (trainer === undefined || !trainer.running) return;
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Thaw: stopping after the current step...' }, () => trainer.stop());
  }

  /** What the onboarding commands need of the rest of the extension. */
  private onboardingHost(): import('./onboarding/create-demo').OnboardingHost {
    return {
      extensionPath: this.context.extensionPath,
      runCli: async (args) => (await this.trainerProcess()).plan(args),
      select: async (file) => {
        await selectExperiment(this.context.workspaceState, file);
        await this.session.reload();
      },
      log: (line) => this.output.appendLine(line),
    };
  }

  private async newExperiment(): Promise<void> {
    const { newExperiment } = await import('./onboarding/new-experiment.js');
    await newExperiment(this.onboardingHost());
  }

  private async createDemo(): Promise<void> {
    const { createDemo } = await import('./onboarding/create-demo.js');
    await createDemo(this.onboardingHost());
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
    await this.session.reload();
  }

  private async trainingPanel(): Promise<TrainingPanel> {
    if (this.panel !== undefined) return this.panel;
    const [{ TrainingPanel }, bridge] = await Promise.all([import('./panel/training-panel.js'), import('./panel/panel-bridge.js')]);
    const panel = new TrainingPanel(
      this.context.extensionUri,
      {
        setup: () => {
          const snapshot = this.session.snapshot;
          return snapshot === undefined ? undefined : bridge.setupMessage(snapshot, this.trainer?.running ?? false);
        },
        history: async () => {
          const experiment = (await this.session.loaded())?.experiment;
          return experiment === undefined || !vscode.workspace.isTrusted ? [] : bridge.newestRunEvents(this.session.runsFolder(experiment.output));
        },
        onMessage: (message) => {
          const snapshot = this.session.snapshot;
          const change = snapshot === undefined ? undefined : bridge.phaseChangeOf(message, snapshot);
          if (change !== undefined) return void this.edit(change);
          switch (message.type) {
            case 'start':
              return void this.start(message.phase);
            case 'selectPhase':
              return void this.session.selectPhase(message.phase);
            case 'stop':
              return void this.stopTraining();
            case 'onboard':
              return void vscode.commands.executeCommand(`thaw.${message.action}`);
            case 'renderTiming':
              return void import('./dev/panel-benchmark.js').then(({ reportBenchmark }) => reportBenchmark(message, this.output));
            default:
              this.output.appendLine(`[thaw] the panel sent ${message.type} without an experiment`);
          }
        },
      },
      this.output,
    );
    this.panel = this.track(panel);
    return panel;
  }

  /** The runs folder the Runs view lists: the selected experiment's, else the setting's or the workspace's runs/. */
  private runsFolder(): string | undefined {
    const experiment = this.session.snapshot?.experiment;
    if (experiment !== undefined) return this.session.runsFolder(experiment.output);
    const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    return this.session.runsFolderSetting() ?? (root === undefined ? undefined : path.join(root, 'runs'));
  }

  /** Shows a recorded run's curves and header in the training panel. */
  private async openRun(runId: string, folder: string): Promise<void> {
    const [panel, { runEvents }] = await Promise.all([this.trainingPanel(), import('./panel/panel-bridge.js')]);
    panel.showRecordedRun(runId, await runEvents(folder));
  }

  /** Opens the comparison on a finished sweep's variants (each variant's last run). */
  private async compareSweep(manifestFile: string): Promise<void> {
    try {
      const [{ readManifest }, results, { formatScenarioReport }] = await Promise.all([
        import('../core/sweeps/sweep-manifest.js'),
        import('../core/sweeps/sweep-results.js'),
        import('../core/sweeps/scenario-report.js'),
      ]);
      const manifest = await readManifest(manifestFile);
      const folders = manifest.variants.flatMap((variant) => manifest.runs.find((run) => run.id === variant.run)?.runFolder ?? []);
      const report = manifest.scenarios ? formatScenarioReport(results.sweepScenarioReport(manifest), results.taskNames(manifest)) : undefined;
      if (folders.length > 0) (await this.comparePanel()).show(folders, report);
    } catch (error) {
      this.output.appendLine(`[thaw] could not open the sweep's comparison: ${(error as Error).message}`);
    }
  }

  private async comparePanel(): Promise<ComparePanel> {
    if (this.compare !== undefined) return this.compare;
    const [{ ComparePanel }, store] = await Promise.all([import('./runs/compare-panel.js'), runStore()]);
    this.compare = this.track(
      new ComparePanel(this.context.extensionUri, this.output, {
        summarize: (folders) => store.summarizeFolders(folders),
        compare: (summaries) => store.compareSummaries(summaries),
        openRun: (run) => void this.openRun(run.id, run.folder),
      }),
    );
    return this.compare;
  }

  /** Window reload or deactivation: resolves once the trainer (if any) has stopped. */
  async shutdown(): Promise<void> {
    await this.dispose();
  }
}
