// How long a checkpoint of the paraphrase-MiniLM-L6-v2 shape (random weights, full AdamW
// state, the real tokenizer when ../shared/ has it) takes to write, and what a SIGKILL during
// the write leaves: the previous checkpoint must stay whole and named by latest.json. The
// write time bounds how long the host must wait between SIGTERM and SIGKILL.
//
//   npm run build && node out/test/bench/checkpoint.bench.js [--writes N] [--kills N]

import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { parseArgs } from 'node:util';
import seedrandom from 'seedrandom';
import { initBackend } from '../../src/trainer/backend/tensorflow';
import { MINILM_SHAPE, generateModelFolder } from '../../src/trainer/init/generate-model-folder';
import { removeLeftovers } from '../../src/trainer/train/checkpoint-cleanup';
import { resumeCheckpoint } from '../../src/trainer/train/find-checkpoint';
import { auditCheckpoints } from '../helpers/checkpoint-audit';
import { sharedFolder } from '../helpers/shared-data';
import { demoCorpus } from '../helpers/tiny-experiment';
import { temporaryFolder } from '../helpers/tiny-model';
import { printReport } from './print-report';

const { values } = parseArgs({ options: { writes: { type: 'string', default: '3' }, kills: { type: 'string', default: '5' } } });
const WRITER = path.join(__dirname, 'checkpoint-writer.js');
const random = seedrandom('checkpoint-kills');

interface Written {
  readonly written: string;
  readonly ms: number;
}

/** Runs the writer; `onWritten` sees each checkpoint as it is written. Resolves with the exit signal or code. */
function writer(model: string, run: string, count: number, onWritten: (written: Written, kill: () => void) => void): Promise<string> {
  const child = spawn(process.execPath, [WRITER, model, run, String(count)], { stdio: ['ignore', 'pipe', 'inherit'] });
  readline.createInterface({ input: child.stdout }).on('line', (line) => onWritten(JSON.parse(line) as Written, () => child.kill('SIGKILL')));
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve(signal ?? String(code))));
}

function folderBytes(folder: string): number {
  return readdirSync(folder, { recursive: true, encoding: 'utf8' }).reduce((sum, entry) => sum + (statSync(path.join(folder, entry)).isFile() ? statSync(path.join(folder, entry)).size : 0), 0);
}

async function main(): Promise<void> {
  await initBackend();
  const workspace = temporaryFolder('thaw-checkpoint-bench-');
  try {
    const shared = sharedFolder();
    const model = path.join(workspace.folder, 'minilm');
    await generateModelFolder({
      out: model,
      shape: MINILM_SHAPE,
      seed: 1,
      tokenizer: shared !== undefined ? { kind: 'folder', folder: path.join(shared, 'models', 'minilm-tokenizer') } : { kind: 'corpus', lines: demoCorpus(), vocabularySize: 30522 },
    });
    const times: number[] = [];
    const timed = path.join(workspace.folder, 'timed-run');
    await writer(model, timed, Number(values.writes), ({ ms }) => times.push(ms));
    const latest = readdirSync(path.join(timed, 'checkpoints')).find((name) => name.startsWith('step-'))!;
    const checkpointBytes = folderBytes(path.join(timed, 'checkpoints', latest));

    // Kill at a random moment of a write (after the first one is whole), then check and resume-scan.
    const kills: { killedAfterMs: number; latestLoads: boolean; unloadable: string[]; leftoversRemoved: number; resumesFromStep?: number }[] = [];
    const slowest = Math.max(...times);
    for (let index = 0; index < Number(values.kills); index++) {
      const run = path.join(workspace.folder, `killed-${index}`);
      const delay = Math.round(random() * slowest);
      let armed = false;
      await writer(model, run, 100, (_, kill) => {
        if (!armed) setTimeout(kill, delay);
        armed = true;
      });
      const audit = await auditCheckpoints(run);
      const removed = await removeLeftovers(run);
      const found = await resumeCheckpoint(run);
      kills.push({ killedAfterMs: delay, latestLoads: audit.unloadable.length === 0, unloadable: audit.unloadable, leftoversRemoved: removed.length, resumesFromStep: found?.checkpoint.position.globalStep });
    }
    printReport({
      shape: MINILM_SHAPE,
      tokenizer: shared !== undefined ? 'minilm-tokenizer (../shared)' : 'demo corpus (30522)',
      checkpointMiB: +(checkpointBytes / 2 ** 20).toFixed(1),
      writeMs: times,
      kills,
    });
  } finally {
    workspace.cleanup();
  }
}

void main();
