// Benchmark of listing runs: 500 synthetic run folders of 2,000 steps each (realistic
// events.jsonl files: run-start, phase-start, steps with per-group learning rates,
// validations, checkpoints, phase-end, run-end). Times listRuns cold (no summary.json: every
// events.jsonl is read, colors assigned, summaries written), rebuilt (summaries deleted,
// colors kept), warm (cached summaries; the goal is under 1 s), and `thaw runs list --json` as
// a whole process, warm. The files were just written, so the OS has them in its page cache:
// "cold" means no summary.json, not a cold disk. Prints one JSON object.
//
//   npm run bench:runs            (-- --runs N --steps N)

import { execFileSync } from 'node:child_process';
import { rmSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { RUN_SUMMARY_FILE } from '../../src/core/runs/run-files';
import { listRuns } from '../../src/core/runs/list-runs';
import { writeSyntheticRun } from '../helpers/synthetic-run';
import { temporaryFolder } from '../helpers/tiny-model';
import { printReport } from './print-report';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '500' }, steps: { type: 'string', default: '2000' }, keep: { type: 'boolean' } } });
const runCount = Number(values.runs);
const steps = Number(values.steps);
const CLI = path.resolve(__dirname, '../../src/trainer/cli/main.js');

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const start = performance.now();
  const result = await work();
  return { ms: Math.round(performance.now() - start), result };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main(): Promise<void> {
  const workspace = temporaryFolder('thaw-runs-bench-');
  const runs = path.join(workspace.folder, 'runs');
  try {
    const warmUp = Math.round(steps / 10);
    const phases = [
      { name: 'warm-up', steps: warmUp, frozen: ['embeddings', 'layer.0', 'layer.1', 'layer.2', 'layer.3', 'layer.4', 'layer.5'] },
      { name: 'fine-tune', steps: steps - warmUp, frozen: [] },
    ];
    const written = performance.now();
    let bytes = 0;
    for (let index = 0; index < runCount; index++) {
      const start = new Date(Date.UTC(2026, 10, 1) + index * 3_600_000);
      const id = `${start.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15)}-sweep-${index}`;
      const status = index % 10 === 0 ? 'stopped' : 'completed';
      const folder = writeSyntheticRun(runs, id, { start, seed: index, phases, validateEvery: 100, checkpointEvery: 500, end: status });
      bytes += statSync(path.join(folder, 'events.jsonl')).size;
    }
    const writeMs = Math.round(performance.now() - written);

    const cold = await timed(() => listRuns(runs));
    if (cold.result.length !== runCount || cold.result.some((run) => run.steps !== steps)) throw new Error('the listing is wrong');
    for (const run of cold.result) rmSync(path.join(run.folder, RUN_SUMMARY_FILE));
    const rebuilt = await timed(() => listRuns(runs));
    const warm: number[] = [];
    for (let round = 0; round < 5; round++) warm.push((await timed(() => listRuns(runs))).ms);
    const cli: number[] = [];
    for (let round = 0; round < 3; round++) {
      const start = performance.now();
      execFileSync(process.execPath, [CLI, 'runs', 'list', runs, '--json'], { maxBuffer: 256 << 20 });
      cli.push(Math.round(performance.now() - start));
    }
    printReport({
      runs: runCount,
      stepsPerRun: steps,
      eventsMiB: Math.round(bytes / 2 ** 20),
      writeFoldersMs: writeMs,
      listColdMs: cold.ms,
      listRebuiltMs: rebuilt.ms,
      listWarmMs: median(warm),
      listWarmRoundsMs: warm,
      cliListJsonWarmMs: median(cli),
      warmGoalMs: 1000,
      warmUnderGoal: median(warm) < 1000,
    });
  } finally {
    if (values.keep) process.stderr.write(`kept ${runs}\n`);
    else workspace.cleanup();
  }
}

void main();
