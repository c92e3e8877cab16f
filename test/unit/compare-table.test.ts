// The comparison's pure parts, each against figures worked out by hand: the Pareto front, the
// table's sorting, filtering, deltas against a baseline and its CSV (quoting included), the run
// palette's distinctness, aligning runs' curves, and the comparison protocol's validation.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCompareHostToWebview, parseCompareWebviewToHost } from '../../src/protocol/compare-messages';
import type { RunSummary } from '../../src/protocol/run-summary';
import { csvField, toCsv } from '../../webview/src/compare/csv';
import { alignCurves, OVERLAY_SPECS, phaseBoundaries, valueAt } from '../../webview/src/compare/overlay-data';
import { RUN_PALETTES, runColor, runDash } from '../../webview/src/compare/palette';
import { paretoFront } from '../../webview/src/compare/pareto';
import { cellText, deltaOf, filterRuns, formatDelta, sortRuns, tableColumns, tableCsv } from '../../webview/src/compare/table-model';

function run(id: string, name: string, accuracyA: number | undefined, accuracyB: number, extra: Partial<RunSummary> = {}): RunSummary {
  return {
    id, folder: `/runs/${id}`, name, status: 'completed', steps: 100, phases: ['warm-up'], resumable: false, tags: [], notes: '', color: 0,
    config: { 'phases.warm-up.lr.heads': 0.01, seed: 7 },
    tasks: {
      ...(accuracyA === undefined ? {} : { a: { name: 'question type', final: { accuracy: accuracyA, macroF1: accuracyA - 0.1, loss: 1 - accuracyA, step: 100 }, best: { accuracy: accuracyA, macroF1: accuracyA - 0.1, step: 90 } } }),
      b: { name: 'sentiment', final: { accuracy: accuracyB, macroF1: accuracyB - 0.1, loss: 1 - accuracyB, step: 100 } },
    },
    ...extra,
  };
}

test('the Pareto front keeps the runs no other run beats on both tasks, in x order', () => {
  const points = [
    { id: 'dominated', x: 0.7, y: 0.7 },
    { id: 'best-b', x: 0.6, y: 0.9 },
    { id: 'balanced', x: 0.8, y: 0.8 },
    { id: 'best-a', x: 0.9, y: 0.5 },
    { id: 'equal-a-worse-b', x: 0.9, y: 0.4 },
    { id: 'twin', x: 0.8, y: 0.8 },
    { id: 'nan', x: NaN, y: 1 },
  ];
  assert.deepEqual(paretoFront(points).map((point) => point.id), ['best-b', 'balanced', 'twin', 'best-a']);
  assert.deepEqual(paretoFront([]), []);
  assert.deepEqual(paretoFront([{ x: 0.5, y: 0.5 }]), [{ x: 0.5, y: 0.5 }]);
});

test('CSV fields are quoted when they hold a comma, a quote or a line break; formulas are defused', () => {
  assert.equal(csvField('plain'), 'plain');
  assert.equal(csvField('a,b'), '"a,b"');
  assert.equal(csvField('say "hi"'), '"say ""hi"""');
  assert.equal(csvField('two\nlines'), '"two\nlines"');
  assert.equal(csvField('=HYPERLINK("x")'), `"'=HYPERLINK(""x"")"`);
  assert.equal(csvField(-0.25), '-0.25');
  assert.equal(csvField(undefined), '');
  assert.equal(csvField(NaN), '');
  assert.equal(toCsv(['h1', 'h,2'], [['x', 1], [undefined, 'y"']]), 'h1,"h,2"\r\nx,1\r\n,"y"""\r\n');
});

test('the table sorts by any column (missing values last), filters by words, and shows deltas against a baseline', () => {
  const runs = [run('r1', 'alpha', 0.7, 0.8, { tags: ['sweep'] }), run('r2', 'beta, "the second"', 0.9, 0.6), run('r3', 'gamma', undefined, 0.7, { config: { 'phases.warm-up.lr.heads': 0.005, seed: 7 } })];
  const keys = { differing: { 'phases.warm-up.lr.heads': [0.01, 0.01, 0.005] }, same: { seed: 7 } };
  const columns = tableColumns(runs, keys, false);
  const column = (key: string) => columns.find((candidate) => candidate.key === key)!;
  assert.ok(columns.some((candidate) => candidate.key === 'config:phases.warm-up.lr.heads'));
  assert.ok(!columns.some((candidate) => candidate.key === 'config:seed'), 'only the keys that differ by default');
  assert.ok(tableColumns(runs, keys, true).some((candidate) => candidate.key === 'config:seed'), 'all keys with the toggle');

  const accuracyA = column('a.final.accuracy');
  assert.deepEqual(sortRuns(runs, accuracyA, 'ascending').map((row) => row.id), ['r1', 'r2', 'r3']);
  assert.deepEqual(sortRuns(runs, accuracyA, 'descending').map((row) => row.id), ['r2', 'r1', 'r3']);
  assert.deepEqual(sortRuns(runs, column('name'), 'descending').map((row) => row.id), ['r3', 'r2', 'r1']);
  assert.deepEqual(sortRuns(runs, column('config:phases.warm-up.lr.heads'), 'ascending').map((row) => row.id), ['r3', 'r1', 'r2']);

  assert.deepEqual(filterRuns(runs, columns, 'SWEEP').map((row) => row.id), ['r1']);
  assert.deepEqual(filterRuns(runs, columns, '0.005').map((row) => row.id), ['r3']);
  assert.deepEqual(filterRuns(runs, columns, 'completed a').map((row) => row.id), ['r1', 'r2', 'r3']);
  assert.deepEqual(filterRuns(runs, columns, 'beta gamma').map((row) => row.id), []);

  const baseline = runs[0];
  const better = deltaOf(accuracyA, runs[1], baseline)!;
  assert.ok(Math.abs(better.value - 0.2) < 1e-12);
  assert.equal(better.verdict, 'better');
  assert.equal(formatDelta(accuracyA, better), '+0.2');
  const lossDelta = deltaOf(column('a.final.loss'), runs[1], baseline)!;
  assert.equal(lossDelta.verdict, 'better', 'a lower loss is better');
  assert.equal(deltaOf(column('b.final.accuracy'), runs[1], baseline)?.verdict, 'worse');
  assert.equal(deltaOf(accuracyA, runs[2], baseline), undefined, 'no value, no delta');
  assert.equal(deltaOf(accuracyA, baseline, baseline), undefined, 'the baseline itself has none');
  assert.equal(deltaOf(column('steps'), runs[1], baseline)?.verdict, 'same');
});

test('the Engine column says what trained each phase, and is there only when a run recorded it', () => {
  const onnx = run('r1', 'alpha', 0.7, 0.8, { phases: ['warm-up', 'fine-tune'], phaseEngines: { 'warm-up': ['onnxruntime'], 'fine-tune': ['onnxruntime'] } });
  const switched = run('r2', 'beta', 0.7, 0.8, { phases: ['warm-up', 'fine-tune'], phaseEngines: { 'warm-up': ['tfjs'], 'fine-tune': ['tfjs', 'onnxruntime'] } });
  const older = run('r3', 'gamma', 0.7, 0.8);
  const keys = { differing: {}, same: {} };
  const engine = tableColumns([onnx, switched, older], keys, false).find((column) => column.key === 'engines')!;
  assert.equal(cellText(engine, onnx), 'onnxruntime');
  assert.equal(cellText(engine, switched), 'warm-up: tfjs; fine-tune: tfjs, then onnxruntime');
  assert.equal(cellText(engine, older), '');
  assert.ok(!tableColumns([older], keys, false).some((column) => column.key === 'engines'));
});

test('the CSV of the table is what is shown: the filtered rows in order, quoted names, deltas beside numbers', () => {
  const runs = [run('r1', 'alpha', 0.7, 0.8), run('r2', 'beta, "the second"', 0.9, 0.6)];
  const columns = tableColumns(runs, { differing: {}, same: {} }, false).filter((column) => ['name', 'a.final.accuracy'].includes(column.key));
  const csv = tableCsv(columns, sortRuns(runs, columns[1], 'descending'), runs[0]);
  const lines = csv.split('\r\n');
  assert.equal(lines[0], 'id,Run,A final acc,A final acc Δ vs alpha');
  assert.equal(lines[1], 'r2,"beta, ""the second""",0.9,0.20000000000000007');
  assert.equal(lines[2], 'r1,alpha,0.7,0');
  assert.equal(lines[3], '');
  assert.equal(tableCsv(columns, runs, undefined).split('\r\n')[0], 'id,Run,A final acc');
});

/** CIE76 ΔE between two sRGB hex colors (an independent formula, not the palette's own code). */
function deltaE(first: string, second: string): number {
  const lab = (hex: string) => {
    const [r, g, b] = [1, 3, 5].map((start) => parseInt(hex.slice(start, start + 2), 16) / 255).map((c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
    const xyz = [(0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047, 0.2126 * r + 0.7152 * g + 0.0722 * b, (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883];
    const [fx, fy, fz] = xyz.map((t) => (t > 0.008856 ? Math.cbrt(t) : 7.787 * t + 16 / 116));
    return [116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)];
  };
  const [a, b] = [lab(first), lab(second)];
  return Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
}

const luminance = (hex: string) => {
  const [r, g, b] = [1, 3, 5].map((start) => parseInt(hex.slice(start, start + 2), 16) / 255).map((c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};
const contrast = (a: string, b: string) => (Math.max(luminance(a), luminance(b)) + 0.05) / (Math.min(luminance(a), luminance(b)) + 0.05);

test('the run palette keeps 20 runs apart, in dark and light themes; past 10 runs lines are dashed too', () => {
  for (const [theme, background] of [['dark', '#1f1f1f'], ['light', '#ffffff']] as const) {
    const colors = Array.from({ length: 20 }, (_, index) => runColor(index, theme));
    assert.equal(new Set(colors).size, 20, theme);
    for (let i = 0; i < colors.length; i++) {
      assert.ok(contrast(colors[i], background) >= 2.5, `${theme} color ${i} (${colors[i]}) stands out from the background`);
      for (let j = i + 1; j < colors.length; j++) assert.ok(deltaE(colors[i], colors[j]) >= 15, `${theme} colors ${i} and ${j} differ`);
    }
  }
  assert.equal(RUN_PALETTES.dark.length, 20);
  assert.equal(runDash(3), undefined);
  assert.ok(runDash(12) !== undefined);
  // Runs 0 and 20 share a color; the dash tells them apart, and so on for 100 runs.
  const looks = new Set(Array.from({ length: 100 }, (_, index) => `${runColor(index, 'dark')} ${JSON.stringify(runDash(index))}`));
  assert.equal(looks.size, 100);
});

test('curves of several runs align on the union of their steps; the readout takes each run\'s last point', () => {
  const aligned = alignCurves([
    { runId: 'a', xs: [1, 2, 4], ys: [10, 20, 40] },
    { runId: 'b', xs: [2, 3], ys: [200, 300] },
  ]);
  assert.deepEqual(aligned.xs, [1, 2, 3, 4]);
  assert.deepEqual([...aligned.columns[0]], [10, 20, NaN, 40]);
  assert.deepEqual([...aligned.columns[1]], [NaN, 200, 300, NaN]);
  const curve = { runId: 'a', xs: [1, 2, 4], ys: [10, 20, 40] };
  assert.equal(valueAt(curve, 0.5), undefined);
  assert.equal(valueAt(curve, 3), 20);
  assert.equal(valueAt(curve, 4), 40);

  const series = {
    runId: 'r', color: 0, phases: [{ name: 'warm-up', startStep: 1, endStep: 2 }, { name: 'fine-tune', startStep: 3, endStep: 4 }],
    steps: { globalStep: [1, 2, 3, 4], epoch: [0.5, 1, 1.5, 2], loss: { a: [1, null, 0.5, null] }, learningRates: { task_a_head: [0.01, 0.01, 0.001, 0.001] } },
    validations: { globalStep: [2, 4], epoch: [1, 2], tasks: { a: { loss: [0.9, 0.4], accuracy: [0.5, 0.8], macroF1: [0.4, 0.7] } } },
  };
  const loss = OVERLAY_SPECS.find((spec) => spec.id === 'chart-loss-a')!.curve(series, { x: 'epoch', smoothing: 0, learningRateGroup: undefined });
  assert.deepEqual(loss, { runId: 'r', xs: [0.5, 1.5], ys: [1, 0.5] }, "a task's loss skips the other task's steps");
  const rate = OVERLAY_SPECS.find((spec) => spec.id === 'chart-learning-rate')!.curve(series, { x: 'step', smoothing: 0, learningRateGroup: 'task_a_head' });
  assert.deepEqual(rate.ys, [0.01, 0.01, 0.001, 0.001]);
  assert.deepEqual(phaseBoundaries([series, { ...series, runId: 's' }], 'step'), [
    { x: 1, phase: 'warm-up', runIds: ['r', 's'] },
    { x: 3, phase: 'fine-tune', runIds: ['r', 's'] },
  ]);
});

test('comparison messages are validated in both directions', () => {
  assert.ok(parseCompareWebviewToHost({ type: 'initialized' }).ok);
  assert.ok(parseCompareWebviewToHost({ type: 'exportCsv', csv: 'a,b\r\n' }).ok);
  assert.ok(!parseCompareWebviewToHost({ type: 'exportCsv' }).ok);
  assert.ok(!parseCompareWebviewToHost({ type: 'openRun', runId: '' }).ok);
  assert.ok(!parseCompareWebviewToHost({ type: 'deleteRun', runId: 'r1' }).ok);
  const series = {
    runId: 'r1', color: 0, phases: [{ name: 'warm-up', startStep: 1, endStep: 2 }],
    steps: { globalStep: [1, 2], epoch: [0.5, null], loss: { a: [1, null] }, learningRates: { task_a_head: [0.01, 0.01] } },
    validations: { globalStep: [2], epoch: [1], tasks: { a: { loss: [0.5], accuracy: [0.8], macroF1: [0.7] } } },
  };
  const message = { type: 'comparison', runs: [run('r1', 'alpha', 0.8, 0.7)], differing: {}, same: { seed: 7 }, series: [series] };
  assert.ok(parseCompareHostToWebview(message).ok);
  const ragged = { ...message, series: [{ ...series, steps: { ...series.steps, loss: { a: [1] } } }] };
  const refused = parseCompareHostToWebview(ragged);
  assert.ok(!refused.ok && /one value per step/.test(refused.error));
  assert.ok(!parseCompareHostToWebview({ ...message, series: [{ ...series, color: -1 }] }).ok);
  assert.ok(!parseCompareHostToWebview({ ...message, runs: [{ ...message.runs[0], status: 'exploded' }] }).ok);
  assert.ok(parseCompareHostToWebview({ ...message, report: 'scenario  n\nrecipe    1' }).ok, 'a scenario report is text');
  assert.ok(!parseCompareHostToWebview({ ...message, report: { recipe: 1 } }).ok);
});
