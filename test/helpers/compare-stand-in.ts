// A stand-in for the run summarizer and comparer (the real ones live in src/core/runs/, written
// against the same contract): just enough of a RunSummary from a run folder for the comparison
// panel's tests. Not a reference: it reads only what the tests write.

import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { RunComparison, RunSummary } from '../../src/protocol/run-summary';

type Json = Record<string, unknown>;

function flatten(value: unknown, prefix: string, into: Json): Json {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    for (const [key, entry] of Object.entries(value)) flatten(entry, prefix === '' ? key : `${prefix}.${key}`, into);
  } else into[prefix] = value;
  return into;
}

export async function standInSummarize(folders: readonly string[]): Promise<RunSummary[]> {
  return Promise.all(
    folders.map(async (folder, index): Promise<RunSummary> => {
      const experiment = JSON.parse(await fs.readFile(path.join(folder, 'experiment.json'), 'utf8')) as Json;
      const events = (await fs.readFile(path.join(folder, 'events.jsonl'), 'utf8')).split('\n').flatMap((line) => {
        try {
          return [JSON.parse(line) as Json];
        } catch {
          return [];
        }
      });
      const end = events.filter((event) => event.type === 'run-end').at(-1);
      const validations = events.filter((event) => event.type === 'validation') as { globalStep: number; tasks: Record<string, { accuracy: number; macroF1: number; loss: number }> }[];
      const last = validations.at(-1);
      const tasks: RunSummary['tasks'] = {};
      for (const task of ['a', 'b'] as const) {
        if (last?.tasks[task] === undefined) continue;
        const best = validations.reduce((top, row) => ((row.tasks[task]?.accuracy ?? -1) > (top.tasks[task]?.accuracy ?? -1) ? row : top));
        tasks[task] = {
          name: task,
          final: { accuracy: last.tasks[task].accuracy, macroF1: last.tasks[task].macroF1, loss: last.tasks[task].loss, step: last.globalStep },
          best: { accuracy: best.tasks[task].accuracy, macroF1: best.tasks[task].macroF1, step: best.globalStep },
        };
      }
      const steps = new Set(events.filter((event) => event.type === 'step').map((event) => event.globalStep)).size;
      return {
        id: path.basename(folder),
        folder,
        name: typeof experiment.name === 'string' ? experiment.name : path.basename(folder),
        status: end === undefined ? 'interrupted' : (end.status as RunSummary['status']),
        steps,
        phases: [...new Set(events.filter((event) => event.type === 'phase-start').map((event) => String(event.phase)))],
        resumable: false,
        tags: [],
        notes: '',
        color: index,
        config: flatten(experiment, '', {}),
        tasks,
      };
    }),
  );
}

export function standInCompare(summaries: readonly RunSummary[]): RunComparison {
  const keys = [...new Set(summaries.flatMap((run) => Object.keys(run.config)))].sort();
  const differing: Record<string, unknown[]> = {};
  const same: Record<string, unknown> = {};
  for (const key of keys) {
    const values = summaries.map((run) => run.config[key]);
    if (new Set(values.map((value) => JSON.stringify(value))).size > 1) differing[key] = values;
    else same[key] = values[0];
  }
  return { runs: summaries, differing, same };
}
