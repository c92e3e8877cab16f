// The panel's run header, derived from a run's events: nothing to keep in sync by hand.

import type { RunHeader } from '../protocol/panel-messages';
import type { TrainerEvent } from '../protocol/trainer-events';

/** The header for `events` of one run (in order), or undefined before its run-start. */
export function runHeaderFrom(events: readonly TrainerEvent[]): RunHeader | undefined {
  let header: RunHeader | undefined;
  let phaseStartedAt = 0;
  let phaseFirstStep = 0;
  for (const event of events) {
    switch (event.type) {
      case 'run-start':
        header = { runId: event.runId, phase: '', step: 0, totalSteps: 0, globalStep: event.resumedFromStep ?? 0, elapsedMs: 0, backend: event.backend.replace(/^backend: /, ''), status: 'running', warnings: [] };
        break;
      case 'phase-start':
        if (header === undefined) break;
        header = { ...header, phase: event.phase, step: 0, totalSteps: event.totalSteps, etaMs: undefined };
        phaseStartedAt = Date.parse(event.time);
        phaseFirstStep = -1;
        break;
      case 'step': {
        if (header === undefined) break;
        if (phaseFirstStep < 0) phaseFirstStep = event.step - 1;
        const perStep = (Date.parse(event.time) - phaseStartedAt) / Math.max(1, event.step - phaseFirstStep);
        header = { ...header, phase: event.phase, step: event.step, totalSteps: event.totalSteps, globalStep: event.globalStep, elapsedMs: event.elapsedMs, etaMs: Math.max(0, perStep * (event.totalSteps - event.step)) };
        break;
      }
      case 'warning':
        if (header !== undefined) header = { ...header, warnings: [...header.warnings, event.message] };
        break;
      case 'error':
        if (header !== undefined) header = { ...header, warnings: [...header.warnings, `error: ${event.message}`] };
        break;
      case 'run-end':
        if (header !== undefined) header = { ...header, status: event.status, globalStep: event.globalStep, etaMs: undefined };
        break;
      default:
        break;
    }
  }
  return header;
}
