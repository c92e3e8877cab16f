// What a person sees of a run outside the panel: the status bar, a progress notification for
// long work (a download, caching the encoder's outputs), warnings, and an error when the
// trainer fails or dies.

import * as vscode from 'vscode';
import type { TrainerEvent } from '../../protocol/trainer-events';
import { Disposable } from '../disposable';
import { TrainingStatusBar } from './status-bar';
import type { TrainerExit } from './trainer-process';

export class RunFeedback extends Disposable {
  private readonly statusBar = this.track(new TrainingStatusBar());
  private progress: { report: (message: string) => void; done: () => void } | undefined;

  constructor(private readonly output: vscode.OutputChannel) {
    super();
    this.track({ dispose: () => this.progress?.done() });
  }

  onEvent(event: TrainerEvent): void {
    this.statusBar.show(event);
    // Only long work gets a notification: a download, or caching the encoder's outputs.
    const long = event.type === 'progress' && (event.stage === 'embedding-cache' || event.message.startsWith('downloading'));
    if (event.type === 'progress' && long) this.showProgress(event.message, event.done >= event.total && event.total > 0);
    else if (event.type !== 'checkpoint') this.progress?.done();
    if (event.type === 'warning') void vscode.window.showWarningMessage(`Thaw: ${event.message}`);
  }

  onExit(exit: TrainerExit): void {
    this.progress?.done();
    const ended = exit.lastEvent?.type === 'run-end';
    if (!ended) this.statusBar.showCrash(exit.signal ?? String(exit.code));
    const failed = ended ? exit.lastEvent?.type === 'run-end' && exit.lastEvent.status === 'failed' : exit.code !== 0;
    if (!failed) return;
    const reason = exit.lastError ?? (ended ? 'see the log' : `the trainer exited (${exit.signal ?? exit.code})`);
    void vscode.window.showErrorMessage(`Thaw: training failed: ${reason}.${ended ? '' : ' What the run wrote is kept.'}`, 'Show Log').then((choice) => choice && this.output.show());
  }

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
}
