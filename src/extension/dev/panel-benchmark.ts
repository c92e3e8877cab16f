// The panel's benchmark: 100,000 synthetic step events through the real path (host batching,
// postMessage, the webview's charts), as fast as a trainer could send them. The webview
// measures time to first paint and each update's render time and sends them back.

import * as vscode from 'vscode';
import type { TrainingPanel } from '../panel/training-panel';
import { writeE2eFigure } from './dev-hooks';

const STEPS = 100_000;

export async function feedSyntheticRun(panel: TrainingPanel): Promise<void> {
  panel.show();
  await new Promise((resolve) => setTimeout(resolve, 1500)); // the webview's handshake
  const time = () => new Date().toISOString();
  panel.addEvent({ type: 'run-start', time: time(), runId: 'benchmark', runFolder: '(synthetic)', backend: 'synthetic events', model: { source: 'none', parameterCount: 0, groups: {} }, tasks: {} });
  panel.addEvent({ type: 'phase-start', time: time(), phase: 'warm-up', phaseIndex: 0, totalSteps: STEPS, frozen: [], learningRates: {}, groupHashes: {}, trainsNothing: false, usesEmbeddingCache: false });
  const started = performance.now();
  for (let step = 1; step <= STEPS; step++) {
    const loss = { a: 1.8 * Math.exp(-step / 30_000) + 0.2 * Math.random(), b: 0.7 * Math.exp(-step / 50_000) + 0.1 * Math.random() };
    panel.addEvent({ type: 'step', time: time(), phase: 'warm-up', phaseIndex: 0, step, totalSteps: STEPS, globalStep: step, loss, learningRates: { task_a_head: 1e-3, task_b_head: 1e-3 }, elapsedMs: Math.round(performance.now() - started) });
    if (step % 10_000 === 0) {
      panel.addEvent({ type: 'validation', time: time(), phase: 'warm-up', globalStep: step, epoch: step / 10_000, tasks: { a: { loss: loss.a, accuracy: 0.5, macroF1: 0.4, examples: 72 }, b: { loss: loss.b, accuracy: 0.6, macroF1: 0.6, examples: 72 } } });
    }
    // Yield now and then, as events from a real trainer arrive between other work.
    if (step % 2_000 === 0) await new Promise((resolve) => setTimeout(resolve, 5));
  }
  panel.addEvent({ type: 'run-end', time: time(), status: 'completed', globalStep: STEPS, elapsedMs: Math.round(performance.now() - started) });
}

/** Shows the webview's figures, and keeps them beside THAW_E2E_REPORT for the e2e test. */
export function reportBenchmark(timing: { firstPaintMs: number; updateMs: number[]; points: number }, output: vscode.OutputChannel): void {
  const sorted = [...timing.updateMs].sort((a, b) => a - b);
  const summary = {
    points: timing.points,
    firstPaintMs: Math.round(timing.firstPaintMs),
    updates: sorted.length,
    updateMsMedian: sorted[Math.floor(sorted.length / 2)] ?? 0,
    updateMsMax: sorted.at(-1) ?? 0,
  };
  output.appendLine(`[thaw] panel benchmark: ${JSON.stringify(summary)}`);
  void vscode.window.showInformationMessage(`Thaw: panel benchmark: ${summary.points} points, first paint ${summary.firstPaintMs} ms, update ${summary.updateMsMedian.toFixed(1)} ms median, ${summary.updateMsMax.toFixed(1)} ms max.`);
  writeE2eFigure('panel-benchmark.json', summary);
}
