// A sweep's runs in groups: runs whose variants differ only by the group-by keys (seed, by
// default) form one group, with n and, per task, the spread of the final and best accuracy
// and macro-F1; with two or more groups of at least 3 runs, Welch's p-value of each group's
// final metrics against a baseline group.

import type { TaskKey } from '../../protocol/trainer-events';
import { spread, welchTTest, type Spread } from './statistics';
import type { TaskOutcome } from './run-history';
import { variantLabel, type VariantKeys } from './sweep-variants';

export interface GroupedRun {
  readonly id: string;
  readonly keys: VariantKeys;
  readonly tasks: Partial<Record<TaskKey, TaskOutcome>>;
}

type MetricSpreads = { readonly accuracy: Spread; readonly macroF1: Spread };

export interface RunGroup {
  /** The keys the group's runs share (the variant without the group-by keys). */
  readonly variant: VariantKeys;
  readonly label: string;
  readonly runs: readonly string[];
  readonly n: number;
  readonly tasks: Partial<Record<TaskKey, { readonly final: MetricSpreads; readonly best: MetricSpreads }>>;
  /** Welch's two-sided p-value of the final metrics against the baseline group (absent for the baseline itself). */
  readonly pValues?: Partial<Record<TaskKey, { readonly accuracy: number | null; readonly macroF1: number | null }>>;
}

export interface SweepGroups {
  readonly groupBy: readonly string[];
  /** The label of the group the p-values are against, when there are any. */
  readonly baseline?: string;
  readonly groups: readonly RunGroup[];
}

/** The smallest group size for which p-values are given. */
export const MIN_RUNS_FOR_P = 3;

/**
 * Groups `runs` by their keys without `groupBy`. `baseline` picks the baseline group by its
 * label (default: the first group).
 *
 * @example groupRuns(runs, ['seed']).groups[0].tasks.a?.final.accuracy.mean
 */
export function groupRuns(runs: readonly GroupedRun[], groupBy: readonly string[] = ['seed'], baseline?: string): SweepGroups {
  const byKey = new Map<string, { variant: VariantKeys; runs: GroupedRun[] }>();
  for (const run of runs) {
    const variant = Object.fromEntries(Object.entries(run.keys).filter(([key]) => !groupBy.includes(key)));
    const key = JSON.stringify(variant);
    if (!byKey.has(key)) byKey.set(key, { variant, runs: [] });
    byKey.get(key)!.runs.push(run);
  }
  const groups: RunGroup[] = [...byKey.values()].map(({ variant, runs: members }) => ({
    variant,
    label: variantLabel(variant),
    runs: members.map((run) => run.id),
    n: members.length,
    tasks: Object.fromEntries(
      (['a', 'b'] as const).flatMap((task) => {
        const outcomes = members.flatMap((run) => (run.tasks[task] === undefined ? [] : [run.tasks[task]]));
        if (outcomes.length === 0) return [];
        const metrics = (which: 'final' | 'best'): MetricSpreads => ({ accuracy: spread(outcomes.map((o) => o[which].accuracy)), macroF1: spread(outcomes.map((o) => o[which].macroF1)) });
        return [[task, { final: metrics('final'), best: metrics('best') }]];
      }),
    ),
  }));
  const eligible = groups.filter((group) => group.n >= MIN_RUNS_FOR_P);
  if (eligible.length < 2) return { groupBy, groups };
  const base = (baseline === undefined ? undefined : eligible.find((group) => group.label === baseline)) ?? eligible[0];
  const finals = (group: RunGroup, task: TaskKey, metric: 'accuracy' | 'macroF1') =>
    runs.filter((run) => group.runs.includes(run.id)).flatMap((run) => (run.tasks[task] === undefined ? [] : [run.tasks[task].final[metric]]));
  const withP = groups.map((group) => {
    if (group === base || group.n < MIN_RUNS_FOR_P) return group;
    const pValues = Object.fromEntries(
      (Object.keys(group.tasks) as TaskKey[]).map((task) => [task, { accuracy: welchTTest(finals(group, task, 'accuracy'), finals(base, task, 'accuracy'))?.p ?? null, macroF1: welchTTest(finals(group, task, 'macroF1'), finals(base, task, 'macroF1'))?.p ?? null }]),
    );
    return { ...group, pValues };
  });
  return { groupBy, baseline: base.label, groups: withP };
}
