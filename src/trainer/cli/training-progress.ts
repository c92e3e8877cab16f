import { RunHeaderTracker } from '../../protocol/run-header';
import type { TrainerEvent } from '../../protocol/trainer-events';
import type { ProgressLine } from './progress-line';

const BAR_WIDTH = 20;

function duration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return seconds < 60 ? `${seconds}s` : `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`;
}

/**
 * What a person watching `thaw train` sees on stderr: a bar per phase with the step, each
 * task's loss and the time left; phase starts, validations, warnings and checkpoints as lines.
 */
export class TrainingProgress {
  private readonly header = new RunHeaderTracker();

  constructor(private readonly line: ProgressLine) {}

  show(event: TrainerEvent): void {
    this.header.add(event);
    switch (event.type) {
      case 'run-start':
        this.line.done(`thaw train: run ${event.runId} in ${event.runFolder}\nthaw train: ${event.backend}${event.resumedFromStep === undefined ? '' : `; resuming after step ${event.resumedFromStep}`}`);
        break;
      case 'phase-start':
        this.line.done(
          `phase ${event.phase}: ${event.totalSteps} steps, frozen: ${event.frozen.join(', ') || 'nothing'}${event.trainsNothing ? ' (trains nothing: losses and metrics only)' : ''}${event.usesEmbeddingCache ? ', encoder outputs cached' : ''}`,
        );
        break;
      case 'step': {
        const done = event.step / event.totalSteps;
        const filled = Math.round(done * BAR_WIDTH);
        const eta = this.header.current?.etaMs;
        const losses = Object.entries(event.loss).map(([task, loss]) => `${task} ${loss.toFixed(3)}`).join(' ');
        this.line.update(`${event.phase} [${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ${event.step}/${event.totalSteps} loss ${losses} ETA ${eta === undefined ? '?' : duration(eta)}`);
        break;
      }
      case 'validation':
        this.line.done(
          `${event.phase} epoch ${event.epoch}: ` +
            Object.entries(event.tasks).map(([task, m]) => `${task}: loss ${m.loss.toFixed(3)} accuracy ${m.accuracy.toFixed(3)} macro-F1 ${m.macroF1.toFixed(3)}`).join(' | '),
        );
        break;
      case 'progress':
        this.line.update(event.message);
        break;
      case 'warning':
        this.line.done(`warning: ${event.message}`);
        break;
      case 'error':
        // The command prints the error itself, as its one last line.
        break;
      case 'checkpoint':
        this.line.done(`checkpoint after step ${event.globalStep}: ${event.folder}`);
        break;
      case 'phase-end':
      case 'run-end':
        break;
    }
  }

  finish(message: string): void {
    this.line.done(`thaw train: ${message}`);
  }
}
