// What a run's events.jsonl says about its results: each validation, the phases it ran, how
// long it took and how it ended, with the history of the run it was forked from in front (a
// sweep's branch starts at its shared prefix's checkpoint). A small reader of its own until
// the run summaries (src/core/runs, branch runs-core) replace it.

import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseTrainerEvent, type TaskKey, type TaskMetrics, type TrainerEvent } from '../../protocol/trainer-events';

type EventOf<T extends TrainerEvent['type']> = Extract<TrainerEvent, { type: T }>;

export interface RunHistory {
  readonly folder: string;
  readonly start?: EventOf<'run-start'>;
  readonly end?: EventOf<'run-end'>;
  /** Validations, the forked-from runs' first (up to the fork). */
  readonly validations: readonly EventOf<'validation'>[];
  readonly phaseStarts: readonly EventOf<'phase-start'>[];
  /** Wall time of this run and of the runs it continues (milliseconds). */
  readonly elapsedMs: number;
  /** The run folders this run continues, oldest first. */
  readonly ancestors: readonly string[];
}

/** Every whole, valid event of a run folder's events.jsonl (a line cut by a kill is skipped). */
export function readRunEvents(folder: string): TrainerEvent[] {
  const file = path.join(folder, 'events.jsonl');
  if (!existsSync(file)) return [];
  const events: TrainerEvent[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    try {
      const parsed = parseTrainerEvent(JSON.parse(line));
      if (parsed.ok) events.push(parsed.value);
    } catch {
      // a torn last line
    }
  }
  return events;
}

/** The global step a checkpoint folder was written at (its position.json), if readable. */
function checkpointStep(folder: string): number | undefined {
  try {
    const position = JSON.parse(readFileSync(path.join(folder, 'position.json'), 'utf8')) as { globalStep?: unknown };
    return typeof position.globalStep === 'number' ? position.globalStep : undefined;
  } catch {
    return undefined;
  }
}

export function readRunHistory(folder: string, depth = 0): RunHistory {
  const events = readRunEvents(folder);
  const start = events.find((event): event is EventOf<'run-start'> => event.type === 'run-start');
  const ends = events.filter((event): event is EventOf<'run-end'> => event.type === 'run-end');
  const own = {
    validations: events.filter((event): event is EventOf<'validation'> => event.type === 'validation'),
    phaseStarts: events.filter((event): event is EventOf<'phase-start'> => event.type === 'phase-start'),
    // A resumed run has a run-end per invocation; each counts its own time.
    elapsedMs: ends.reduce((sum, end) => sum + end.elapsedMs, 0),
  };
  const fork = start?.forkedFrom;
  if (fork === undefined || depth > 50 || !existsSync(fork.run)) return { folder, start, end: ends.at(-1), ...own, ancestors: [] };
  const parent = readRunHistory(fork.run, depth + 1);
  const until = checkpointStep(fork.checkpoint) ?? Infinity;
  return {
    folder,
    start,
    end: ends.at(-1),
    validations: [...parent.validations.filter((event) => event.globalStep <= until), ...own.validations],
    phaseStarts: [...parent.phaseStarts, ...own.phaseStarts],
    elapsedMs: parent.elapsedMs + own.elapsedMs,
    ancestors: [...parent.ancestors, parent.folder],
  };
}

export interface TaskOutcome {
  readonly first: TaskMetrics;
  readonly final: TaskMetrics;
  /** The validation with the highest accuracy (the first of equals). */
  readonly best: TaskMetrics;
}

/** Each task's first, final and best validation. */
export function taskOutcomes(history: RunHistory): Partial<Record<TaskKey, TaskOutcome>> {
  const outcomes: Partial<Record<TaskKey, TaskOutcome>> = {};
  for (const key of ['a', 'b'] as const) {
    const metrics = history.validations.flatMap((event) => (event.tasks[key] === undefined ? [] : [event.tasks[key]]));
    if (metrics.length === 0) continue;
    const best = metrics.reduce((top, m) => (m.accuracy > top.accuracy ? m : top));
    outcomes[key] = { first: metrics[0], final: metrics.at(-1)!, best };
  }
  return outcomes;
}

/** Trainable parameters of the run's last phase (from run-start's group sizes and that phase's frozen groups). */
export function trainableParameters(history: RunHistory): number | undefined {
  const groups = history.start?.model.groups;
  const last = history.phaseStarts.at(-1);
  if (groups === undefined || last === undefined) return undefined;
  return last.trainsNothing ? 0 : Object.entries(groups).filter(([group]) => !last.frozen.includes(group)).reduce((sum, [, count]) => sum + count, 0);
}
