// `thaw sweep ARGS` as a child process: with --json each stdout line is checked to be a trainer
// event or a sweep event.

import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as readline from 'node:readline';
import { parseSweepEvent, type SweepEvent } from '../../src/protocol/sweep-events';
import { parseTrainerEvent, type TrainerEvent } from '../../src/protocol/trainer-events';
import { CLI } from './thaw-child';

export interface SweepChild {
  readonly child: ChildProcess;
  readonly trainerEvents: TrainerEvent[];
  readonly sweepEvents: SweepEvent[];
  readonly exited: Promise<number | null>;
  stdout(): string;
  stderr(): string;
  /** Calls `onEvent` with each trainer event as it arrives. */
  onTrainerEvent(onEvent: (event: TrainerEvent) => void): void;
}

export function runSweepCli(args: readonly string[], env: NodeJS.ProcessEnv): SweepChild {
  const child = spawn(process.execPath, [CLI, 'sweep', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const json = args.includes('--json') && args[0] !== 'report'; // report --json prints one JSON document
  const trainerEvents: TrainerEvent[] = [];
  const sweepEvents: SweepEvent[] = [];
  const watchers: ((event: TrainerEvent) => void)[] = [];
  let stdout = '';
  readline.createInterface({ input: child.stdout }).on('line', (line) => {
    stdout += `${line}\n`;
    if (!json) return;
    const value = JSON.parse(line) as unknown;
    const trainer = parseTrainerEvent(value);
    if (trainer.ok) {
      trainerEvents.push(trainer.value);
      for (const watcher of watchers) watcher(trainer.value);
      return;
    }
    const sweep = parseSweepEvent(value);
    assert.ok(sweep.ok, `stdout line is neither a trainer nor a sweep event: ${line}`);
    sweepEvents.push(sweep.value);
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, trainerEvents, sweepEvents, exited, stdout: () => stdout, stderr: () => stderr, onTrainerEvent: (onEvent) => watchers.push(onEvent) };
}
