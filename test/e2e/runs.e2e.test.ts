// The Runs view and the comparison in a real VS Code: runs made by the real `thaw train`
// before and while the window is open, listed from their folders alone, selected like a person
// selects (click, shift+click), compared from the palette, exported from the context menu,
// renamed (and still renamed after a reload), and an interrupted one resumed to its end.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before } from 'node:test';
import type { FrameLocator, Page } from 'playwright-core';
import type { TrainerEvent } from '../../src/protocol/trainer-events';
import { temporaryFolder } from '../helpers/tiny-model';
import { REPO, RESULTS, VSIX, screenshotOnFailure, waitUntil, writeE2eWorkspace } from './e2e-workspace';
import { openVsCode, runCommand, type VsCodeSession } from './vscode-session';

const CLI = path.join(REPO, 'out', 'src', 'trainer', 'cli', 'main.js');
const home = temporaryFolder('thaw-runs-e2e-');
const workspace = path.join(home.folder, 'workspace');
let experimentFile: string;
let session: VsCodeSession;
let page: Page;
const test = screenshotOnFailure(() => page, 'runs');
const environment = { ...process.env, THAW_CACHE: path.join(home.folder, 'thaw-cache') };

/** Runs `thaw train` to its end (or kills it once `killAfterSteps` steps are in); resolves with its run folder. */
function train(args: string[], killAfterSteps?: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'train', ...args, '--json'], { env: environment, stdio: ['ignore', 'pipe', 'pipe'] });
    let folder: string | undefined;
    let steps = 0;
    let buffer = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        const event = JSON.parse(line) as TrainerEvent;
        if (event.type === 'run-start') folder = event.runFolder;
        if (event.type === 'step' && killAfterSteps !== undefined && ++steps === killAfterSteps) child.kill('SIGKILL');
      }
    });
    child.on('exit', (code, signal) => (folder !== undefined && (code === 0 || signal === 'SIGKILL') ? resolve(folder) : reject(new Error(`thaw train ${args.join(' ')}: ${signal ?? code}`))));
  });
}

const seedExperiment = (seed: number) => {
  // The same experiment with another seed and name: runs that differ in exactly those keys.
  const text = readFileSync(experimentFile, 'utf8').replace('"name": "runs"', `"name": "seed ${seed}", "seed": ${seed}`);
  const file = path.join(workspace, `seed-${seed}.thaw.json`);
  writeFileSync(file, text);
  return file;
};

before(async () => {
  experimentFile = await writeE2eWorkspace(workspace, 'runs', [
    { name: 'warm-up', steps: 12, frozen: ['encoder'], lr: { heads: 1e-2 } },
    { name: 'fine-tune', steps: 8, lr: { encoder: 1e-4, heads: 1e-3 } },
  ]);
  // Three finished runs that differ in their seed: made before the window opens.
  for (const seed of [1, 2, 3]) await train([seedExperiment(seed)]);
  session = await openVsCode(VSIX, workspace, home.folder);
  page = session.page;
});

after(async () => {
  await session?.close();
  home.cleanup();
});

function runsPane() {
  return page.locator('.pane', { has: page.locator('.pane-header[aria-label^="Runs"]') }).first();
}

function runRows() {
  return runsPane().locator('.monaco-list-row[role=treeitem]');
}

function compareFrame(): FrameLocator {
  return page.frameLocator('iframe.webview.ready').last().frameLocator('#active-frame');
}

test('the Runs view lists the workspace\'s three runs, newest first, with their status and accuracy', async () => {
  await page.locator('.activitybar .action-item [aria-label="Thaw"]').first().click({ timeout: 60_000 });
  await runsPane().waitFor({ timeout: 60_000 });
  await waitUntil('three runs', async () => (await runRows().count()) === 3 || undefined, 60_000);
  const text = await runRows().first().textContent();
  assert.match(text ?? '', /warm-up → fine-tune · A [\d.]+ · B [\d.]+/);
  await page.screenshot({ path: path.join(RESULTS, 'runs-view.png') });
});

test('click, shift+click, "Thaw: Compare Runs": a row per run and a series per run in the charts', async () => {
  await runRows().nth(0).click();
  await runRows().nth(2).click({ modifiers: ['Shift'] });
  await runCommand(page, 'Thaw: Compare Runs');
  const rows = compareFrame().locator('tr[data-run-id]');
  await waitUntil('a row per run', async () => (await rows.count()) === 3 || undefined, 60_000);
  assert.match((await compareFrame().locator('#table-count').textContent()) ?? '', /[1-9]\d* config keys? differs?/, 'the seeds differ');
  const ids = await Promise.all([0, 1, 2].map((index) => rows.nth(index).getAttribute('data-run-id')));
  assert.equal(new Set(ids).size, 3);
  const chart = compareFrame().locator('#chart-loss-a');
  await waitUntil('one series per run', async () => Number(await chart.getAttribute('data-series')) === 3 || undefined, 30_000);
  await page.screenshot({ path: path.join(RESULTS, 'compare-3-runs.png') });
});

test('"Export Model..." from a run\'s context menu writes the folder, then opens its model card', async () => {
  const target = path.join(workspace, 'exported-model');
  await runRows().nth(0).click({ button: 'right' });
  // The menu takes its item on the keyboard: a click right after it opens can land before it listens.
  await page.locator('.context-view .action-item', { hasText: 'Export Model...' }).first().hover({ timeout: 15_000 });
  await page.keyboard.press('Enter');
  // code-server's save dialog is a quick input holding the proposed path.
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ timeout: 15_000 });
  await waitUntil('the proposed folder, <run id>-model', async () => /-model$/.test(await input.inputValue()) || undefined, 15_000);
  await input.fill(target);
  await page.keyboard.press('Enter');
  const done = page.locator('.notifications-toasts .notification-toast', { hasText: 'Thaw: exported' });
  await done.waitFor({ timeout: 120_000 });
  for (const file of ['onnx/model.onnx', 'onnx/model_quantized.onnx', 'onnx/heads.onnx', 'model.safetensors', 'README.md']) assert.ok(existsSync(path.join(target, file)), `${file} is written`);
  assert.match(readFileSync(path.join(target, 'README.md'), 'utf8'), /\| warm-up \| 12 \| `encoder` \|/);
  await done.locator('.monaco-button', { hasText: 'Open Model Card' }).click();
  await page.locator('.tab', { hasText: 'README.md' }).first().waitFor({ timeout: 30_000 });
  await page.screenshot({ path: path.join(RESULTS, 'runs-export-model.png') });
});

test('a rename survives a window reload', async () => {
  await runRows().nth(1).click();
  await runCommand(page, 'Thaw: Rename Run...');
  const input = page.locator('.quick-input-widget input');
  await input.fill('the middle seed');
  await page.keyboard.press('Enter');
  await waitUntil('the new name in the view', async () => (await runsPane().locator('.monaco-list-row', { hasText: 'the middle seed' }).count()) === 1 || undefined, 30_000);
  await runCommand(page, 'Developer: Reload Window');
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  await page.locator('.activitybar .action-item [aria-label="Thaw"]').first().click({ timeout: 60_000 }).catch(() => undefined);
  await runsPane().locator('.monaco-list-row', { hasText: 'the middle seed' }).first().waitFor({ timeout: 60_000 });
});

test('Resume on an interrupted run finishes it', async () => {
  // Killed in the fine-tune, after the warm-up's checkpoint: an interrupted run that can resume.
  const killed = await train([seedExperiment(4)], 15);
  await waitUntil('the interrupted run in the view', async () => (await runRows().count()) === 4 || undefined, 60_000);
  // Newest first: the interrupted run is the top row.
  await waitUntil('the top row to read interrupted', async () => /interrupted|warm-up/.test((await runRows().first().textContent()) ?? '') || undefined);
  await runRows().first().click();
  await runCommand(page, 'Thaw: Resume Run');
  const end = await waitUntil('the resumed run to end', () => {
    const events = readFileSync(path.join(killed, 'events.jsonl'), 'utf8').split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as TrainerEvent);
    return events.find((event) => event.type === 'run-end');
  }, 120_000);
  assert.ok(end.type === 'run-end' && end.status === 'completed', JSON.stringify(end));
});

test('a 10-run comparison reads well in light and dark themes', async () => {
  const made = [];
  for (const seed of [5, 6, 7, 8, 9, 10]) made.push(await train([seedExperiment(seed)]));
  await waitUntil('ten runs', async () => (await runRows().count()) === 10 || undefined, 60_000);
  await runRows().nth(0).click();
  await runRows().nth(9).click({ modifiers: ['Shift'] });
  await runCommand(page, 'Thaw: Compare Runs');
  await waitUntil('ten rows', async () => (await compareFrame().locator('tr[data-run-id]').count()) === 10 || undefined, 60_000);
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const charts = compareFrame().locator('#chart-accuracy-a');
  const shoot = async (theme: string) => {
    await compareFrame().locator('#compare-table').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(RESULTS, `compare-10-runs-${theme}.png`) });
    await charts.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(RESULTS, `compare-10-runs-${theme}-charts.png`) });
  };
  await shoot('light');
  await runCommand(page, 'Preferences: Toggle between Light/Dark Themes');
  await new Promise((resolve) => setTimeout(resolve, 2000));
  await shoot('dark');
  assert.equal(Number(await charts.getAttribute('data-series')), 10, 'a series per run');
  assert.equal(made.length, 6);
});

test('"Thaw: Compare Freezing Scenarios" runs every scenario and ends with a row per scenario in the comparison', async () => {
  await runCommand(page, 'Thaw: Compare Freezing Scenarios');
  // The sweep's node appears in the Runs view while it runs.
  await runsPane().locator('.monaco-list-row', { hasText: /^Sweep / }).first().waitFor({ timeout: 120_000 });
  const rows = compareFrame().locator('tr[data-run-id]');
  await waitUntil('a row per scenario', async () => (await page.locator('.tab', { hasText: 'Compare 5 Runs' }).count()) > 0 && (await rows.count()) === 5 || undefined, 600_000);
  const statuses = await Promise.all([0, 1, 2, 3, 4].map((index) => rows.nth(index).getAttribute('data-status')));
  assert.deepEqual(statuses, ['completed', 'completed', 'completed', 'completed', 'completed']);
  const report = (await compareFrame().locator('#scenario-report').textContent()) ?? '';
  for (const scenario of ['freeze-all', 'freeze-encoder', 'freeze-head-a', 'freeze-head-b', 'recipe']) assert.ok(report.includes(scenario), `the scenario report names ${scenario}`);
  assert.match(report, /n\/a \(head never trained\)/);
  await page.screenshot({ path: path.join(RESULTS, 'compare-scenarios.png') });
});
