import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RunHeaderTracker } from '../../src/protocol/run-header';
import { parseWebviewToHost } from '../../src/protocol/panel-messages';
import type { TrainerEvent } from '../../src/protocol/trainer-events';

/** The header once all `events` are seen, in order. */
function runHeaderFrom(events: readonly TrainerEvent[]) {
  const tracker = new RunHeaderTracker();
  events.forEach((event) => tracker.add(event));
  return tracker.current;
}

const time = (seconds: number) => new Date(Date.UTC(2026, 10, 27, 9, 0, seconds)).toISOString();

test('the run header follows the events: phase, step, ETA from the phase pace, warnings, status', () => {
  const events = [
    { type: 'run-start', time: time(0), runId: 'r1', runFolder: '/r', backend: 'backend: wasm', model: { source: 'm', parameterCount: 1, groups: {} }, tasks: {} },
    { type: 'phase-start', time: time(10), phase: 'warm-up', phaseIndex: 0, totalSteps: 10, frozen: [], learningRates: {}, groupHashes: {}, trainsNothing: false, usesEmbeddingCache: true },
    { type: 'step', time: time(12), phase: 'warm-up', phaseIndex: 0, step: 1, totalSteps: 10, globalStep: 1, loss: { a: 1.5 }, learningRates: {}, elapsedMs: 12000 },
    { type: 'step', time: time(14), phase: 'warm-up', phaseIndex: 0, step: 2, totalSteps: 10, globalStep: 2, loss: { a: 1 }, learningRates: {}, elapsedMs: 14000 },
    { type: 'warning', time: time(15), kind: 'frozen-head-drift', message: 'head a drifted' },
  ] as TrainerEvent[];
  const header = runHeaderFrom(events)!;
  // The phase started at 10 s; 2 steps by 14 s: 2 s a step, 8 steps left.
  assert.deepEqual(header, { runId: 'r1', phase: 'warm-up', step: 2, totalSteps: 10, globalStep: 2, elapsedMs: 14000, etaMs: 16000, backend: 'wasm', status: 'running', warnings: ['head a drifted'] });
  const ended = runHeaderFrom([...events, { type: 'run-end', time: time(20), status: 'stopped', globalStep: 3, elapsedMs: 20000 }])!;
  assert.equal(ended.status, 'stopped');
  assert.equal(runHeaderFrom([]), undefined);
});

test('messages from the webview are validated: numbers in range, known targets only', () => {
  assert.ok(parseWebviewToHost({ type: 'setLearningRate', target: 'task_a_head', value: 5e-4 }).ok);
  assert.ok(!parseWebviewToHost({ type: 'setLearningRate', target: 'task_a_head', value: -1 }).ok);
  assert.ok(!parseWebviewToHost({ type: 'setLearningRate', target: 'task_a_head', value: 'abc' }).ok);
  assert.ok(!parseWebviewToHost({ type: 'setLearningRate', target: 'decoder', value: 1e-3 }).ok);
  assert.ok(!parseWebviewToHost({ type: 'start', phase: '' }).ok);
  assert.ok(parseWebviewToHost({ type: 'start', phase: 'fine-tune' }).ok);
  assert.ok(parseWebviewToHost({ type: 'setLayerDecay', base: 2e-5, factor: 0.9 }).ok);
});

test("the run header shows the engine of the current phase, from its phase-start", () => {
  const start = { type: 'run-start', time: time(0), runId: 'r1', runFolder: '/r', backend: 'encoder: onnxruntime 1.14.0 (2 threads), training: onnxruntime 1.14.0 (2 threads)', model: { source: 'm', parameterCount: 1, groups: {} }, tasks: {} };
  const phase = (engine?: string) => ({ type: 'phase-start', time: time(1), phase: 'fine-tune', phaseIndex: 0, totalSteps: 10, frozen: [], learningRates: {}, groupHashes: {}, trainsNothing: false, usesEmbeddingCache: false, ...(engine === undefined ? {} : { engine }) });
  assert.equal(runHeaderFrom([start, phase('onnxruntime')] as TrainerEvent[])!.engine, 'onnxruntime');
  assert.equal(runHeaderFrom([start, phase()] as TrainerEvent[])!.engine, undefined, 'a run from before engines were a choice');
});
