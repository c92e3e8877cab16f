// Thaw in a real VS Code, driven like a person: the .vsix built by `npm run package` installed
// into code-server, the Model view's native checkboxes clicked in Chromium, commands run from
// the palette, and the trainer a real child process of the extension host.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { after, before } from 'node:test';
import type { Page } from 'playwright-core';
import { temporaryFolder } from '../helpers/tiny-model';
import { RESULTS, VSIX, newestRunEvents as newestRunEventsIn, screenshotOnFailure, waitUntil, writeE2eWorkspace } from './e2e-workspace';
import { openVsCode, runCommand, type VsCodeSession } from './vscode-session';

const home = temporaryFolder('thaw-e2e-');
const workspace = path.join(home.folder, 'workspace');
const runs = path.join(workspace, 'runs');
let session: VsCodeSession;
let page: Page;
const test = screenshotOnFailure(() => page, 'model-view');
const newestRunEvents = () => newestRunEventsIn(runs);

before(async () => {
  assert.ok(existsSync(VSIX), `build the extension first (npm run package): ${VSIX}`);
  await writeE2eWorkspace(workspace, 'e2e', [
    { name: 'warm-up', epochs: 50, frozen: ['encoder'], lr: { heads: 1e-2 } },
    { name: 'fine-tune', epochs: 1, lr: { encoder: 1e-4, heads: 1e-3 } },
  ]);
  session = await openVsCode(VSIX, workspace, home.folder);
  page = session.page;
});

after(async () => {
  await session?.close();
  home.cleanup();
});

function trainerProcesses(): string[] {
  return execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' }).split('\n').filter((line) => line.includes('cli/main.js train'));
}

function treeRow(label: string) {
  // Group names are unique substrings of their rows (layer.0 ... task_b_head).
  return page.locator('.pane-body .monaco-list-row[role=treeitem]', { hasText: label }).first();
}

test('the Model view appears; activation takes under 50 ms and never loads TensorFlow.js', async () => {
  await page.locator('.activitybar .action-item [aria-label="Thaw"]').first().click({ timeout: 60_000 });
  // A container with one view shows it without a pane header ("Thaw: Model").
  await page.locator('.pane-header[aria-label^="Model"], .composite.title', { hasText: /Model/ }).first().waitFor({ timeout: 60_000 });
  await treeRow('task_b_head').waitFor({ timeout: 60_000 });
  const report = await waitUntil('the activation report', () => existsSync(session.reportFile) && (JSON.parse(readFileSync(session.reportFile, 'utf8')) as { activationMs: number; tensorflowLoaded: boolean }));
  // Kept in the test log as a figure: Thaw's own load and activate() times.
  process.stdout.write(`# activation: ${JSON.stringify(report)}\n`);
  assert.ok(report.activationMs < 50, `activation took ${report.activationMs} ms: ${JSON.stringify(report)}`);
  assert.equal(report.tensorflowLoaded, false);
});

test('checking layer.0 and task_b_head in the tree freezes exactly them in the next run', async () => {
  for (const label of ['layer.0', 'task_b_head']) {
    const checkbox = treeRow(label).locator('.custom-view-tree-node-item-checkbox[role=checkbox]');
    await checkbox.click();
    await waitUntil(`${label} checked`, async () => (await checkbox.getAttribute('aria-checked')) === 'true' || undefined);
  }
  await runCommand(page, 'Thaw: Train with Current Freeze State');
  const started = await waitUntil('the run to start', () => newestRunEvents()?.events.find((event) => event.type === 'phase-start') && newestRunEvents());
  const phaseStart = started.events.find((event) => event.type === 'phase-start')!;
  assert.ok(phaseStart.type === 'phase-start');
  assert.deepEqual(phaseStart.frozen, ['layer.0', 'task_b_head']);
  await page.screenshot({ path: path.join(RESULTS, 'model-tree-during-run.png') });
  const finished = await waitUntil('the run to end', () => {
    const run = newestRunEvents();
    return run?.events.some((event) => event.type === 'run-end') && run;
  }, 120_000);
  const phaseEnd = finished.events.find((event) => event.type === 'phase-end')!;
  assert.ok(phaseEnd.type === 'phase-end');
  for (const group of ['layer.0', 'task_b_head']) assert.equal(phaseEnd.groupHashes[group], phaseStart.groupHashes[group], `${group} unchanged`);
  assert.ok(phaseEnd.changedGroups.includes('layer.1') && phaseEnd.changedGroups.includes('task_a_head'));
});

test('Start Warm-up Phase streams steps into the status bar; Stop Training stops it and leaves no process', async () => {
  const before = readdirSync(runs).length;
  await runCommand(page, 'Thaw: Start Warm-up Phase');
  await page.locator('.statusbar-item', { hasText: /Thaw warm-up \d+\/\d+/ }).first().waitFor({ timeout: 60_000 });
  const run = await waitUntil('step events', () => {
    const newest = newestRunEvents();
    return readdirSync(runs).length > before && newest !== undefined && newest.events.filter((event) => event.type === 'step').length >= 3 && newest;
  });
  const phaseStart = run.events.find((event) => event.type === 'phase-start')!;
  assert.ok(phaseStart.type === 'phase-start' && phaseStart.frozen.includes('embeddings') && phaseStart.frozen.includes('layer.1'));
  await page.screenshot({ path: path.join(RESULTS, 'warm-up-running.png') });

  const stopAsked = Date.now();
  await runCommand(page, 'Thaw: Stop Training');
  const stopped = await waitUntil('run-end', () => {
    const events = newestRunEvents()?.events ?? [];
    return events.find((event) => event.type === 'run-end');
  });
  assert.ok(stopped.type === 'run-end' && stopped.status === 'stopped');
  assert.ok(Date.now() - stopAsked < 10_000, 'stopped promptly');
  assert.ok(stopped.globalStep < phaseStart.totalSteps, 'stopped before the phase ended');
  await waitUntil('no trainer process', () => trainerProcesses().length === 0 || undefined, 15_000);
  await page.locator('.statusbar-item', { hasText: 'Thaw stopped' }).first().waitFor();
  const report = JSON.parse(readFileSync(session.reportFile, 'utf8')) as { tensorflowLoaded: boolean };
  assert.equal(report.tensorflowLoaded, false, 'two runs later, TensorFlow.js is still not loaded in the extension host');
});

test('Start Fine-tune Phase thaws the encoder and starts from the warm-up checkpoint', async () => {
  const warmUp = newestRunEvents()!;
  await runCommand(page, 'Thaw: Start Fine-tune Phase');
  const run = await waitUntil('the fine-tune run', () => {
    const newest = newestRunEvents();
    return newest !== undefined && newest.folder !== warmUp.folder && newest.events.some((event) => event.type === 'step') && newest;
  });
  const start = run.events.find((event) => event.type === 'run-start');
  const phaseStart = run.events.find((event) => event.type === 'phase-start');
  assert.ok(start?.type === 'run-start' && phaseStart?.type === 'phase-start');
  assert.ok(start.model.source.startsWith(path.join(warmUp.folder, 'checkpoints')), `starts from ${start.model.source}`);
  assert.equal(phaseStart.phase, 'fine-tune');
  // The encoder thaws; the head frozen by hand earlier stays frozen.
  assert.deepEqual(phaseStart.frozen, ['task_b_head']);
  assert.ok(phaseStart.learningRates['layer.0'] > 0);
  await runCommand(page, 'Thaw: Stop Training');
  await waitUntil('run-end', () => newestRunEvents()?.events.find((event) => event.type === 'run-end'));
  await waitUntil('no trainer process', () => trainerProcesses().length === 0 || undefined, 15_000);
});

test('a trainer that crashes: the user sees an error, the run is marked failed and keeps its files', async () => {
  const before = newestRunEvents()?.folder;
  await runCommand(page, 'Thaw: Start Warm-up Phase');
  const run = await waitUntil('a new run with steps', () => {
    const newest = newestRunEvents();
    return newest !== undefined && newest.folder !== before && newest.events.some((event) => event.type === 'step') && newest;
  });
  for (const line of trainerProcesses()) process.kill(Number(line.trim().split(/\s+/)[0]), 'SIGKILL');
  await page.locator('.notifications-toasts .notification-toast, .notification-list-item', { hasText: 'Thaw: training failed: the trainer was killed (SIGKILL)' }).first().waitFor({ timeout: 30_000 });
  await page.locator('.statusbar-item', { hasText: 'Thaw failed' }).first().waitFor();
  const events = (await waitUntil('the run marked failed', () => {
    const newest = newestRunEvents();
    return newest?.folder === run.folder && newest.events.at(-1)?.type === 'run-end' && newest;
  })).events;
  const end = events.at(-1)!;
  assert.ok(end.type === 'run-end' && end.status === 'failed');
  assert.ok(events.filter((event) => event.type === 'step').length >= 1, 'what the run wrote is kept');
  assert.ok(existsSync(path.join(run.folder, 'experiment.json')));
  await page.screenshot({ path: path.join(RESULTS, 'trainer-crashed.png') });
});
