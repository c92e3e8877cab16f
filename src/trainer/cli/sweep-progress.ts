import type { SweepEvent } from '../../protocol/sweep-events';
import type { TrainerEvent } from '../../protocol/trainer-events';
import type { ProgressLine } from './progress-line';
import { TrainingProgress } from './training-progress';

function duration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return seconds < 60 ? `${seconds}s` : `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`;
}

/**
 * What a person watching `thaw sweep` sees on stderr: each run's phase, validation and warning
 * lines as `thaw train` prints them, and one overall line (runs, steps, ETA, the variant).
 */
export class SweepProgress {
  private readonly run: TrainingProgress;

  constructor(private readonly line: ProgressLine) {
    this.run = new TrainingProgress(line);
  }

  trainer(event: TrainerEvent): void {
    // The overall line replaces the run's own step bar.
    if (event.type !== 'step' && event.type !== 'progress') this.run.show(event);
  }

  sweep(event: SweepEvent): void {
    switch (event.type) {
      case 'sweep-plan':
        break; // printed before the sweep starts, as the preview
      case 'sweep-start':
        this.line.done(`thaw sweep: ${event.sweepId}${event.resumed ? ' (resumed)' : ''}: ${event.variants.length} variants in ${event.runs.length} runs, ${event.totalSteps} steps; manifest ${event.manifest}`);
        break;
      case 'sweep-progress': {
        const percent = event.total === 0 ? 100 : Math.floor((100 * event.done) / event.total);
        this.line.update(`sweep [run ${event.runsDone + 1}/${event.runsTotal}] ${event.done}/${event.total} steps (${percent}%) ETA ${event.etaMs === undefined ? '?' : duration(event.etaMs)}: ${event.variant}`);
        break;
      }
      case 'sweep-run-end':
        this.line.done(`thaw sweep: run ${event.run} ${event.status}: ${event.runFolder}`);
        break;
      case 'sweep-end':
        this.line.done(`thaw sweep: ${event.status} in ${duration(event.elapsedMs)}; manifest ${event.manifest}`);
        break;
    }
  }
}
