// One phase of an experiment file as the Model view and the panel show it: for each group of
// the model, whether the phase freezes it and the rate the phase gives it (its own key, else
// its alias's), kept for frozen groups too so that freezing and thawing loses nothing.

import type { Phase } from './experiment-schema';
import { aliasOf, expandGroupTargets, type GroupName } from '../vocabulary/groups';

export interface GroupSetting {
  readonly group: GroupName;
  readonly frozen: boolean;
  /** The rate the phase gives the group, or undefined when it gives none. */
  readonly learningRate?: number;
  /** Whether the rate is the group's own key or its alias's (`encoder`, `heads`). */
  readonly learningRateFrom?: 'group' | 'alias';
}

/** A group's rate in a phase: its own key wins over its alias (as the trainer reads it). */
export function phaseRate(lr: Readonly<Record<string, number>>, group: GroupName): Pick<GroupSetting, 'learningRate' | 'learningRateFrom'> {
  if (lr[group] !== undefined) return { learningRate: lr[group], learningRateFrom: 'group' };
  const alias = lr[aliasOf(group)];
  return alias === undefined ? {} : { learningRate: alias, learningRateFrom: 'alias' };
}

/** What `phase` does to each of `groups`. Names the model lacks are left to the trainer's checks. */
export function phaseGroupSettings(phase: Pick<Phase, 'frozen' | 'lr'>, groups: readonly GroupName[]): GroupSetting[] {
  const frozen = new Set(expandGroupTargets(phase.frozen, groups).groups);
  return groups.map((group) => ({ group, frozen: frozen.has(group), ...phaseRate(phase.lr, group) }));
}

/** The phase shown when none is chosen: the first that has not run yet, else the last. */
export function defaultPhase(phaseNames: readonly string[], hasRun: (name: string) => boolean): string | undefined {
  return phaseNames.find((name) => !hasRun(name)) ?? phaseNames.at(-1);
}
