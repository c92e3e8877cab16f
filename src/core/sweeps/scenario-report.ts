// The scenario report of `thaw sweep --scenarios`: one row per scenario (its seeds averaged)
// with each task's accuracy and macro-F1 at the first validation and the last, trainable
// parameters, wall time and the frozen task's drift; then per task the best scenario, with
// mean ± std and Welch's p-value against the runner-up when there are several seeds.

import type { TaskKey } from '../../protocol/trainer-events';
import { mean, spread, welchTTest, type Spread } from './statistics';
import { taskOutcomes, trainableParameters, type RunHistory } from './run-history';
import { variantLabel, type VariantKeys } from './sweep-variants';

export interface ReportInput {
  readonly keys: VariantKeys;
  readonly history: RunHistory;
}

export interface ScenarioRow {
  readonly label: string;
  readonly variant: VariantKeys;
  readonly n: number;
  readonly runs: readonly string[];
  /** Means over the row's runs. */
  readonly tasks: Partial<Record<TaskKey, { readonly before: { accuracy: number; macroF1: number }; readonly after: { accuracy: number; macroF1: number }; readonly finalAccuracy: Spread }>>;
  readonly trainableParameters?: number;
  /** Of the run and the runs it continues (a shared warm-up counts in full for each branch). */
  readonly wallTimeMs: number;
  /** The frozen task's accuracy at the start of its frozen phase against the end; a string when there is none to measure. */
  readonly drift?: { readonly task: TaskKey; readonly before: number; readonly after: number } | { readonly task: TaskKey; readonly note: string };
}

export interface BestScenario {
  readonly task: TaskKey;
  readonly label: string;
  readonly finalAccuracy: Spread;
  readonly n: number;
  /** Welch's p-value of the best against each other row (with several seeds). */
  readonly pValues: Readonly<Record<string, number | null>>;
}

export interface ScenarioReport {
  readonly rows: readonly ScenarioRow[];
  readonly best: readonly BestScenario[];
}

function driftOf(input: ReportInput): ScenarioRow['drift'] {
  const scenario = typeof input.keys.scenario === 'string' ? input.keys.scenario : '';
  const standalone = /^freeze-head-([ab])$/.exec(scenario);
  if (standalone !== null) return { task: standalone[1] as TaskKey, note: 'n/a (head never trained)' };
  const last = input.history.phaseStarts.at(-1);
  const head = last?.frozen.find((group) => group === 'task_a_head' || group === 'task_b_head');
  const encoderTrains = last !== undefined && !last.trainsNothing && !last.frozen.includes('embeddings');
  if (last === undefined || head === undefined || !encoderTrains) return undefined;
  const task: TaskKey = head === 'task_a_head' ? 'a' : 'b';
  const validations = input.history.validations.filter((event) => event.tasks[task] !== undefined);
  const firstInPhase = validations.findIndex((event) => event.phase === last.phase);
  if (firstInPhase <= 0) return { task, note: 'n/a (no validation before the frozen phase)' };
  return { task, before: validations[firstInPhase - 1].tasks[task]!.accuracy, after: validations.at(-1)!.tasks[task]!.accuracy };
}

/** Rows by variant without its seed; `inputs` are a sweep's variant runs. */
export function scenarioReport(inputs: readonly ReportInput[]): ScenarioReport {
  const groups = new Map<string, { variant: VariantKeys; members: ReportInput[] }>();
  for (const input of inputs) {
    const variant = Object.fromEntries(Object.entries(input.keys).filter(([key]) => key !== 'seed'));
    const key = JSON.stringify(variant);
    if (!groups.has(key)) groups.set(key, { variant, members: [] });
    groups.get(key)!.members.push(input);
  }
  const finals = new Map<string, Partial<Record<TaskKey, number[]>>>();
  const rows: ScenarioRow[] = [...groups.values()].map(({ variant, members }) => {
    const outcomes = members.map((member) => taskOutcomes(member.history));
    const label = variantLabel(variant).replace(/^scenario=/, '');
    const perTask: Partial<Record<TaskKey, number[]>> = {};
    const tasks: ScenarioRow['tasks'] = Object.fromEntries(
      (['a', 'b'] as const).flatMap((task) => {
        const list = outcomes.flatMap((o) => (o[task] === undefined ? [] : [o[task]]));
        if (list.length === 0) return [];
        perTask[task] = list.map((o) => o.final.accuracy);
        return [[task, {
          before: { accuracy: mean(list.map((o) => o.first.accuracy)), macroF1: mean(list.map((o) => o.first.macroF1)) },
          after: { accuracy: mean(list.map((o) => o.final.accuracy)), macroF1: mean(list.map((o) => o.final.macroF1)) },
          finalAccuracy: spread(perTask[task]),
        }]];
      }),
    );
    finals.set(label, perTask);
    const drifts = members.map(driftOf);
    const measured = drifts.filter((drift) => drift !== undefined && 'before' in drift);
    const drift = measured.length > 0 && measured.length === drifts.length
      ? { task: measured[0].task, before: mean(measured.map((d) => d.before)), after: mean(measured.map((d) => d.after)) }
      : drifts[0];
    const trainable = trainableParameters(members[0].history);
    return {
      label,
      variant,
      n: members.length,
      runs: members.map((member) => member.history.folder),
      tasks,
      ...(trainable === undefined ? {} : { trainableParameters: trainable }),
      wallTimeMs: Math.round(mean(members.map((member) => member.history.elapsedMs))),
      ...(drift === undefined ? {} : { drift }),
    };
  });
  const best: BestScenario[] = (['a', 'b'] as const).flatMap((task) => {
    const ranked = rows.filter((row) => row.tasks[task] !== undefined).sort((x, y) => y.tasks[task]!.finalAccuracy.mean - x.tasks[task]!.finalAccuracy.mean);
    if (ranked.length === 0) return [];
    const top = ranked[0];
    const pValues = Object.fromEntries(ranked.slice(1).map((row) => [row.label, welchTTest(finals.get(top.label)![task]!, finals.get(row.label)![task]!)?.p ?? null]));
    return [{ task, label: top.label, finalAccuracy: top.tasks[task]!.finalAccuracy, n: top.n, pValues }];
  });
  return { rows, best };
}

const fixed = (value: number) => value.toFixed(3);

function seconds(ms: number): string {
  return ms < 60_000 ? `${(ms / 1000).toFixed(1)}s` : `${Math.floor(ms / 60_000)}m${String(Math.round((ms % 60_000) / 1000)).padStart(2, '0')}s`;
}

/** The report as a text table and the best-scenario lines. `taskNames` name the tasks. */
export function formatScenarioReport(report: ScenarioReport, taskNames: Partial<Record<TaskKey, string>> = {}): string {
  const tasks = (['a', 'b'] as const).filter((task) => report.rows.some((row) => row.tasks[task] !== undefined));
  const header = ['scenario', 'n', ...tasks.flatMap((task) => [`${task} acc before→after`, `${task} F1 before→after`]), 'trainable', 'wall', 'frozen-task drift'];
  const lines = report.rows.map((row) => [
    row.label,
    String(row.n),
    ...tasks.flatMap((task) => {
      const t = row.tasks[task];
      return t === undefined ? ['-', '-'] : [`${fixed(t.before.accuracy)}→${fixed(t.after.accuracy)}`, `${fixed(t.before.macroF1)}→${fixed(t.after.macroF1)}`];
    }),
    row.trainableParameters === undefined ? '?' : row.trainableParameters.toLocaleString('en-US'),
    seconds(row.wallTimeMs),
    row.drift === undefined ? '-' : 'note' in row.drift ? `${row.drift.task}: ${row.drift.note}` : `${row.drift.task}: ${fixed(row.drift.before)}→${fixed(row.drift.after)} (${row.drift.after - row.drift.before >= 0 ? '+' : ''}${(row.drift.after - row.drift.before).toFixed(3)})`,
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...lines.map((line) => line[column].length)));
  const format = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column])).join('  ').trimEnd();
  const out = [format(header), widths.map((width) => '-'.repeat(width)).join('  '), ...lines.map(format)];
  for (const best of report.best) {
    const spreadText = best.n > 1 && best.finalAccuracy.std !== null ? `${fixed(best.finalAccuracy.mean)} ± ${fixed(best.finalAccuracy.std)} (n=${best.n})` : fixed(best.finalAccuracy.mean);
    const runnerUp = Object.entries(best.pValues)[0];
    const p = best.n > 1 && runnerUp !== undefined ? `; Welch p vs ${runnerUp[0]}: ${runnerUp[1] === null ? 'n/a' : runnerUp[1].toPrecision(3)}` : '';
    out.push(`best for task ${best.task}${taskNames[best.task] === undefined ? '' : ` (${taskNames[best.task]})`}: ${best.label}, final accuracy ${spreadText}${p}`);
  }
  return out.join('\n');
}
