import type { Spread } from './statistics';
import type { SweepGroups } from './sweep-groups';

const show = (value: Spread) => `${value.mean.toFixed(3)} ± ${value.std === null ? 'n/a' : value.std.toFixed(3)} [${value.min.toFixed(3)}, ${value.max.toFixed(3)}]`;

/** The groups as text: one block per group, a line per task with final and best accuracy and macro-F1. */
export function formatGroups(groups: SweepGroups): string {
  const lines = [`groups by ${groups.groupBy.join(', ') || '(nothing)'}: mean ± std [min, max]${groups.baseline === undefined ? '' : `; Welch p against ${groups.baseline}`}`];
  for (const group of groups.groups) {
    lines.push(`${group.label} (n=${group.n})`);
    for (const [task, metrics] of Object.entries(group.tasks)) {
      const p = group.pValues?.[task as 'a' | 'b'];
      lines.push(
        `  task ${task}: final accuracy ${show(metrics.final.accuracy)}, macro-F1 ${show(metrics.final.macroF1)}; best accuracy ${show(metrics.best.accuracy)}` +
          (p === undefined ? '' : `; p ${p.accuracy === null ? 'n/a' : p.accuracy.toPrecision(3)}`),
      );
    }
  }
  return lines.join('\n');
}
