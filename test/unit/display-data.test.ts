// displayData is the last step before uPlot draws: the visible rows of a chart's columns, at most
// about a limit per column, aligned on one x array. These feed it real series (a run's training
// losses through the loss chart's spec, smoothing included) and compare with values worked out
// by hand or by an independent formula.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TrainerEvent } from '../../src/protocol/trainer-events';
import { createChartSpecs } from '../../webview/src/run/chart-specs';
import { displayData } from '../../webview/src/run/display-data';
import { RunData } from '../../webview/src/run/run-data';

const range = (count: number, from = 0) => Array.from({ length: count }, (_, index) => from + index);

function stepEvent(globalStep: number, loss: { a?: number; b?: number }, learningRates: Record<string, number> = {}): TrainerEvent {
  return {
    type: 'step', time: '2026-12-01T09:00:00.000Z', phase: 'warm-up', phaseIndex: 0, step: globalStep, totalSteps: 1000,
    globalStep, loss, learningRates, elapsedMs: globalStep * 10,
  };
}

/** The loss chart's drawn data: [xs, raw A, raw B, smoothed A, smoothed B]. */
function lossChartData(data: RunData, smoothing: number, maxPoints: number, zoom?: { min: number; max: number }) {
  const [lossChart] = createChartSpecs();
  const content = lossChart.content(data, smoothing);
  return displayData(content.xs, content.series.map((series) => series.values), maxPoints, zoom, lossChart.logScale);
}

/** TensorBoard's debiased EMA written differently: the mean of the values so far, each weighted by weight^(its age). */
function weightedMean(values: readonly number[], weight: number): number {
  let total = 0;
  let weights = 0;
  values.forEach((value, index) => {
    const age = values.length - 1 - index;
    total += value * weight ** age;
    weights += weight ** age;
  });
  return total / weights;
}

const close = (actual: number | null, expected: number, message: string) => {
  assert.ok(actual !== null && Math.abs(actual - expected) < 1e-12, `${message}: ${actual} != ${expected}`);
};

test('a two-task run: each task has holes at the other\'s steps, and its smoothed curve skips them', () => {
  const data = new RunData();
  // Task A trains at steps 1, 3, 5 (loss 1, 3, 5); task B at 2, 4 (loss 8, 4).
  [stepEvent(1, { a: 1 }), stepEvent(2, { b: 8 }), stepEvent(3, { a: 3 }), stepEvent(4, { b: 4 }), stepEvent(5, { a: 5 })].forEach((event) => data.add(event));
  const [xs, rawA, rawB, smoothA, smoothB] = lossChartData(data, 0.5, 1000);
  assert.deepEqual(xs, [1, 2, 3, 4, 5]);
  assert.deepEqual(rawA, [1, null, 3, null, 5]);
  assert.deepEqual(rawB, [null, 8, null, 4, null]);
  // Weight 0.5, by hand: A 1 -> 1; (0.5*1 + 3)/1.5 = 2.333...; (0.25*1 + 0.5*3 + 5)/1.75 = 3.857...
  assert.equal(smoothA[1], null);
  assert.equal(smoothA[3], null);
  close(smoothA[0], 1, 'A at 1');
  close(smoothA[2], 7 / 3, 'A at 3');
  close(smoothA[4], 6.75 / 1.75, 'A at 5');
  // B: 8 -> 8; (0.5*8 + 4)/1.5 = 5.333...
  close(smoothB[1], 8, 'B at 2');
  close(smoothB[3], 8 / 1.5, 'B at 4');
  assert.deepEqual([smoothB[0], smoothB[2], smoothB[4]], [null, null, null]);
});

test('zooming shows the rows in the window plus one either side, smoothed over the whole run', () => {
  const data = new RunData();
  const losses = range(100).map((index) => 2 + Math.sin(index) + index / 50);
  // Steps 10, 20, ..., 1000, task A only.
  losses.forEach((loss, index) => data.add(stepEvent(10 * (index + 1), { a: loss })));
  const smoothing = 0.9;

  // Window 255..305: steps 260, 270, ..., 300 inside, 250 and 310 either side.
  const [xs, rawA, rawB, smoothA] = lossChartData(data, smoothing, 1000, { min: 255, max: 305 });
  assert.deepEqual(xs, [250, 260, 270, 280, 290, 300, 310]);
  assert.deepEqual(rawA, losses.slice(24, 31));
  assert.deepEqual(rawB, [null, null, null, null, null, null, null]);
  // The smoothing does not restart at the window's edge: each value averages every step up to it.
  xs.forEach((x, index) => close(smoothA[index], weightedMean(losses.slice(0, x / 10), smoothing), `smoothed at ${x}`));

  // Edges on points, and a window past the end: still one row either side where there is one.
  assert.deepEqual(lossChartData(data, smoothing, 1000, { min: 300, max: 320 })[0], [290, 300, 310, 320, 330]);
  assert.deepEqual(lossChartData(data, smoothing, 1000, { min: 995, max: 2000 })[0], [990, 1000]);
  assert.deepEqual(lossChartData(data, smoothing, 1000, { min: 0, max: 5 })[0], [10]);
});

test('a long run is cut to the limit: first and last kept, each bucket\'s min and max, spikes of every column', () => {
  // 18 steps; column 1 as worked out by hand in downsample.test.ts (limit 10: rows 0 2 3 5 7 9 10 13 17).
  const xs = range(18, 100);
  const first = [5, 3, 7, 1, 4, 2, 2, 9, 6, 8, 0, 5, 5, 4, 4, 4, 4, 6];
  // Column 2 is flat but for a spike at row 15: buckets of rows 1-4, 5-8, 9-12, 13-16 keep rows 1, 5, 9 and 13 + 15.
  const second = first.map((_, index) => (index === 15 ? 50 : 1));
  const [shownXs, shownFirst, shownSecond] = displayData(xs, [first, second], 10);
  const rows = [0, 1, 2, 3, 5, 7, 9, 10, 13, 15, 17];
  assert.deepEqual(shownXs, rows.map((row) => xs[row]));
  assert.deepEqual(shownFirst, rows.map((row) => first[row]));
  assert.deepEqual(shownSecond, rows.map((row) => second[row]));
  assert.ok(shownSecond.includes(50), 'the spike of the flat column survives');

  // 100,000 steps of a real-looking loss with one spike: one column stays within the limit, in
  // order, with both ends and the spike.
  const count = 100_000;
  const steps = range(count, 1);
  const loss = steps.map((step) => (step === 61_234 ? 40 : 0.5 + 1 / Math.sqrt(step)));
  for (const limit of [100, 2000]) {
    const [longXs, longLoss] = displayData(steps, [loss], limit);
    assert.ok(longXs.length <= limit, `${longXs.length} rows for a limit of ${limit}`);
    assert.ok(longXs.length >= limit - 2, `the limit is used: ${longXs.length} of ${limit}`);
    assert.equal(longXs[0], 1);
    assert.equal(longXs.at(-1), count);
    assert.ok(longXs.every((x, index) => index === 0 || x > longXs[index - 1]), 'x in order');
    assert.equal(longLoss[longXs.indexOf(61_234)], 40);
    assert.deepEqual(longLoss, longXs.map((x) => loss[x - 1]), 'each value is the one at its step');
  }

  // The loss chart draws task A raw and smoothed: the union of both columns' picks, so at most
  // twice the limit (both fall steadily here, so mostly the same rows), and the raw spike is still there.
  const data = new RunData();
  steps.forEach((step, index) => data.add(stepEvent(step, { a: loss[index] })));
  const [chartXs, raw] = lossChartData(data, 0.6, 500);
  assert.ok(chartXs.length >= 498 && chartXs.length <= 2 * 500, `${chartXs.length} rows for two columns of at most 500`);
  assert.equal(raw[chartXs.indexOf(61_234)], 40);
});

test('a log-scale chart leaves out rates of zero and below; missing values are null, not 0', () => {
  const data = new RunData();
  // A frozen group's rate is 0 throughout; the head warms up from 0.
  [0, 5e-4, 1e-3].forEach((rate, index) => data.add(stepEvent(index + 1, { a: 1 }, { 'layer.0': 0, task_a_head: rate })));
  const learningRateChart = createChartSpecs()[3];
  const content = learningRateChart.content(data, 0);
  assert.deepEqual(content.series.map((series) => series.style.label), ['task_a_head'], 'a group that never trains gets no line');
  assert.equal(learningRateChart.logScale, true);
  const [xs, headRates] = displayData(content.xs, content.series.map((series) => series.values), 1000, undefined, learningRateChart.logScale);
  // The row stays (the columns share one x array); its zero is a gap, which the line spans.
  assert.deepEqual(xs, [1, 2, 3]);
  assert.deepEqual(headRates, [null, 5e-4, 1e-3]);
  // On a linear scale the zero is kept, and a column with a hole is null there.
  assert.deepEqual(displayData([1, 2, 3], [[0, NaN, -1], undefined], 10), [[1, 3], [0, -1], [null, null]]);
  assert.deepEqual(displayData([1, 2, 3], [[0, 2, -1]], 10, undefined, true), [[1, 2, 3], [null, 2, null]]);
});
