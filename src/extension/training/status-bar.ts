import * as vscode from 'vscode';
import type { TrainerEvent } from '../../protocol/trainer-events';

/** The status bar while a run goes: phase, step and the latest losses; a click opens the panel. */
export class TrainingStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('thaw.training', vscode.StatusBarAlignment.Left, 50);

  constructor() {
    this.item.name = 'Thaw training';
    this.item.command = 'thaw.openPanel';
  }

  show(event: TrainerEvent): void {
    switch (event.type) {
      case 'run-start':
        this.set('$(loading~spin) Thaw: starting', event.backend);
        break;
      case 'phase-start':
        this.set(`$(loading~spin) Thaw ${event.phase} 0/${event.totalSteps}`, `frozen: ${event.frozen.join(', ') || 'nothing'}`);
        break;
      case 'step': {
        const losses = Object.entries(event.loss).map(([task, loss]) => `${task} ${loss.toFixed(3)}`).join(' ');
        this.set(`$(loading~spin) Thaw ${event.phase} ${event.step}/${event.totalSteps} · ${losses}`, `global step ${event.globalStep}`);
        break;
      }
      case 'run-end':
        this.set(`$(${event.status === 'completed' ? 'check' : event.status === 'stopped' ? 'debug-stop' : 'error'}) Thaw ${event.status}`, `after step ${event.globalStep}`);
        break;
      default:
        break;
    }
  }

  /** The trainer ended without a run-end event (killed, crashed). */
  showCrash(reason: string): void {
    this.set('$(error) Thaw failed', `the trainer ended unexpectedly (${reason})`);
  }

  private set(text: string, tooltip: string): void {
    this.item.text = text;
    this.item.tooltip = tooltip;
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}
