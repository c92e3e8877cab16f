// A learning rate that reaches no group that trains is a warning, never an error: freezing a
// group keeps its rate in the file, so thawing it again loses nothing (DECISIONS.md). The two
// cases are a key naming a frozen group and an alias all of whose groups are frozen. Pure and
// free of the ML stack, so the editor's diagnostics use it too.

import { expandGroupTargets, type GroupName } from '../vocabulary/groups';

export interface PhaseRates {
  readonly name: string;
  readonly frozen: readonly string[];
  readonly lr: Readonly<Record<string, number>>;
}

export interface IgnoredRate {
  /** The `lr` key whose rate is ignored. */
  readonly key: string;
  /** One line for people, e.g. "task_a_head is frozen in phase fine-tune; its rate 0.5 is ignored". */
  readonly message: string;
}

/**
 * The `lr` keys of `phase` that no training group of `groups` gets its rate from because
 * they are frozen. Unknown names are not this check's business (they are errors elsewhere).
 *
 * @example ignoredLearningRates({ name: 'warm-up', frozen: ['encoder'], lr: { encoder: 2e-5, heads: 1e-2 } }, allGroupNames(6))
 * // [{ key: 'encoder', message: 'encoder is frozen in phase warm-up; its rate 0.00002 is ignored' }]
 */
export function ignoredLearningRates(phase: PhaseRates, groups: readonly GroupName[]): IgnoredRate[] {
  const frozen = new Set<string>(expandGroupTargets(phase.frozen, groups).groups);
  return Object.entries(phase.lr).flatMap(([key, rate]) => {
    const reached = expandGroupTargets([key], groups).groups;
    if (reached.length === 0 || !reached.every((group) => frozen.has(group))) return [];
    return [{ key, message: `${key} is frozen in phase ${phase.name}; its rate ${rate} is ignored` }];
  });
}
