// The phase a command is about to run, written from the freeze state, and the reasons to
// refuse one that makes no sense. Pure TypeScript: unit-tested without VS Code.

import type { PhaseInput } from '../trainer/experiment/experiment-schema';
import type { FreezeState } from './freeze-state';

export type PhaseKind = 'warm-up' | 'fine-tune' | 'current';

export interface PhasePlan {
  readonly phase: PhaseInput;
  /** One sentence for the notification: what is about to happen. */
  readonly summary: string;
}

/**
 * Prepares the state for a phase kind and writes the phase. Warm-up freezes the whole encoder;
 * fine-tune thaws it when it is wholly frozen (parts frozen by hand stay frozen); 'current'
 * runs the state as it is. Returns a reason instead when nothing would train.
 */
export function planPhase(kind: PhaseKind, state: FreezeState, epochs: number): PhasePlan | { readonly refused: string } {
  if (kind === 'warm-up') state.setFrozen('encoder', true);
  if (kind === 'fine-tune' && state.encoderFreeze() === 'frozen') state.setFrozen('encoder', false);
  if (kind === 'warm-up' && state.headGroups.every((group) => state.isFrozen(group))) return { refused: 'Warm-up trains the heads, but both are frozen. Unfreeze a head first.' };
  const trainable = state.trainableGroups();
  if (trainable.length === 0) return { refused: 'Everything is frozen, so nothing would train. Unfreeze a group in the Model view (or use the freeze-all scenario from the command line to only evaluate).' };
  const lr = Object.fromEntries(trainable.map((group) => [group, state.learningRate(group)]));
  const name = kind === 'current' ? 'train' : kind;
  const frozen = state.frozenGroups();
  const count = (n: number) => (n >= 1e6 ? `${(n / 1e6).toFixed(1)}M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)}k` : String(n));
  return {
    phase: { name, epochs, frozen, lr },
    summary: `${name}: ${epochs} epoch${epochs === 1 ? '' : 's'}, training ${trainable.join(', ')} (${count(state.trainableParameters())} parameters), frozen: ${frozen.join(', ') || 'nothing'}.`,
  };
}
