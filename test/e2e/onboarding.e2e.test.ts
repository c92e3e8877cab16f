// A new user's first run, in a real VS Code with an EMPTY folder and only the .vsix: the Thaw
// view says what to do, the walkthrough opens by itself the first time, "Thaw: Create Demo
// Experiment" then "Thaw: Start Warm-up Phase" (nothing else touched) trains, offline. Leaves
// screenshots of the walkthrough and the Model view's welcome in light and dark themes.

import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before } from 'node:test';
import type { Page } from 'playwright-core';
import { temporaryFolder } from '../helpers/tiny-model';
import { RESULTS, VSIX, newestRunEvents, screenshotOnFailure, waitUntil } from './e2e-workspace';
import { openVsCode, runCommand, type VsCodeSession } from './vscode-session';

const home = temporaryFolder('thaw-onboarding-e2e-');
const workspace = path.join(home.folder, 'workspace');
const demo = path.join(workspace, 'thaw-demo');
let session: VsCodeSession;
let page: Page;
const test = screenshotOnFailure(() => page, 'onboarding');

before(async () => {
  assert.ok(existsSync(VSIX), `build the extension first (npm run package): ${VSIX}`);
  mkdirSync(workspace, { recursive: true });
  mkdirSync(RESULTS, { recursive: true });
  rmSync(path.join(RESULTS, 'onboarding-logs'), { recursive: true, force: true });
  session = await openVsCode(VSIX, workspace, home.folder);
  page = session.page;
});

after(async () => {
  await session?.close();
  // The extension host's logs (Thaw's output channel among them), to read after a failure.
  cpSync(path.join(home.folder, 'user-data', 'logs'), path.join(RESULTS, 'onboarding-logs'), { recursive: true });
  home.cleanup();
});

const walkthrough = () => page.locator('.gettingStartedContainer', { hasText: 'Get Started with Thaw' }).first();
const modelWelcome = () => page.locator('.pane-body .welcome-view', { hasText: 'No Thaw experiment in this workspace yet' }).first();

/** The palette, once more if the quick input closed under the first try (the command center's click can race F1). */
async function paletteCommand(title: string): Promise<void> {
  try {
    await runCommand(page, title);
  } catch {
    await page.keyboard.press('Escape');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await runCommand(page, title);
  }
}

/** The step's SVG, drawn in a webview of its own: loaded once its text is there. */
async function walkthroughPicture(): Promise<void> {
  const picture = page.frameLocator('iframe.webview.ready').first().frameLocator('#active-frame').getByText('thaw-demo/').first();
  await picture.waitFor({ timeout: 30_000 });
}

async function toggleTheme(dark: boolean): Promise<void> {
  await runCommand(page, 'Preferences: Toggle between Light/Dark Themes');
  await waitUntil(`a ${dark ? 'dark' : 'light'} workbench`, async () => {
    const background = await page.locator('.monaco-workbench').evaluate((element) => (globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }).getComputedStyle(element).backgroundColor);
    const [r, g, b] = (background.match(/\d+/g) ?? ['255', '255', '255']).map(Number);
    return (r + g + b < 200) === dark || undefined;
  }, 30_000);
  await new Promise((resolve) => setTimeout(resolve, 1000)); // the walkthrough's SVGs re-read the theme
}

test('an empty folder: the Model view says how to start, and the walkthrough opens the first time', async () => {
  await page.locator('.activitybar .action-item [aria-label="Thaw"]').first().click({ timeout: 60_000 });
  await modelWelcome().waitFor({ timeout: 60_000 });
  for (const link of ['Create Demo Experiment', 'New Experiment']) assert.ok(await modelWelcome().getByRole('button', { name: link }).first().isVisible(), `the welcome offers ${link}`);
  await walkthrough().waitFor({ timeout: 60_000 });
  await walkthrough().getByText('Create an experiment').first().waitFor();
  await walkthroughPicture();
  await page.mouse.move(900, 780); // no activity-bar tooltip over the view
  await new Promise((resolve) => setTimeout(resolve, 500));
  await page.screenshot({ path: path.join(RESULTS, 'onboarding-walkthrough-light.png') });
  await modelWelcome().screenshot({ path: path.join(RESULTS, 'onboarding-model-welcome-light.png') });
  await toggleTheme(true);
  await walkthroughPicture();
  await page.screenshot({ path: path.join(RESULTS, 'onboarding-walkthrough-dark.png') });
  await modelWelcome().screenshot({ path: path.join(RESULTS, 'onboarding-model-welcome-dark.png') });
  await toggleTheme(false);
});

test('the training panel without an experiment says how to get one', async () => {
  await paletteCommand('Thaw: Open Training Panel');
  const empty = await waitUntil('the panel\'s empty state', async () => {
    for (const frame of page.frames()) {
      const section = frame.locator('#empty-state');
      if (await section.isVisible().catch(() => false)) return section;
    }
    return undefined;
  }, 60_000);
  assert.match(await empty.innerText(), /No experiment yet/);
  await empty.locator('#create-demo').waitFor();
  await page.screenshot({ path: path.join(RESULTS, 'onboarding-panel-empty.png') });
});

test('"Thaw: Get Started" opens the walkthrough again', async () => {
  await page.keyboard.press('Control+K');
  await page.keyboard.press('W'); // closes all editors, the walkthrough too
  await walkthrough().waitFor({ state: 'hidden', timeout: 15_000 }).catch(() => undefined);
  await paletteCommand('Thaw: Get Started');
  await walkthrough().waitFor({ timeout: 30_000 });
});

test('palette "Thaw: Create Demo Experiment", then "Thaw: Start Warm-up Phase": step events in thaw-demo/runs, offline', async () => {
  await paletteCommand('Thaw: Create Demo Experiment');
  const file = path.join(demo, 'demo.thaw.json');
  await waitUntil('thaw-demo/demo.thaw.json', () => existsSync(file), 120_000);
  const text = readFileSync(file, 'utf8');
  // Offline (no hub here): a generated MiniLM-shape model, and the file says so.
  assert.match(text, /NOTE: a GENERATED model with RANDOM weights/);
  const config = JSON.parse(readFileSync(path.join(demo, 'model', 'config.json'), 'utf8')) as { num_hidden_layers: number; hidden_size: number };
  assert.deepEqual([config.num_hidden_layers, config.hidden_size], [6, 384]);
  await page.locator('.notifications-toasts .notification-toast', { hasText: 'random weights' }).first().waitFor({ timeout: 30_000 });
  await page.locator('.part.sidebar', { hasText: 'Phase "warm-up"' }).first().waitFor({ timeout: 60_000 });
  await page.screenshot({ path: path.join(RESULTS, 'onboarding-demo-created.png') });

  await paletteCommand('Thaw: Start Warm-up Phase');
  const runs = path.join(demo, 'runs');
  const steps = await waitUntil('step events in thaw-demo/runs', () => {
    const events = newestRunEvents(runs)?.events.filter((event) => event.type === 'step') ?? [];
    return events.length > 0 && events;
  }, 180_000);
  assert.ok(steps.length > 0);
  await waitUntil('the warm-up to end', () => newestRunEvents(runs)?.events.some((event) => event.type === 'run-end'), 180_000);
  await page.screenshot({ path: path.join(RESULTS, 'onboarding-warm-up-done.png') });
});

test('an invalid experiment file: its first problem is a Model view row that opens the file at its line', async () => {
  const file = path.join(demo, 'demo.thaw.json');
  const valid = readFileSync(file, 'utf8');
  const line = valid.split('\n').findIndex((text) => text.includes('"name": "warm-up"')) + 1;
  writeFileSync(file, valid.replace('"epochs": 3,', '"epochs": "three",'));
  const row = page.locator('.pane-body .monaco-list-row[role=treeitem]', { hasText: 'epochs' }).first();
  await row.waitFor({ timeout: 30_000 });
  assert.match(await row.innerText(), new RegExp(`demo\\.thaw\\.json:${line}`));
  await page.screenshot({ path: path.join(RESULTS, 'onboarding-invalid-file.png') });
  await row.click();
  await page.locator('.statusbar-item', { hasText: `Ln ${line}, Col 1` }).first().waitFor({ timeout: 30_000 });
  writeFileSync(file, valid);
  await page.locator('.pane-body .monaco-list-row[role=treeitem]', { hasText: 'task_a_head' }).first().waitFor({ timeout: 30_000 });
});

test('New Experiment with a CSV that has no label column: it says so, and writes nothing', async () => {
  const csv = path.join(workspace, 'data', 'questions-no-label.csv');
  mkdirSync(path.dirname(csv), { recursive: true });
  writeFileSync(csv, 'text\nWhere is the Atacama Desert?\nWho wrote Faust?\n');
  await paletteCommand('Thaw: New Experiment');
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Hugging Face hub id' }).first().click();
  const input = page.locator('.quick-input-widget input');
  await waitUntil('the hub id box with MiniLM', async () => (await input.inputValue()) === 'sentence-transformers/paraphrase-MiniLM-L6-v2' || undefined, 30_000);
  await input.press('Enter');
  // The file dialog (code-server's, in the quick input): its box holds a folder path.
  await page.locator('.quick-input-widget', { hasText: "task A's training data" }).first().waitFor({ timeout: 30_000 });
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'thaw-demo' }).first().waitFor({ timeout: 30_000 });
  const toast = page.locator('.notifications-toasts .notification-toast', { hasText: 'a task needs a text column and a label column' }).first();
  // Typed as a person would; the dialog fills its list as it goes, so type again if it reset the box.
  await waitUntil('the file accepted and its problem shown', async () => {
    if (await toast.isVisible()) return true;
    if ((await input.isVisible()) && (await input.inputValue()) !== csv) {
      await input.fill(csv);
      await new Promise((resolve) => setTimeout(resolve, 500));
      await input.press('Enter');
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
    return undefined;
  }, 40_000);
  assert.match(await toast.innerText(), /questions-no-label\.csv has only the column "text": a task needs a text column and a label column\. Nothing was written/);
  await new Promise((resolve) => setTimeout(resolve, 500)); // the toast has slid in
  await page.screenshot({ path: path.join(RESULTS, 'onboarding-new-experiment-no-label.png') });
  assert.ok(!existsSync(path.join(workspace, 'thaw.json')), 'no thaw.json was written');
});
