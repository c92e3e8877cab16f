// Thaw in a real VS Code, driven like a person: the .vsix built by `npm run package` installed
// into code-server, the Model view's native checkboxes clicked in Chromium, commands run from
// the palette, and the trainer a real child process of the extension host. The experiment
// file is the truth: the view shows its phases, edits land in it, and runs follow it.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { after, before } from 'node:test';
import { parse } from 'jsonc-parser';
import type { Page } from 'playwright-core';
import { temporaryFolder } from '../helpers/tiny-model';
import { E2E_COMMENT, RESULTS, VSIX, newestRunEvents as newestRunEventsIn, screenshotOnFailure, waitUntil, writeE2eWorkspace } from './e2e-workspace';
import { openVsCode, runCommand, type VsCodeSession } from './vscode-session';

const home = temporaryFolder('thaw-e2e-');
const workspace = path.join(home.folder, 'workspace');
const runs = path.join(workspace, 'runs');
let experimentFile: string;
let session: VsCodeSession;
let page: Page;
const test = screenshotOnFailure(() => page, 'model-view');
const newestRunEvents = () => newestRunEventsIn(runs);
type Phase = { name: string; frozen?: string[]; lr?: Record<string, number> };
const filePhase = (name: string) => (parse(readFileSync(experimentFile, 'utf8')) as { phases: Phase[] }).phases.find((phase) => phase.name === name)!;

before(async () => {
  assert.ok(existsSync(VSIX), `build the extension first (npm run package): ${VSIX}`);
  experimentFile = await writeE2eWorkspace(workspace, 'e2e', [
    { name: 'warm-up', epochs: 2, frozen: ['encoder'], lr: { heads: 0.0123 } },
    { name: 'fine-tune', epochs: 50, lr: { encoder: 1e-4, heads: 1e-3 } },
  ]);
  session = await openVsCode(VSIX, workspace, home.folder);
  page = session.page;
});

after(async () => {
  await session?.close();
  home.cleanup();
});

/** This suite's trainers (their command lines name its workspace): other suites' are left alone. */
function trainerProcesses(): string[] {
  return execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' }).split('\n').filter((line) => line.includes('cli/main.js train') && line.includes(home.folder));
}

function treeRow(label: string) {
  // The row whose label is exactly `label` (layer.1 is a substring of layer.10's row).
  const name = page.locator('.label-name', { hasText: new RegExp(`^${label.replace('.', '\\.')}$`) });
  return page.locator('.pane-body .monaco-list-row[role=treeitem]').filter({ has: name }).first();
}

function checkbox(label: string) {
  return treeRow(label).locator('.custom-view-tree-node-item-checkbox[role=checkbox]');
}

/** The view's message names the phase it shows ('Phase "warm-up"'). */
async function viewShowsPhase(phase: string): Promise<void> {
  await page.locator('.part.sidebar', { hasText: `Phase "${phase}"` }).first().waitFor({ timeout: 30_000 });
}

test('the Model view shows the file\'s warm-up as written; the host never loads the ML stack', async () => {
  await page.locator('.activitybar .action-item [aria-label="Thaw"]').first().click({ timeout: 60_000 });
  await treeRow('task_b_head').waitFor({ timeout: 60_000 });
  await viewShowsPhase('warm-up');
  await waitUntil('the encoder frozen in the warm-up', async () => (await checkbox('encoder').getAttribute('aria-checked')) === 'true' || undefined, 30_000);
  assert.equal(await checkbox('layer.1').getAttribute('aria-checked'), 'true');
  assert.equal(await checkbox('task_a_head').getAttribute('aria-checked'), 'false');
  assert.match((await treeRow('task_a_head').textContent()) ?? '', /lr 0\.0123/);
  const report = await waitUntil('the activation report', () => existsSync(session.reportFile) && (JSON.parse(readFileSync(session.reportFile, 'utf8')) as { activationMs: number; tensorflowLoaded: boolean; mlStackLoaded: boolean }));
  // A figure for the notes, not a pass/fail: Thaw's own load and activate() times.
  process.stdout.write(`# activation: ${JSON.stringify(report)}\n`);
  assert.equal(report.mlStackLoaded, false);
  await page.screenshot({ path: path.join(RESULTS, 'model-view-warm-up.png') });
});

test('a refused Start Fine-tune (no warm-up checkpoint yet) leaves the file and the view as they were', async () => {
  const before = readFileSync(experimentFile, 'utf8');
  await runCommand(page, 'Thaw: Start Fine-tune Phase');
  await page.locator('.notifications-toasts .notification-toast, .notification-list-item', { hasText: 'starts from the end of a "warm-up" phase' }).first().waitFor({ timeout: 30_000 });
  assert.equal(readFileSync(experimentFile, 'utf8'), before);
  assert.ok(!existsSync(runs) || readdirSync(runs).length === 0, 'no run was started');
  assert.equal(await checkbox('encoder').getAttribute('aria-checked'), 'true', 'the encoder is still frozen');
  await viewShowsPhase('warm-up');
});

test('palette "Start Warm-up Phase", nothing touched, trains the file\'s warm-up at 0.0123; the view moves on to fine-tune', async () => {
  await runCommand(page, 'Thaw: Start Warm-up Phase');
  await page.locator('.statusbar-item', { hasText: /Thaw warm-up \d+\/\d+/ }).first().waitFor({ timeout: 60_000 });
  const run = await waitUntil('the warm-up to end', () => {
    const newest = newestRunEvents();
    return newest?.events.some((event) => event.type === 'run-end') && newest;
  }, 180_000);
  const phaseStart = run.events.find((event) => event.type === 'phase-start');
  assert.ok(phaseStart?.type === 'phase-start');
  assert.equal(phaseStart.phase, 'warm-up');
  assert.equal(phaseStart.learningRates.task_a_head, 0.0123);
  assert.equal(phaseStart.learningRates.task_b_head, 0.0123);
  assert.deepEqual(phaseStart.frozen, ['embeddings', 'layer.0', 'layer.1']);
  const end = run.events.find((event) => event.type === 'run-end');
  assert.ok(end?.type === 'run-end' && end.status === 'completed');
  await viewShowsPhase('fine-tune');
});

test('ticking layer.0 in the tree writes it into the fine-tune phase of the file, comments kept', async () => {
  // The view's rows follow the message a moment later: the fine-tune thaws the encoder.
  await waitUntil('the rows of the fine-tune', async () => (await checkbox('layer.0').getAttribute('aria-checked')) === 'false' || undefined, 30_000);
  assert.match((await treeRow('task_a_head').textContent()) ?? '', /lr 1e-3/);
  await checkbox('layer.0').click();
  await waitUntil('layer.0 checked', async () => (await checkbox('layer.0').getAttribute('aria-checked')) === 'true' || undefined);
  const phase = await waitUntil('the file to hold layer.0', () => filePhase('fine-tune').frozen?.includes('layer.0') && filePhase('fine-tune'));
  assert.deepEqual(phase.frozen, ['layer.0']);
  assert.deepEqual(phase.lr, { encoder: 1e-4, heads: 1e-3 }, 'the rates are kept');
  assert.ok(readFileSync(experimentFile, 'utf8').includes(E2E_COMMENT), 'the comment is still there');
  assert.deepEqual(filePhase('warm-up').frozen, ['encoder'], 'the warm-up is untouched');
});

test('Start Fine-tune forks from the warm-up checkpoint with what the file says; Stop leaves no process', async () => {
  const warmUp = newestRunEvents()!;
  const warmUpEnd = warmUp.events.find((event) => event.type === 'phase-end');
  assert.ok(warmUpEnd?.type === 'phase-end');
  await runCommand(page, 'Thaw: Start Fine-tune Phase');
  const run = await waitUntil('the fine-tune run', () => {
    const newest = newestRunEvents();
    return newest !== undefined && newest.folder !== warmUp.folder && newest.events.filter((event) => event.type === 'step').length >= 3 && newest;
  });
  const start = run.events.find((event) => event.type === 'run-start');
  const phaseStart = run.events.find((event) => event.type === 'phase-start');
  assert.ok(start?.type === 'run-start' && phaseStart?.type === 'phase-start');
  assert.equal(start.model.source, path.join(warmUp.folder, 'checkpoints', 'phase-0-warm-up'));
  assert.equal(phaseStart.phase, 'fine-tune');
  assert.deepEqual(phaseStart.frozen, ['layer.0']);
  assert.equal(phaseStart.learningRates['layer.1'], 1e-4);
  assert.deepEqual(phaseStart.groupHashes, warmUpEnd.groupHashes, 'the fine-tune starts from the warm-up\'s end, bit for bit');
  await page.screenshot({ path: path.join(RESULTS, 'fine-tune-running.png') });

  await runCommand(page, 'Thaw: Stop Training');
  const stopped = await waitUntil('run-end', () => newestRunEvents()?.events.find((event) => event.type === 'run-end'));
  assert.ok(stopped.type === 'run-end' && stopped.status === 'stopped');
  await waitUntil('no trainer process', () => trainerProcesses().length === 0 || undefined, 15_000);
  await page.locator('.statusbar-item', { hasText: 'Thaw stopped' }).first().waitFor();
  const report = JSON.parse(readFileSync(session.reportFile, 'utf8')) as { mlStackLoaded: boolean };
  assert.equal(report.mlStackLoaded, false, 'two runs later, the ML stack is still not loaded in the extension host');
});

test('a trainer that dies: the user sees an error; the run keeps its files and no run-end is made up', async () => {
  const before = newestRunEvents()?.folder;
  await runCommand(page, 'Thaw: Run Experiment (All Phases)');
  const run = await waitUntil('a new run with steps', () => {
    const newest = newestRunEvents();
    return newest !== undefined && newest.folder !== before && newest.events.some((event) => event.type === 'step') && newest;
  });
  for (const line of trainerProcesses()) process.kill(Number(line.trim().split(/\s+/)[0]), 'SIGKILL');
  await page.locator('.notifications-toasts .notification-toast, .notification-list-item', { hasText: 'Thaw: training failed: the trainer was killed (SIGKILL)' }).first().waitFor({ timeout: 30_000 });
  await page.locator('.statusbar-item', { hasText: 'Thaw failed' }).first().waitFor();
  await waitUntil('no trainer process', () => trainerProcesses().length === 0 || undefined, 15_000);
  const events = newestRunEvents()!.events;
  assert.ok(!events.some((event) => event.type === 'run-end'), 'only the trainer writes events.jsonl: a killed run reads as interrupted');
  assert.ok(events.filter((event) => event.type === 'step').length >= 1, 'what the run wrote is kept');
  assert.ok(existsSync(path.join(run.folder, 'experiment.json')));
  await page.screenshot({ path: path.join(RESULTS, 'trainer-crashed.png') });
});

test('a 12-layer model shows 12 layers and trains from the palette', async () => {
  await writeE2eWorkspace(workspace, 'deep', [{ name: 'warm-up', steps: 4, frozen: ['encoder'], lr: { heads: 1e-2 } }], { layers: 12, model: 'deep-model' });
  await runCommand(page, 'Thaw: Select Experiment...');
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'deep.thaw.json' }).first().click({ timeout: 30_000 });
  await treeRow('layer.11').waitFor({ timeout: 60_000 });
  assert.equal(await treeRow('layer.12').count(), 0);
  await page.screenshot({ path: path.join(RESULTS, 'model-view-12-layers.png') });
  const before = newestRunEvents()?.folder;
  await runCommand(page, 'Thaw: Start Warm-up Phase');
  const run = await waitUntil('the 12-layer run to end', () => {
    const newest = newestRunEvents();
    return newest !== undefined && newest.folder !== before && newest.events.some((event) => event.type === 'run-end') && newest;
  }, 120_000);
  const phaseStart = run.events.find((event) => event.type === 'phase-start');
  assert.ok(phaseStart?.type === 'phase-start' && phaseStart.frozen.includes('layer.11'));
  const end = run.events.find((event) => event.type === 'run-end');
  assert.ok(end?.type === 'run-end' && end.status === 'completed', JSON.stringify(end));
});
