// A run's header (phase, step, elapsed time, ETA, backend, status, warnings), kept up to date
// one event at a time. The panel's host and the CLI's progress line both read it, so the ETA
// is worked out in one place: the current phase's pace so far times the steps left.

import type { RunHeader } from './panel-messages';
import type { TrainerEvent } from './trainer-events';

export class RunHeaderTracker {
  private header: RunHeader | undefined;
  private phaseStartedAt = 0;
  /** Steps of the phase already done before this process saw its first one (a resumed run). */
  private stepsBeforeFirstSeen = -1;

  /** The header so far, or undefined before a run-start. */
  get current(): RunHeader | undefined {
    return this.header;
  }

  add(event: TrainerEvent): void {
    const header = this.header;
    switch (event.type) {
      case 'run-start':
        this.header = { runId: event.runId, phase: '', step: 0, totalSteps: 0, globalStep: event.resumedFromStep ?? 0, elapsedMs: 0, backend: event.backend.replace(/^backend: /, ''), status: 'running', warnings: [] };
        return;
      case 'phase-start':
        if (header === undefined) return;
        this.header = { ...header, phase: event.phase, step: 0, totalSteps: event.totalSteps, etaMs: undefined, ...(event.engine === undefined ? {} : { engine: event.engine }) };
        this.phaseStartedAt = Date.parse(event.time);
        this.stepsBeforeFirstSeen = -1;
        return;
      case 'step': {
        if (header === undefined) return;
        if (this.stepsBeforeFirstSeen < 0) this.stepsBeforeFirstSeen = event.step - 1;
        const perStep = (Date.parse(event.time) - this.phaseStartedAt) / Math.max(1, event.step - this.stepsBeforeFirstSeen);
        this.header = { ...header, phase: event.phase, step: event.step, totalSteps: event.totalSteps, globalStep: event.globalStep, elapsedMs: event.elapsedMs, etaMs: Math.max(0, perStep * (event.totalSteps - event.step)) };
        return;
      }
      case 'warning':
      case 'error':
        if (header !== undefined) this.header = { ...header, warnings: [...header.warnings, event.type === 'error' ? `error: ${event.message}` : event.message] };
        return;
      case 'run-end':
        if (header !== undefined) this.header = { ...header, status: event.status, globalStep: event.globalStep, etaMs: undefined };
        return;
      default:
        return;
    }
  }
}
