// What a run folder's events.jsonl says about the run: how it started (its id, source file,
// engine) and how it last ended. A run with no run-end after its last run-start was killed.

import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { EVENTS_FILE } from '../../core/runs/run-listing';
import { parseTrainerEvent, type TrainerEvent } from '../../protocol/trainer-events';

type RunStart = Extract<TrainerEvent, { type: 'run-start' }>;
type RunEnd = Extract<TrainerEvent, { type: 'run-end' }>;

export interface RunRecord {
  /** The first run-start: what the run was started as. */
  readonly firstStart?: RunStart;
  /** The run-end after the last run-start, if that invocation wrote one. */
  readonly lastEnd?: RunEnd;
}

export function readRunRecord(runFolder: string): RunRecord {
  const file = path.join(runFolder, EVENTS_FILE);
  if (!existsSync(file)) return {};
  let firstStart: RunStart | undefined;
  let lastEnd: RunEnd | undefined;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      continue; // a line a kill cut short; the sink drops it on attach
    }
    const parsed = parseTrainerEvent(json);
    if (!parsed.ok) continue;
    if (parsed.value.type === 'run-start') {
      firstStart ??= parsed.value;
      lastEnd = undefined;
    } else if (parsed.value.type === 'run-end') {
      lastEnd = parsed.value;
    }
  }
  return { firstStart, lastEnd };
}
