// What both end-to-end suites share: a workspace with a tiny generated model and the demo
// data, the newest run's events, waiting for a condition, and a screenshot when a test fails.

import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import type { TrainerEvent } from '../../src/protocol/trainer-events';
import { generateModelFolder } from '../../src/trainer/init/generate-model-folder';
import { DEMO_TASKS, demoCorpus } from '../helpers/tiny-experiment';

export const REPO = path.resolve(__dirname, '../../..');
export const VSIX = path.join(REPO, 'thaw.vsix');
export const RESULTS = path.join(REPO, 'test-results');

/** A comment the e2e experiment files carry, to check that edits from the views keep it. */
export const E2E_COMMENT = '// Written by the e2e tests: edits from the Model view and the panel must keep this line.';

/**
 * Writes `<workspace>/<model>` (hidden 32; 2 layers unless `layers` says) and
 * `<workspace>/<name>.thaw.json` over the demo tasks with `phases`, with a comment in it. The
 * encoder's outputs are not cached, so each warm-up step takes a forward pass, as it would
 * with a bigger model, and runs last long enough to act on.
 */
export async function writeE2eWorkspace(workspace: string, name: string, phases: object[], options: { readonly layers?: number; readonly model?: string } = {}): Promise<string> {
  mkdirSync(RESULTS, { recursive: true });
  const model = options.model ?? 'model';
  await generateModelFolder({
    out: path.join(workspace, model),
    shape: { layers: options.layers ?? 2, hidden: 32, attentionHeads: 4, intermediate: 64, maxPositions: 64 },
    seed: 3,
    tokenizer: { kind: 'corpus', lines: demoCorpus(), vocabularySize: 2000 },
  });
  const experiment = { name, model, tasks: DEMO_TASKS, embeddingCache: false, phases, output: 'runs' };
  const file = path.join(workspace, `${name}.thaw.json`);
  writeFileSync(file, JSON.stringify(experiment, null, 2).replace('{\n', `{\n  ${E2E_COMMENT}\n`));
  return file;
}

/** The newest run under `runs` with its events, once it has an events file. */
export function newestRunEvents(runs: string): { folder: string; events: TrainerEvent[] } | undefined {
  if (!existsSync(runs)) return undefined;
  const newest = readdirSync(runs).filter((name) => !name.startsWith('.')).sort().at(-1);
  if (newest === undefined || !existsSync(path.join(runs, newest, 'events.jsonl'))) return undefined;
  const lines = readFileSync(path.join(runs, newest, 'events.jsonl'), 'utf8').split('\n').filter((line) => line.trim() !== '');
  return { folder: path.join(runs, newest), events: lines.map((line) => JSON.parse(line) as TrainerEvent) };
}

/** Polls `check` until it gives a value (not undefined or false), or fails after `timeoutMs`. */
export async function waitUntil<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** A node:test test that leaves a screenshot of the window in test-results/ when it fails. */
export function screenshotOnFailure(page: () => Page | undefined, prefix: string): (name: string, body: () => Promise<void>) => void {
  return (name, body) => {
    test(name, async () => {
      try {
        await body();
      } catch (error) {
        await page()?.screenshot({ path: path.join(RESULTS, `failed-${prefix}-${name.slice(0, 40).replace(/\W+/g, '-')}.png`) }).catch(() => undefined);
        throw error;
      }
    });
  };
}
