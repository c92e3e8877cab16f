// Benchmark of the comparison panel's scale goal: "the comparison draws 50 runs of 2,000 steps
// smoothly". Writes 50 synthetic run folders (test/helpers/synthetic-run.ts), builds the host's
// real `comparison` message from them (comparisonMessage with the real summarizer and comparer:
// timed cold, no summary.json yet, and warm), then loads media/compare.js in a static page in
// headless Chromium (VS Code's theme variables on the page, a fake acquireVsCodeApi) and posts
// the message as the host does after `initialized`. Each repeat is a fresh page and measures:
// the first render (message received to every chart drawn, the page's data-first-render-ms), a
// drag-zoom across #chart-loss-a and its redraw, a double-click zoom reset and its redraw, and
// the cost of pointer moves over a chart (the page's synchronous handling, and the round trip of
// each move). Prints one JSON object; without /usr/bin/chromium the browser part is skipped.
//
//   npm run bench:compare         (-- --runs N --steps N --repeats N --keep)

import { existsSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium, type Page } from 'playwright-core';
import { compareRuns } from '../../src/core/runs/compare-runs';
import { summarizeRun } from '../../src/core/runs/summarize-run';
import { comparisonMessage, type ComparisonSources } from '../../src/extension/runs/comparison-message';
import type { ComparisonMessage } from '../../src/protocol/compare-messages';
import { writeSyntheticRun } from '../helpers/synthetic-run';
import { temporaryFolder } from '../helpers/tiny-model';
import { printReport } from './print-report';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '50' }, steps: { type: 'string', default: '2000' }, repeats: { type: 'string', default: '3' }, keep: { type: 'boolean' } } });
const runCount = Number(values.runs);
const steps = Number(values.steps);
const repeats = Math.max(1, Number(values.repeats));
const CHROMIUM = '/usr/bin/chromium';
const MEDIA = path.resolve(__dirname, '../../../media');
const VIEWPORT = { width: 1400, height: 1000 };
const HOVER_MOVES = 10;

const median = (list: number[]) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
const round1 = (value: number) => Math.round(value * 10) / 10;
const figure = (list: number[]) => ({ median: round1(median(list)), all: list.map(round1) });

/** The real summarizer and comparer, as the extension wires them (src/extension/runs/run-store.ts). */
const sources: ComparisonSources = {
  summarize: (folders) => Promise.all(folders.map((folder) => summarizeRun(folder))),
  compare: (summaries) => compareRuns(summaries),
};

/** VS Code's Dark Modern values for the variables media/*.css and the webview read. */
const THEME: Record<string, string> = {
  '--vscode-font-family': '-apple-system, BlinkMacSystemFont, "Segoe UI", "Ubuntu", "Droid Sans", sans-serif',
  '--vscode-font-size': '13px',
  '--vscode-editor-font-family': '"Droid Sans Mono", "monospace", monospace',
  '--vscode-foreground': '#cccccc',
  '--vscode-descriptionForeground': '#9d9d9d',
  '--vscode-disabledForeground': 'rgba(204, 204, 204, 0.5)',
  '--vscode-errorForeground': '#f85149',
  '--vscode-focusBorder': '#0078d4',
  '--vscode-textLink-foreground': '#4daafc',
  '--vscode-editor-background': '#1f1f1f',
  '--vscode-editor-selectionBackground': '#264f78',
  '--vscode-editorCursor-foreground': '#aeafad',
  '--vscode-editorGroup-border': 'rgba(255, 255, 255, 0.09)',
  '--vscode-editorWarning-foreground': '#cca700',
  '--vscode-editorWidget-background': '#202020',
  '--vscode-editorWidget-border': '#313131',
  '--vscode-panel-border': '#2b2b2b',
  '--vscode-list-hoverBackground': '#2a2d2e',
  '--vscode-list-inactiveSelectionBackground': '#37373d',
  '--vscode-badge-background': '#616161',
  '--vscode-badge-foreground': '#f8f8f8',
  '--vscode-inputValidation-errorBackground': '#5a1d1d',
  '--vscode-inputValidation-errorBorder': '#be1100',
  '--vscode-inputValidation-warningBackground': '#352a05',
  '--vscode-inputValidation-warningBorder': '#b89500',
  '--vscode-testing-iconPassed': '#73c991',
  '--vscode-charts-blue': '#3794ff',
  '--vscode-charts-green': '#89d185',
  '--vscode-charts-orange': '#d18616',
  '--vscode-charts-purple': '#b180d7',
  '--vscode-charts-red': '#f14c4c',
  '--vscode-charts-yellow': '#cca700',
};

function writePage(folder: string, message: ComparisonMessage): { page: string; messageBytes: number } {
  const json = JSON.stringify(message);
  writeFileSync(path.join(folder, 'message.js'), `window.thawBenchMessage = ${json};\n`);
  const media = (file: string) => pathToFileURL(path.join(MEDIA, file)).href;
  const theme = Object.entries(THEME).map(([name, value]) => `${name}: ${value};`).join(' ');
  const page = path.join(folder, 'compare.html');
  writeFileSync(
    page,
    `<!DOCTYPE html>
<html lang="en" style='${theme}'>
<head>
  <meta charset="UTF-8">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <link rel="stylesheet" href="${media('uplot.css')}">
  <link rel="stylesheet" href="${media('panel.css')}">
  <link rel="stylesheet" href="${media('compare.css')}">
  <title>Thaw: Compare Runs (benchmark)</title>
  <script>
    // VS Code's webview handle, faked: what the page posts is kept for the benchmark to read.
    const posted = [];
    let state;
    window.acquireVsCodeApi = () => ({ postMessage: (message) => posted.push(message), getState: () => state, setState: (next) => { state = next; } });
    // What the benchmark reads: when each input event reached the page, how long the page's own
    // mousemove handlers took, and when each draw landed (data-draws changed).
    const input = { mouseup: [], dblclick: [], moveHandlerMs: [] };
    addEventListener('mouseup', () => input.mouseup.push(performance.now()), true);
    addEventListener('dblclick', () => input.dblclick.push(performance.now()), true);
    let moveStart = 0;
    addEventListener('mousemove', () => { moveStart = performance.now(); }, true);
    addEventListener('mousemove', () => input.moveHandlerMs.push(performance.now() - moveStart), false);
    const root = () => document.getElementById('compare');
    const drawTimes = [];
    window.thawBench = {
      posted: (type) => posted.some((message) => message.type === type),
      /** Posts the comparison as the host does after \`initialized\`; returns when (page clock). */
      post: () => {
        new MutationObserver(() => drawTimes.push(performance.now())).observe(root(), { attributes: true, attributeFilter: ['data-draws'] });
        const at = performance.now();
        window.postMessage(window.thawBenchMessage, '*');
        return at;
      },
      figure: (name) => (root().dataset[name] === undefined ? null : Number(root().dataset[name])),
      drawTimes: () => drawTimes,
      input: () => input,
      charts: () => [...document.querySelectorAll('#chart-grid .chart')].map((chart) => ({ id: chart.id, series: Number(chart.dataset.series), points: Number(chart.dataset.points) })),
      /** Scrolls the chart's plot area to the viewport's middle; true when its middle is not covered. */
      center: (id) => {
        const over = document.querySelector('#' + id + ' .u-over');
        over.scrollIntoView({ block: 'center' });
        const box = over.getBoundingClientRect();
        return document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2)?.closest('#' + id) !== null;
      },
    };
  </script>
  <script src="message.js"></script>
</head>
<body class="vscode-dark" data-vscode-theme-kind="vscode-dark">
  <div id="app"></div>
  <script src="${media('compare.js')}"></script>
</body>
</html>`,
  );
  return { page, messageBytes: Buffer.byteLength(json) };
}

interface PageFigures {
  readonly firstRenderMs: number;
  readonly postToFirstDrawMs: number;
  readonly charts: { id: string; series: number; points: number }[];
  readonly zoomRedrawMs: number;
  readonly zoomLatencyMs: number;
  readonly resetRedrawMs: number;
  readonly resetLatencyMs: number;
  readonly hoverHandlerMs: number[];
  readonly hoverRoundTripMs: number[];
  readonly renderTimingPosted: boolean;
}

// The page's side is plain script (window.thawBench, in the page): this project's Node code has no DOM types.
const inPage = <T>(page: Page, expression: string) => page.evaluate<T>(expression);
const draws = async (page: Page) => (await inPage<number | null>(page, `thawBench.figure('draws')`)) ?? 0;
const drawTimes = (page: Page) => inPage<number[]>(page, 'thawBench.drawTimes()');
const lastDrawMs = (page: Page) => inPage<number>(page, `thawBench.figure('lastDrawMs')`);

/** Waits for a draw after `before` draws, then for the page to stop drawing (no draw for 300 ms). */
async function settle(page: Page, before: number): Promise<void> {
  await page.waitForFunction(`(thawBench.figure('draws') ?? 0) > ${before}`, undefined, { timeout: 60_000 });
  for (let seen = await draws(page); ; ) {
    await page.waitForTimeout(300);
    const now = await draws(page);
    if (now === seen) return;
    seen = now;
  }
}

async function measurePage(page: Page, url: string): Promise<PageFigures> {
  await page.goto(url, { waitUntil: 'load', timeout: 120_000 });
  await page.waitForFunction(`thawBench.posted('initialized')`);
  const postedAt = await inPage<number>(page, 'thawBench.post()');
  await page.waitForFunction(`thawBench.figure('firstRenderMs') !== null`, undefined, { timeout: 120_000 });
  const firstRenderMs = await inPage<number>(page, `thawBench.figure('firstRenderMs')`);
  const postToFirstDrawMs = (await drawTimes(page))[0] - postedAt;
  await settle(page, 0);
  const charts = await inPage<PageFigures['charts']>(page, 'thawBench.charts()');
  const renderTimingPosted = await inPage<boolean>(page, `thawBench.posted('renderTiming')`);

  // The loss chart of task a, in the middle of the viewport (clear of the sticky legend bar).
  if (!(await inPage<boolean>(page, `thawBench.center('chart-loss-a')`))) throw new Error('the middle of #chart-loss-a is covered');
  const box = await page.locator('#chart-loss-a .u-over').boundingBox();
  if (box === null) throw new Error('#chart-loss-a has no plot area');
  const y = box.y + box.height / 2;
  const at = (fraction: number) => box.x + box.width * fraction;

  // Drag-zoom from 20% to 60% of the x axis.
  await page.mouse.move(at(0.2), y);
  await page.mouse.down();
  await page.mouse.move(at(0.6), y, { steps: 8 });
  let before = await draws(page);
  let drawsSeen = (await drawTimes(page)).length;
  await page.mouse.up();
  await settle(page, before);
  const zoomRedrawMs = await lastDrawMs(page);
  const mouseUp = (await inPage<{ mouseup: number[] }>(page, 'thawBench.input()')).mouseup.at(-1) ?? NaN;
  const zoomLatencyMs = (await drawTimes(page))[drawsSeen] - mouseUp;

  // Double-click resets the zoom.
  before = await draws(page);
  drawsSeen = (await drawTimes(page)).length;
  await page.mouse.dblclick(at(0.5), y);
  await settle(page, before);
  const resetRedrawMs = await lastDrawMs(page);
  const dblclick = (await inPage<{ dblclick: number[] }>(page, 'thawBench.input()')).dblclick.at(-1) ?? NaN;
  const resetLatencyMs = (await drawTimes(page))[drawsSeen] - dblclick;

  // Pointer moves over the chart: the readout of every run, the nearest curve brought forward.
  const movesBefore = (await inPage<{ moveHandlerMs: number[] }>(page, 'thawBench.input()')).moveHandlerMs.length;
  const hoverRoundTripMs: number[] = [];
  for (let move = 0; move < HOVER_MOVES; move++) {
    const started = performance.now();
    await page.mouse.move(at(0.05 + (0.9 * move) / (HOVER_MOVES - 1)), box.y + box.height * (0.3 + 0.04 * move));
    hoverRoundTripMs.push(performance.now() - started);
  }
  const hoverHandlerMs = (await inPage<{ moveHandlerMs: number[] }>(page, 'thawBench.input()')).moveHandlerMs.slice(movesBefore);
  return { firstRenderMs, postToFirstDrawMs, charts, zoomRedrawMs, zoomLatencyMs, resetRedrawMs, resetLatencyMs, hoverHandlerMs, hoverRoundTripMs, renderTimingPosted };
}

async function main(): Promise<void> {
  const workspace = temporaryFolder('thaw-compare-bench-');
  const runs = path.join(workspace.folder, 'runs');
  try {
    const warmUp = Math.round(steps / 10);
    const phases = [
      { name: 'warm-up', steps: warmUp, frozen: ['embeddings', 'layer.0', 'layer.1', 'layer.2', 'layer.3', 'layer.4', 'layer.5'] },
      { name: 'fine-tune', steps: steps - warmUp, frozen: [] },
    ];
    const folders: string[] = [];
    for (let index = 0; index < runCount; index++) {
      const start = new Date(Date.UTC(2026, 10, 1) + index * 3_600_000);
      const id = `${start.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15)}-sweep-${index}`;
      // Curves that differ per run, as a sweep's do.
      const rate = 6_000 + 200 * index;
      const accuracy = (task: 'a' | 'b', step: number) => Math.min(0.99, 0.45 + (index % 7) / 100 + step / rate + (task === 'a' ? 0.1 : 0));
      folders.push(writeSyntheticRun(runs, id, { start, seed: index, phases, validateEvery: 100, checkpointEvery: 500, accuracy, end: 'completed' }));
    }

    // Host side: the run folders read into the panel's message.
    let started = performance.now();
    const message = await comparisonMessage(folders, sources);
    const hostColdMs = performance.now() - started;
    const hostWarmMs: number[] = [];
    for (let round = 0; round < repeats; round++) {
      started = performance.now();
      await comparisonMessage(folders, sources);
      hostWarmMs.push(performance.now() - started);
    }
    if (message.runs.length !== runCount || message.series.length !== runCount) throw new Error('the message does not hold every run');
    const { page: pageFile, messageBytes } = writePage(workspace.folder, message);
    const host = { hostMessageColdMs: round1(hostColdMs), hostMessageWarmMs: figure(hostWarmMs), messageMB: round1(messageBytes / 1e6) };

    if (!existsSync(CHROMIUM)) {
      process.stderr.write(`compare.bench: ${CHROMIUM} is missing, the render part is skipped\n`);
      printReport({ runs: runCount, stepsPerRun: steps, ...host, render: `skipped: ${CHROMIUM} is missing` });
      return;
    }
    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
    const results: PageFigures[] = [];
    try {
      for (let round = 0; round < repeats; round++) {
        const context = await browser.newContext({ viewport: VIEWPORT });
        const page = await context.newPage();
        const errors: string[] = [];
        page.on('pageerror', (error) => errors.push(error.message));
        page.on('console', (entry) => entry.type() === 'error' && errors.push(entry.text()));
        results.push(await measurePage(page, pathToFileURL(pageFile).href));
        await context.close();
        if (errors.length > 0) throw new Error(`the page reported errors: ${errors.join('; ')}`);
      }
    } finally {
      await browser.close();
    }
    const charts = results[0].charts;
    const all = (pick: (result: PageFigures) => number) => figure(results.map(pick));
    printReport({
      runs: runCount,
      stepsPerRun: steps,
      repeats,
      ...host,
      charts: charts.length,
      seriesPerChart: Object.fromEntries(charts.map((chart) => [chart.id, chart.series])),
      pointsPerChart: Object.fromEntries(charts.map((chart) => [chart.id, chart.points])),
      everyChartHasAllRuns: charts.length > 0 && results.every((result) => result.charts.every((chart) => chart.series === runCount)),
      renderTimingPosted: results.every((result) => result.renderTimingPosted),
      firstRenderMs: all((result) => result.firstRenderMs),
      postToFirstDrawMs: all((result) => result.postToFirstDrawMs),
      zoomRedrawMs: all((result) => result.zoomRedrawMs),
      zoomMouseUpToDrawMs: all((result) => result.zoomLatencyMs),
      resetRedrawMs: all((result) => result.resetRedrawMs),
      resetDblclickToDrawMs: all((result) => result.resetLatencyMs),
      hoverHandlerMs: figure(results.flatMap((result) => result.hoverHandlerMs)),
      hoverMoveRoundTripMs: figure(results.flatMap((result) => result.hoverRoundTripMs)),
      viewport: VIEWPORT,
    });
  } finally {
    if (values.keep) process.stderr.write(`kept ${workspace.folder}\n`);
    else workspace.cleanup();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`compare.bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
