// The phase picker and the Start button in the setup header. The panel shows one phase of the
// file, the host's selected phase; picking another asks the host to select it (the Model view
// follows), and Start starts the phase the panel shows. Start is blocked while a run is going
// (one at a time), while a field holds an invalid rate (the run would not use what is typed),
// while the file is invalid, and while a pick waits for the host.

import type { PhaseSummary } from '../../../src/protocol/panel-messages';
import { element, setText } from '../shared/dom';
import { postToHost } from '../shared/vscode-api';

export interface StartBlockers {
  readonly training: boolean;
  readonly invalidInput: boolean;
  readonly problem: boolean;
}

export interface PhaseControls {
  readonly element: HTMLDivElement;
  /** The file's phases and the one the host shows. */
  readonly update: (phases: readonly PhaseSummary[], selected: string | undefined) => void;
  readonly blockStart: (blockers: StartBlockers) => void;
}

/** "warm-up" -> "Warm-up": how a phase is named on a button. */
export const phaseTitle = (phase: string): string => phase.charAt(0).toUpperCase() + phase.slice(1);

export const startLabel = (phase: string | undefined): string => (phase === undefined ? 'Start Phase' : `Start ${phaseTitle(phase)} Phase`);

export const phaseOptionText = (phase: PhaseSummary): string => (phase.hasRun ? `${phase.name} ✓ ran` : phase.name);

/** Why Start is off, in the order the user can do something about it; empty: it is on. */
export function startBlockedReason(blockers: StartBlockers & { readonly phase: string | undefined; readonly pickPending: boolean }): string {
  if (blockers.problem) return 'Fix the experiment file to start.';
  if (blockers.phase === undefined) return 'The experiment has no phases.';
  if (blockers.training) return 'A run is going.';
  if (blockers.pickPending) return 'Switching phase…';
  if (blockers.invalidInput) return 'Fix the invalid rates to start.';
  return '';
}

export function createPhaseControls(): PhaseControls {
  const picker = element('vscode-dropdown', { id: 'phase-picker', className: 'phase-picker', attributes: { 'aria-label': 'Phase' } });
  const start = element('vscode-button', { id: 'start-phase', text: startLabel(undefined), attributes: { appearance: 'primary' } });
  const blockedReason = element('span', { id: 'start-blocked-reason', className: 'blocked-reason' });
  let shownPhase: string | undefined;
  /** A phase the user picked that the host has not shown yet. */
  let picked: string | undefined;
  let optionsKey = '';
  let blockers: StartBlockers = { training: false, invalidInput: false, problem: false };

  const refreshStart = () => {
    const reason = startBlockedReason({ ...blockers, phase: shownPhase, pickPending: picked !== undefined });
    start.disabled = reason !== '';
    setText(blockedReason, reason);
  };

  // The dropdown emits `change` only for the user's picks (not for a value set here).
  picker.addEventListener('change', () => {
    const phase = picker.value;
    if (phase === '' || phase === (picked ?? shownPhase)) return;
    picked = phase === shownPhase ? undefined : phase;
    refreshStart();
    postToHost({ type: 'selectPhase', phase });
  });
  start.addEventListener('click', () => {
    if (shownPhase !== undefined && !start.disabled) postToHost({ type: 'start', phase: shownPhase });
  });

  return {
    element: element(
      'div',
      { className: 'phase-controls' },
      element('label', { className: 'phase-label', text: 'Phase', attributes: { for: 'phase-picker' } }),
      picker,
      start,
      blockedReason,
    ),
    update: (phases, selected) => {
      shownPhase = selected ?? phases[0]?.name;
      // The host showed a phase: the pick is answered (or overridden by an edit elsewhere).
      picked = undefined;
      const key = JSON.stringify([phases, shownPhase]);
      if (key !== optionsKey) {
        optionsKey = key;
        picker.replaceChildren(
          ...phases.map((phase) => {
            const option = element('vscode-option', { text: phaseOptionText(phase), attributes: { value: phase.name } });
            if (phase.name === shownPhase) option.setAttribute('selected', '');
            return option;
          }),
        );
      }
      if (shownPhase !== undefined && picker.value !== shownPhase) picker.value = shownPhase;
      picker.disabled = phases.length === 0;
      setText(start, startLabel(shownPhase));
      refreshStart();
    },
    blockStart: (next) => {
      blockers = next;
      refreshStart();
    },
  };
}
