// `thaw train --json` as a child process, its events validated as they arrive, for tests that
// kill, stop and resume it.

import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { parseTrainerEvent, type TrainerEvent } from '../../src/protocol/trainer-events';

export const CLI = path.resolve(__dirname, '../../src/trainer/cli/main.js');

export interface ThawChild {
  readonly child: ChildProcess;
  readonly events: TrainerEvent[];
  /** Exit code, or null when a signal ended it. */
  readonly exited: Promise<number | null>;
  stderr(): string;
  /** Resolves with the first event that satisfies `predicate` (never, if none comes). */
  waitFor(predicate: (event: TrainerEvent) => boolean): Promise<TrainerEvent>;
  /** Calls `onEvent` with each event as it arrives, including those already seen. */
  watch(onEvent: (event: TrainerEvent) => void): void;
}

/** Runs `thaw train ARGS --json`. */
export function runThaw(args: readonly string[], env: NodeJS.ProcessEnv): ThawChild {
  const child = spawn(process.execPath, [CLI, 'train', ...args, '--json'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const events: TrainerEvent[] = [];
  const watchers: ((event: TrainerEvent) => void)[] = [];
  readline.createInterface({ input: child.stdout }).on('line', (line) => {
    const parsed = parseTrainerEvent(JSON.parse(line));
    assert.ok(parsed.ok, `stdout line is not a trainer event: ${line}`);
    events.push(parsed.value);
    for (const watcher of [...watchers]) watcher(parsed.value);
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const watch = (onEvent: (event: TrainerEvent) => void) => {
    events.forEach(onEvent);
    watchers.push(onEvent);
  };
  return {
    child,
    events,
    exited,
    stderr: () => stderr,
    watch,
    waitFor: (predicate) =>
      new Promise((resolve) => {
        let done = false;
        watch((event) => {
          if (!done && predicate(event)) {
            done = true;
            resolve(event);
          }
        });
      }),
  };
}

/** Every line of a run's events.jsonl, each checked to be a whole, valid event. */
export function recordedEvents(runFolder: string): TrainerEvent[] {
  const file = path.join(runFolder, 'events.jsonl');
  if (!existsSync(file)) return [];
  const text = readFileSync(file, 'utf8');
  assert.ok(text === '' || text.endsWith('\n'), `${file} ends with a whole line`);
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const parsed = parseTrainerEvent(JSON.parse(line));
      assert.ok(parsed.ok, `${file}: not a trainer event: ${line}`);
      return parsed.value;
    });
}

/** Each step's losses by global step. */
export function stepLosses(events: readonly TrainerEvent[]): Map<number, TrainerEvent & { type: 'step' }> {
  return new Map(events.flatMap((event) => (event.type === 'step' ? [[event.globalStep, event] as const] : [])));
}

/** What a finished `thaw ...` command printed, and its exit code. */
export interface CommandResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `thaw ARGS` to the end (any command); `env` defaults to this process's. */
export function runThawCommand(args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<CommandResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env, maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : (error.code as number), stdout, stderr });
    });
  });
}
