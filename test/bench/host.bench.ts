// Benchmark of the extension host in a real VS Code (code-server, as the e2e tests run it):
// Thaw's activation time (its modules' load plus activate()), the time from the palette's
// "Start Warm-up Phase" to the first step event, and from "Stop Training" to the trainer's
// exit. These were once assertions in the e2e tests; as figures they are reported, not judged.
// Needs the e2e tools (bash test/e2e/install-vscode.sh) and a built thaw.vsix. Prints JSON.
//
//   npm run bench:host        (-- --repeats N)

import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { VSIX, newestRunEvents, waitUntil, writeE2eWorkspace } from '../e2e/e2e-workspace';
import { openVsCode, runCommand } from '../e2e/vscode-session';
import { temporaryFolder } from '../helpers/tiny-model';
import { printReport } from './print-report';

const { values } = parseArgs({ options: { repeats: { type: 'string', default: '3' } } });

const trainerRunning = () => execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).includes('cli/main.js train');
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

interface Sample {
  activationMs: number;
  loadMs: number;
  activateMs: number;
  firstStepMs: number;
  stopMs: number;
}

async function once(): Promise<Sample> {
  const home = temporaryFolder('thaw-host-bench-');
  const workspace = path.join(home.folder, 'workspace');
  const runs = path.join(workspace, 'runs');
  await writeE2eWorkspace(workspace, 'bench', [{ name: 'warm-up', epochs: 50, frozen: ['encoder'], lr: { heads: 1e-2 } }]);
  const session = await openVsCode(VSIX, workspace, home.folder);
  try {
    const page = session.page;
    await page.locator('.activitybar .action-item [aria-label="Thaw"]').first().click({ timeout: 60_000 });
    const report = await waitUntil('activation', () => existsSync(session.reportFile) && (JSON.parse(readFileSync(session.reportFile, 'utf8')) as { activationMs: number; loadMs: number; activateMs: number }));
    await page.locator('.pane-body .monaco-list-row[role=treeitem]', { hasText: 'task_b_head' }).first().waitFor({ timeout: 60_000 });
    const asked = Date.now();
    await runCommand(page, 'Thaw: Start Warm-up Phase');
    await waitUntil('a step', () => newestRunEvents(runs)?.events.some((event) => event.type === 'step') || undefined, 120_000);
    const firstStepMs = Date.now() - asked;
    const stopAsked = Date.now();
    await runCommand(page, 'Thaw: Stop Training');
    await waitUntil('the trainer to exit', () => !trainerRunning() || undefined, 60_000);
    return { activationMs: report.activationMs, loadMs: report.loadMs, activateMs: report.activateMs, firstStepMs, stopMs: Date.now() - stopAsked };
  } finally {
    await session.close();
    home.cleanup();
  }
}

async function main(): Promise<void> {
  if (!existsSync(VSIX)) throw new Error(`build the extension first (npm run package): ${VSIX}`);
  const samples: Sample[] = [];
  for (let repeat = 0; repeat < Number(values.repeats); repeat++) samples.push(await once());
  const pick = (key: keyof Sample) => ({ median: Math.round(median(samples.map((sample) => sample[key])) * 10) / 10, all: samples.map((sample) => Math.round(sample[key] * 10) / 10) });
  printReport({
    what: 'extension host in code-server: Thaw activation, palette Start Warm-up to the first step, Stop Training to the trainer exit (tiny model)',
    repeats: samples.length,
    activationMs: pick('activationMs'),
    loadMs: pick('loadMs'),
    activateMs: pick('activateMs'),
    startToFirstStepMs: pick('firstStepMs'),
    stopToExitMs: pick('stopMs'),
  });
}

void main();
