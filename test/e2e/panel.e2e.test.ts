// The training panel in a real VS Code, driven like a person: its fields and checkboxes are
// the webview-ui-toolkit components inside the webview's frames; what they set must reach the
// trainer, the Model view must follow them (and back), and the charts must fill from the run.

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before } from 'node:test';
import type { FrameLocator, Page } from 'playwright-core';
import { temporaryFolder } from '../helpers/tiny-model';
import { parse } from 'jsonc-parser';
import { E2E_COMMENT, RESULTS, VSIX, newestRunEvents, screenshotOnFailure, waitUntil, writeE2eWorkspace } from './e2e-workspace';
import { openVsCode, runCommand, type VsCodeSession } from './vscode-session';

const home = temporaryFolder('thaw-panel-e2e-');
const workspace = path.join(home.folder, 'workspace');
const runs = path.join(workspace, 'runs');
let experimentFile: string;
let session: VsCodeSession;
let page: Page;
const test = screenshotOnFailure(() => page, 'panel');

before(async () => {
  experimentFile = await writeE2eWorkspace(workspace, 'panel', [
    { name: 'warm-up', epochs: 300, frozen: ['encoder'], lr: { heads: 0.0123 } },
    { name: 'fine-tune', epochs: 1, lr: { encoder: 2e-5, heads: 1e-3 } },
  ]);
  session = await openVsCode(VSIX, workspace, home.folder);
  page = session.page;
});

after(async () => {
  await session?.close();
  home.cleanup();
});

const warmUpInFile = () => (parse(readFileSync(experimentFile, 'utf8')) as { phases: { name: string; frozen?: string[]; lr?: Record<string, number> }[] }).phases[0];

/** The panel's document: VS Code nests a webview in two iframes. */
function panelFrame(): FrameLocator {
  return page.frameLocator('iframe.webview.ready').first().frameLocator('#active-frame');
}

function treeCheckbox(label: string) {
  return page.locator('.pane-body .monaco-list-row[role=treeitem]', { hasText: label }).first().locator('.custom-view-tree-node-item-checkbox[role=checkbox]');
}

async function setLearningRate(group: string, text: string): Promise<void> {
  const input = panelFrame().locator(`[data-group="${group}"] .lr input`);
  await input.fill(text);
  await input.press('Tab');
}

test('the panel shows the file\'s warm-up: 0.0123 and a frozen encoder; invalid rates are marked and disable Start', async () => {
  await page.locator('.activitybar .action-item [aria-label="Thaw"]').first().click({ timeout: 60_000 });
  await treeCheckbox('task_b_head').waitFor({ timeout: 60_000 });
  await runCommand(page, 'Thaw: Open Training Panel');
  const row = panelFrame().locator('[data-group="task_a_head"]');
  await row.waitFor({ timeout: 60_000 });
  await waitUntil('0.0123 in the field', async () => (await row.locator('.lr input').inputValue()) === '0.0123' || undefined, 30_000);
  const encoderBox = panelFrame().locator('[data-group="layer.0"] .freeze');
  assert.ok((await encoderBox.getAttribute('aria-checked')) === 'true' || (await encoderBox.getAttribute('current-checked')) === 'true', 'layer.0 is frozen in the warm-up');
  assert.equal(await panelFrame().locator('#phase-picker').evaluate((element) => (element as unknown as { value: string }).value), 'warm-up');
  await page.screenshot({ path: path.join(RESULTS, 'panel-file-warm-up.png') });
  const start = panelFrame().locator('#start-phase');
  for (const bad of ['-1', 'abc']) {
    await setLearningRate('task_a_head', bad);
    await waitUntil(`"${bad}" marked invalid`, async () => (await row.locator('.lr').getAttribute('aria-invalid')) === 'true' || undefined, 30_000);
    await waitUntil('Start disabled', async () => (await start.getAttribute('disabled')) !== null || undefined, 30_000);
  }
  await setLearningRate('task_a_head', '5e-4');
  await waitUntil('Start enabled again', async () => (await start.getAttribute('disabled')) === null || undefined, 30_000);
  await waitUntil('5e-4 written into the file\'s warm-up', () => warmUpInFile().lr?.task_a_head === 5e-4 || undefined, 30_000);
  assert.ok(readFileSync(experimentFile, 'utf8').includes(E2E_COMMENT), 'the comment is still there');
});

test('a box cleared in the panel shows in the Model view and the file, and one clicked in the tree shows in the panel', async () => {
  await panelFrame().locator('[data-group="layer.0"] .freeze').click();
  await waitUntil('the tree to follow the panel', async () => (await treeCheckbox('layer.0').getAttribute('aria-checked')) === 'false' || undefined, 30_000);
  const phase = await waitUntil('the file to follow', () => !warmUpInFile().frozen?.includes('encoder') && warmUpInFile());
  assert.deepEqual(phase.frozen, ['embeddings', 'layer.1']);
  assert.equal(phase.lr?.['layer.0'], 2e-5, 'a thawed group without a rate gets the recipe default');
  await treeCheckbox('task_b_head').click();
  const panelBox = panelFrame().locator('[data-group="task_b_head"] .freeze');
  await waitUntil('the panel to follow the tree', async () => ((await panelBox.getAttribute('aria-checked')) === 'true' || (await panelBox.getAttribute('current-checked')) === 'true') || undefined, 30_000);
  await waitUntil('the file to hold task_b_head', () => warmUpInFile().frozen?.includes('task_b_head') || undefined, 30_000);
  // As a person would: look, then click again once the tree shows the box ticked.
  await waitUntil('the tree to show it ticked', async () => (await treeCheckbox('task_b_head').getAttribute('aria-checked')) === 'true' || undefined, 30_000);
  await new Promise((resolve) => setTimeout(resolve, 500));
  await treeCheckbox('task_b_head').click();
  await waitUntil('and back', async () => ((await panelBox.getAttribute('aria-checked')) === 'false' || (await panelBox.getAttribute('current-checked')) === 'false') || undefined, 30_000);
});

test('Start Warm-up Phase from the panel: the run carries its values, the charts fill for both tasks', async () => {
  await panelFrame().locator('#start-phase').click();
  const phaseStart = await waitUntil('phase-start', () => (newestRunEvents(runs)?.events ?? []).find((event) => event.type === 'phase-start'));
  assert.ok(phaseStart.type === 'phase-start');
  assert.equal(phaseStart.learningRates.task_a_head, 5e-4);
  assert.equal(phaseStart.learningRates.task_b_head, 0.0123);
  assert.deepEqual(phaseStart.frozen, ['embeddings', 'layer.1']);
  const chart = panelFrame().locator('[data-points-a]').first();
  await waitUntil('loss points of both tasks in the chart', async () => Number(await chart.getAttribute('data-points-a')) > 0 && Number(await chart.getAttribute('data-points-b')) > 0 || undefined, 30_000);
  await page.screenshot({ path: path.join(RESULTS, 'panel-light.png') });
  // Switch to the dark theme as a person would, from the palette.
  await runCommand(page, 'Preferences: Toggle between Light/Dark Themes');
  await waitUntil('a dark workbench', async () => {
    const background = await page.locator(".monaco-workbench").evaluate((element) => (globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }).getComputedStyle(element).backgroundColor);
    const [r, g, b] = (background.match(/\d+/g) ?? ['255', '255', '255']).map(Number);
    return r + g + b < 200 || undefined;
  }, 30_000);
  await new Promise((resolve) => setTimeout(resolve, 1000)); // the charts re-read the theme's colours
  await page.screenshot({ path: path.join(RESULTS, 'panel-dark.png') });
});

test('reloading the window mid-run brings the panel back with the run so far', async () => {
  const before = (newestRunEvents(runs)?.events ?? []).filter((event) => event.type === 'step').length;
  assert.ok(before > 0);
  assert.ok(!(newestRunEvents(runs)?.events ?? []).some((event) => event.type === 'run-end'), 'the run is still going');
  await runCommand(page, 'Developer: Reload Window');
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  const chart = panelFrame().locator('[data-points-a]').first();
  await waitUntil('curves after the reload', async () => Number(await chart.getAttribute('data-points-a')) > 0 || undefined, 60_000);
  await page.screenshot({ path: path.join(RESULTS, 'panel-after-reload.png') });
});

test('benchmark: 100,000 synthetic steps through the real message path', async () => {
  await runCommand(page, 'Thaw: Benchmark Training Panel');
  const file = path.join(home.folder, 'panel-benchmark.json');
  const figures = await waitUntil('the benchmark figures', () => existsSync(file) && (JSON.parse(readFileSync(file, 'utf8')) as { points: number; firstPaintMs: number; updateMsMedian: number; updateMsMax: number }), 180_000);
  process.stdout.write(`# panel benchmark: ${JSON.stringify(figures)}\n`);
  assert.ok(figures.points >= 100_000, `${figures.points} points`);
  await page.screenshot({ path: path.join(RESULTS, 'panel-benchmark.png') });
});
