// Starting and stopping training for the commands, the tree and the panel. It saves the file,
// plans the start (pure: nothing changes on a refusal), asks which checkpoint when several
// fit, writes an added phase into the file, then runs exactly `thaw train FILE --phase NAME
// [--from CHECKPOINT]`, as the command line would. No 'vscode' here: the host's parts come in
// through small interfaces, so this is unit-tested with stubs.

import * as path from 'node:path';
import type { RunRecord } from '../../core/runs/run-listing';
import type { ExperimentSnapshot } from '../experiment/experiment-snapshot';

export interface TrainingUi {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  pick(title: string, items: readonly { readonly label: string; readonly detail?: string; readonly value: string }[]): Promise<string | undefined>;
  /** Asks before something big; true to go ahead. */
  confirm(message: string, action: string): Promise<boolean>;
}

export interface ExperimentAccess {
  /** Saves the experiment file if it has unsaved changes. */
  save(): Promise<void>;
  /** The selected experiment as it is now on disk, or undefined when there is none. */
  current(): Promise<ExperimentSnapshot | undefined>;
  /** Replaces the file's text with one undoable edit, and saves it. */
  replaceText(text: string): Promise<void>;
  runs(): Promise<readonly RunRecord[]>;
  runsFolderSetting(): string | undefined;
  exists(file: string): boolean;
}

export interface TrainerLauncher {
  readonly running: boolean;
  start(args: readonly string[]): Promise<void>;
  /** Runs `thaw <args>` to its end; its stdout lines. */
  plan(args: readonly string[]): Promise<string[]>;
}

/** Sweeps larger than this ask first (issue: "sweeps over 50 variants ask for confirmation"). */
export const SWEEP_CONFIRM_VARIANTS = 50;

export class TrainingController {
  constructor(
    private readonly ui: TrainingUi,
    private readonly experiment: ExperimentAccess,
    private readonly trainer: () => Promise<TrainerLauncher>,
  ) {}

  /** The trainer, when no run is going; else says so. One run at a time. */
  private async idleTrainer(): Promise<TrainerLauncher | undefined> {
    const trainer = await this.trainer();
    if (!trainer.running) return trainer;
    this.ui.info('Thaw: a training run is already going. Stop it first.');
    return undefined;
  }

  /** `--output DIR` when the thaw.runsFolder setting overrides the file's "output". */
  private outputArgs(): string[] {
    const output = this.experiment.runsFolderSetting();
    return output === undefined ? [] : ['--output', output];
  }

  /** The selected experiment as saved (a start runs what is on disk); says so when there is none. */
  private async savedExperiment(): Promise<ExperimentSnapshot | undefined> {
    await this.experiment.save();
    const snapshot = await this.experiment.current();
    if (snapshot === undefined) this.ui.error('Thaw: no experiment to train. Create one with "Thaw: New Experiment".');
    return snapshot;
  }

  /** The saved experiment when it reads, with its resolved settings; else says what is wrong. */
  private async validExperiment(): Promise<{ snapshot: ExperimentSnapshot; experiment: NonNullable<ExperimentSnapshot['experiment']> } | undefined> {
    const snapshot = await this.savedExperiment();
    if (snapshot === undefined) return undefined;
    if (snapshot.experiment === undefined) {
      this.ui.error(`Thaw: ${snapshot.problem?.message ?? 'the experiment does not read'}`);
      return undefined;
    }
    return { snapshot, experiment: snapshot.experiment };
  }

  /** Starts phase `phaseName` of the selected experiment; resolves once the trainer runs (or it was refused). */
  async startPhase(phaseName: string, fromCheckpoint?: string): Promise<boolean> {
    const trainer = await this.idleTrainer();
    if (trainer === undefined) return false;
    const snapshot = await this.savedExperiment();
    if (snapshot === undefined) return false;
    // The plan brings the experiment schema: loaded on the first start, not during activation.
    const { planStart } = await import('./start-plan.js');
    const plan = planStart(phaseName, { snapshot, runs: await this.experiment.runs(), runsFolderSetting: this.experiment.runsFolderSetting(), exists: (file) => this.experiment.exists(file), ...(fromCheckpoint === undefined ? {} : { fromCheckpoint }) });
    if ('refused' in plan) {
      this.ui.warn(`Thaw: ${plan.refused}`);
      return false;
    }
    let from: string | undefined = plan.fromCandidates[0];
    if (plan.fromCandidates.length > 1) {
      from = await this.ui.pick(
        `Thaw: start "${phaseName}" from which checkpoint?`,
        plan.fromCandidates.map((checkpoint) => ({ label: path.basename(path.dirname(path.dirname(checkpoint))), detail: checkpoint, value: checkpoint })),
      );
      if (from === undefined) return false;
    }
    if (plan.newText !== undefined) {
      await this.experiment.replaceText(plan.newText);
      if (plan.notice !== undefined) this.ui.info(`Thaw: ${plan.notice}.`);
    }
    await trainer.start([...plan.args, ...(from === undefined ? [] : ['--from', from])]);
    this.ui.info(`Thaw: starting ${plan.summary}${from === undefined ? '' : ` From ${path.relative(path.dirname(path.dirname(path.dirname(from))), from)}.`}`);
    return true;
  }

  /** Continues a stopped or interrupted run from its latest checkpoint: `thaw train --resume RUN`. */
  async resume(runFolder: string): Promise<boolean> {
    const trainer = await this.idleTrainer();
    if (trainer === undefined) return false;
    await trainer.start(['train', '--resume', runFolder]);
    this.ui.info(`Thaw: resuming ${path.basename(runFolder)} from its latest checkpoint.`);
    return true;
  }

  /**
   * Runs the selected experiment's sweep (its `sweep` grid and seeds), or its freezing
   * scenarios side by side: `thaw sweep FILE [--scenarios]`. Its size (variants x steps) is
   * worked out first (`--dry-run`) and shown; a sweep of more than 50 variants asks first.
   */
  async runSweep(scenarios: boolean): Promise<boolean> {
    const trainer = await this.idleTrainer();
    if (trainer === undefined) return false;
    const valid = await this.validExperiment();
    if (valid === undefined) return false;
    const { snapshot } = valid;
    const args = ['sweep', snapshot.file, ...(scenarios ? ['--scenarios'] : []), ...this.outputArgs()];
    let plan: SweepSize;
    try {
      plan = sweepSize(await trainer.plan([...args, '--dry-run', '--json']));
    } catch (error) {
      this.ui.error(`Thaw: ${(error as Error).message.replace(/^thaw sweep: /, '')}`);
      return false;
    }
    const size = `${plan.variants} variant${plan.variants === 1 ? '' : 's'} in ${plan.runs} run${plan.runs === 1 ? '' : 's'}, ${plan.totalSteps} steps in all${plan.unsharedSteps > plan.totalSteps ? ` (${plan.unsharedSteps} if no variant shared a warm-up)` : ''}`;
    if (plan.variants > SWEEP_CONFIRM_VARIANTS && !(await this.ui.confirm(`Thaw: this sweep has ${size}. Start it?`, 'Start Sweep'))) return false;
    await trainer.start(args);
    this.ui.info(`Thaw: ${scenarios ? 'comparing the freezing scenarios' : 'running the sweep'} of ${path.basename(snapshot.file)}: ${size}. The comparison opens when it ends.`);
    return true;
  }

  /** Runs every phase of the selected experiment in one run, as `thaw train FILE` does. */
  async runExperiment(): Promise<boolean> {
    const trainer = await this.idleTrainer();
    if (trainer === undefined) return false;
    const valid = await this.validExperiment();
    if (valid === undefined) return false;
    const { snapshot, experiment } = valid;
    await trainer.start(['train', snapshot.file, ...this.outputArgs()]);
    this.ui.info(`Thaw: running every phase of ${path.basename(snapshot.file)}: ${experiment.phases.map((phase) => phase.name).join(', ')}.`);
    return true;
  }
}

interface SweepSize {
  readonly variants: number;
  readonly runs: number;
  readonly totalSteps: number;
  readonly unsharedSteps: number;
}

/** The size of a sweep from the `sweep-plan` line `thaw sweep --dry-run --json` prints. */
function sweepSize(lines: readonly string[]): SweepSize {
  for (const line of lines) {
    const event = JSON.parse(line) as { type?: string; variants?: unknown[]; runs?: unknown[]; totalSteps?: number; unsharedSteps?: number };
    if (event.type === 'sweep-plan' && Array.isArray(event.variants) && Array.isArray(event.runs)) {
      return { variants: event.variants.length, runs: event.runs.length, totalSteps: event.totalSteps ?? 0, unsharedSteps: event.unsharedSteps ?? 0 };
    }
  }
  throw new Error('thaw sweep --dry-run printed no plan');
}
