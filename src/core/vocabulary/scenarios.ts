// The freezing scenarios people pick from (the Model view's quick pick, the panel's buttons),
// as the sets of groups they freeze. Browser-safe.

import { isHead, type GroupName } from './groups';

export const SCENARIOS = {
  'freeze-all': { label: 'Freeze all', detail: 'Sanity check / static embeddings: nothing trains.' },
  'freeze-encoder': { label: 'Freeze encoder', detail: 'Only the heads train (the warm-up setting).' },
  'freeze-head-a': { label: 'Freeze head A', detail: "Continual learning: task A's head stays; the encoder and head B train." },
  'freeze-head-b': { label: 'Freeze head B', detail: "Continual learning: task B's head stays; the encoder and head A train." },
  'thaw-all': { label: 'Thaw everything', detail: 'Every group trains.' },
} as const;
export type ScenarioName = keyof typeof SCENARIOS;
export const SCENARIO_NAMES = Object.keys(SCENARIOS) as [ScenarioName, ...ScenarioName[]];

/** The groups of `groups` that a scenario freezes (all others thaw). */
export function scenarioFrozenGroups(groups: readonly GroupName[], scenario: ScenarioName): GroupName[] {
  switch (scenario) {
    case 'freeze-all':
      return [...groups];
    case 'freeze-encoder':
      return groups.filter((group) => !isHead(group));
    case 'freeze-head-a':
      return groups.filter((group) => group === 'task_a_head');
    case 'freeze-head-b':
      return groups.filter((group) => group === 'task_b_head');
    case 'thaw-all':
      return [];
  }
}
