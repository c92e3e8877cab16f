// The comparison panel's host side against a stand-in for the 'vscode' module (the real one
// exists only inside VS Code): the page's CSP and resource root, nothing sent before the
// webview's `initialized`, every message from it validated, the comparison read from real run
// folders, CSV saved where the user says, `openRun` handed on, and a reload restoring the same
// runs from the state the webview kept.

import assert from 'node:assert/strict';
import { mkdtempSync, promises as fs } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import type { ComparePanel as ComparePanelClass } from '../../src/extension/runs/compare-panel';
import type { RunSummary } from '../../src/protocol/run-summary';
import { standInCompare, standInSummarize } from '../helpers/compare-stand-in';

interface FakeUri {
  readonly fsPath: string;
  toString(): string;
}
type Listener = (value: unknown) => void;

class FakeWebviewPanel {
  title: string;
  iconPath: unknown;
  visible = true;
  disposed = false;
  readonly posted: unknown[] = [];
  private readonly messageListeners: Listener[] = [];
  private readonly disposeListeners: Listener[] = [];
  readonly webview = {
    html: '',
    options: {} as { localResourceRoots?: FakeUri[]; enableScripts?: boolean },
    cspSource: 'vscode-resource:',
    asWebviewUri: (uri: FakeUri) => ({ toString: () => `vscode-resource:${uri.fsPath}` }),
    postMessage: (message: unknown) => {
      this.posted.push(message);
      return Promise.resolve(true);
    },
    onDidReceiveMessage: (listener: Listener) => this.listen(this.messageListeners, listener),
  };

  constructor(
    readonly viewType: string,
    title: string,
    options: FakeWebviewPanel['webview']['options'],
  ) {
    this.title = title;
    this.webview.options = options;
  }

  onDidChangeViewState = () => ({ dispose: () => undefined });
  onDidDispose = (listener: Listener) => this.listen(this.disposeListeners, listener);
  reveal(): void {}
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.disposeListeners.forEach((listener) => listener(undefined));
  }

  /** The webview sends a message; resolves once the host has handled it (reading runs included). */
  async send(message: unknown): Promise<void> {
    this.messageListeners.forEach((listener) => listener(message));
    await new Promise((resolve) => setTimeout(resolve, 50));
  }

  private listen(listeners: Listener[], listener: Listener) {
    listeners.push(listener);
    return { dispose: () => listeners.splice(listeners.indexOf(listener), 1) };
  }
}

const uri = (fsPath: string): FakeUri => ({ fsPath, toString: () => `file://${fsPath}` });
const created: FakeWebviewPanel[] = [];
const serializers = new Map<string, { deserializeWebviewPanel(panel: FakeWebviewPanel, state: unknown): Promise<void> }>();
let saveTarget: FakeUri | undefined;
const fakeVscode = {
  Uri: { joinPath: (base: FakeUri, ...parts: string[]) => uri(path.join(base.fsPath, ...parts)), file: uri },
  ViewColumn: { Active: -1 },
  window: {
    createWebviewPanel: (viewType: string, title: string, _column: number, options: FakeWebviewPanel['webview']['options']) => {
      const panel = new FakeWebviewPanel(viewType, title, options);
      created.push(panel);
      return panel;
    },
    registerWebviewPanelSerializer: (viewType: string, serializer: { deserializeWebviewPanel(panel: FakeWebviewPanel, state: unknown): Promise<void> }) => {
      serializers.set(viewType, serializer);
      return { dispose: () => serializers.delete(viewType) };
    },
    showSaveDialog: () => Promise.resolve(saveTarget),
    showErrorMessage: () => Promise.resolve(undefined),
  },
};

// 'vscode' resolves to the stand-in for the modules loaded below.
const loader = Module as unknown as { _load(request: string, parent: unknown, isMain: boolean): unknown };
const originalLoad = loader._load.bind(Module);
loader._load = (request, parent, isMain) => (request === 'vscode' ? fakeVscode : originalLoad(request, parent, isMain));
const { ComparePanel } = createRequire(__filename)('../../src/extension/runs/compare-panel') as { ComparePanel: typeof ComparePanelClass };

async function runFolders(): Promise<string[]> {
  const root = mkdtempSync(path.join(tmpdir(), 'thaw-compare-panel-'));
  const time = '2026-12-01T09:00:00.000Z';
  return Promise.all(
    ['20261201-090000-one', '20261201-090100-two'].map(async (id, index) => {
      const folder = path.join(root, id);
      await fs.mkdir(folder);
      await fs.writeFile(path.join(folder, 'experiment.json'), JSON.stringify({ name: id.slice(16), seed: 7 + index, phases: [{ name: 'warm-up', epochs: 1 }] }));
      const events = [
        { time, type: 'step', phase: 'warm-up', phaseIndex: 0, step: 1, totalSteps: 2, globalStep: 1, loss: { a: 1 }, learningRates: { task_a_head: 0.01 }, elapsedMs: 1 },
        { time, type: 'step', phase: 'warm-up', phaseIndex: 0, step: 2, totalSteps: 2, globalStep: 2, loss: { b: 0.5 }, learningRates: { task_a_head: 0.01 }, elapsedMs: 2 },
        { time, type: 'validation', phase: 'warm-up', globalStep: 2, epoch: 1, tasks: { a: { loss: 0.9, accuracy: 0.6, macroF1: 0.5, examples: 4 }, b: { loss: 0.4, accuracy: 0.75, macroF1: 0.7, examples: 4 } } },
        { time, type: 'run-end', status: 'completed', globalStep: 2, elapsedMs: 3 },
      ];
      await fs.writeFile(path.join(folder, 'events.jsonl'), events.map((event) => JSON.stringify(event)).join('\n') + '\n');
      return folder;
    }),
  );
}

function makePanel(opened: RunSummary[] = []) {
  const log: string[] = [];
  const output = { appendLine: (line: string) => log.push(line) };
  const panel = new ComparePanel(uri('/ext') as never, output as never, { summarize: standInSummarize, compare: standInCompare, openRun: (run) => opened.push(run) });
  return { panel, log };
}

test('the page: nonce CSP with default-src none, media/ the only root; nothing sent before initialized', async () => {
  const folders = await runFolders();
  const { panel } = makePanel();
  panel.show(folders);
  const webviewPanel = created.at(-1)!;
  assert.equal(webviewPanel.viewType, 'thaw.compare');
  assert.equal(webviewPanel.title, 'Compare 2 Runs');
  assert.deepEqual(webviewPanel.webview.options.localResourceRoots?.map((root) => root.fsPath), [path.join('/ext', 'media')]);
  const html = webviewPanel.webview.html;
  const nonce = /script-src 'nonce-([^']+)'/.exec(html)?.[1];
  assert.ok(nonce !== undefined && nonce.length >= 16);
  assert.match(html, /default-src 'none'/);
  assert.ok(html.includes(`<script nonce="${nonce}" src="vscode-resource:${path.join('/ext', 'media', 'compare.js')}">`));
  assert.doesNotMatch(html, /unsafe-eval|unsafe-inline|https?:/);
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.deepEqual(webviewPanel.posted, [], 'the host waits for the handshake');

  await webviewPanel.send({ type: 'initialized' });
  assert.equal(webviewPanel.posted.length, 1);
  const comparison = webviewPanel.posted[0] as { type: string; runs: RunSummary[]; differing: Record<string, unknown[]>; series: { runId: string; steps: { globalStep: number[] } }[] };
  assert.equal(comparison.type, 'comparison');
  assert.deepEqual(comparison.runs.map((run) => run.folder), folders);
  assert.deepEqual(Object.keys(comparison.differing).sort(), ['name', 'seed']);
  assert.deepEqual(comparison.series.map((series) => series.steps.globalStep), [[1, 2], [1, 2]]);

  // Showing other runs in the open panel sends them at once.
  panel.show([folders[1]]);
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(created.length, 1, 'one panel, revealed and updated');
  assert.equal(webviewPanel.title, 'Compare 1 Run');
  assert.deepEqual((webviewPanel.posted[webviewPanel.posted.length - 1] as { runs: RunSummary[] }).runs.map((run) => run.folder), [folders[1]]);
  await panel.dispose();
});

test('messages from the webview are validated; CSV is saved where asked; openRun is handed on', async () => {
  created.length = 0;
  const folders = await runFolders();
  const opened: RunSummary[] = [];
  const { panel, log } = makePanel(opened);
  panel.show(folders);
  const webviewPanel = created.at(-1)!;
  await webviewPanel.send({ type: 'initialized' });

  await webviewPanel.send({ type: 'deleteEverything' });
  await webviewPanel.send({ type: 'openRun', runId: 42 });
  assert.equal(log.filter((line) => line.includes('ignored an invalid message')).length, 2);

  await webviewPanel.send({ type: 'openRun', runId: '20261201-090100-two' });
  assert.deepEqual(opened.map((run) => run.id), ['20261201-090100-two']);
  await webviewPanel.send({ type: 'openRun', runId: 'not-compared' });
  assert.equal(opened.length, 1);

  saveTarget = uri(path.join(path.dirname(folders[0]), 'table.csv'));
  await webviewPanel.send({ type: 'exportCsv', csv: 'id,Run\r\nr1,"a, b"\r\n' });
  assert.equal(await fs.readFile(saveTarget.fsPath, 'utf8'), 'id,Run\r\nr1,"a, b"\r\n');
  await panel.dispose();
  assert.ok(webviewPanel.disposed);
});

test('after a reload the serializer restores the runs the webview kept in its state', async () => {
  created.length = 0;
  const folders = await runFolders();
  const { panel } = makePanel();
  panel.registerSerializer();
  const restored = new FakeWebviewPanel('thaw.compare', 'Compare', {});
  await serializers.get('thaw.compare')!.deserializeWebviewPanel(restored, { runFolders: folders, smoothing: 0.5, x: 'epoch' });
  assert.deepEqual(restored.webview.options.localResourceRoots?.map((root) => root.fsPath), [path.join('/ext', 'media')]);
  assert.match(restored.webview.html, /compare\.js/);
  await restored.send({ type: 'initialized' });
  assert.deepEqual((restored.posted[0] as { runs: RunSummary[] }).runs.map((run) => run.folder), folders);

  // A state from elsewhere (or none) restores an empty comparison, not an error.
  const empty = new FakeWebviewPanel('thaw.compare', 'Compare', {});
  await serializers.get('thaw.compare')!.deserializeWebviewPanel(empty, { runFolders: 'nope' });
  await empty.send({ type: 'initialized' });
  assert.deepEqual((empty.posted[0] as { runs: RunSummary[] }).runs, []);
  await panel.dispose();
  assert.equal(serializers.size, 0, 'the serializer is disposed with the panel');
});
