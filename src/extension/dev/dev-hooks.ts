// Hooks for the end-to-end tests and the panel benchmark, in one place. They do nothing
// unless THAW_E2E_REPORT names a file (set by the tests' code-server), and load nothing heavy.

import { writeFileSync } from 'node:fs';
import * as path from 'node:path';

let timing: Record<string, number> = {};

/** Writes what only the extension host can see about itself: activation times, and whether TensorFlow.js is loaded. */
export function writeE2eReport(newTiming?: Record<string, number>): void {
  const file = process.env.THAW_E2E_REPORT;
  if (file === undefined) return;
  if (newTiming !== undefined) timing = newTiming;
  const loaded = (pattern: RegExp) => Object.keys(require.cache).some((module) => pattern.test(module));
  writeFileSync(file, JSON.stringify({ ...timing, tensorflowLoaded: loaded(/[\\/]@tensorflow[\\/]/), mlStackLoaded: loaded(/[\\/](@tensorflow|@xenova|@huggingface|onnxruntime-[a-z]+)[\\/]/) }));
}

/** Keeps a figure beside THAW_E2E_REPORT for the e2e test to read. */
export function writeE2eFigure(name: string, figures: object): void {
  const report = process.env.THAW_E2E_REPORT;
  if (report !== undefined) writeFileSync(path.join(path.dirname(report), name), JSON.stringify(figures));
}
