// The comparison panel's host side, built like the training panel's: a webview with a nonce CSP
// whose only resources come from media/, a handshake (the webview says `initialized`, the host
// sends nothing before; what is sent earlier waits in a queue), and every message from the
// webview validated. The webview keeps the compared run folders in its state, so VS Code hands
// them back after a reload (registerSerializer) and the same comparison is read again.

import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { parseCompareWebviewToHost, type CompareHostToWebview, type CompareWebviewToHost } from '../../protocol/compare-messages';
import type { RunSummary } from '../../protocol/run-summary';
import { Disposable } from '../disposable';
import { webviewHtml } from '../webview-page';
import { comparisonMessage, type ComparisonSources } from './comparison-message';
import { runFoldersOf } from './compare-state';

export const COMPARE_VIEW_TYPE = 'thaw.compare';

export interface CompareSources extends ComparisonSources {
  /** Shows the run in the training panel (the webview's "open" on a row). */
  readonly openRun?: (run: RunSummary) => void;
}

export class ComparePanel extends Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private ready = false;
  private queued: CompareHostToWebview[] = [];
  private runFolders: readonly string[] = [];
  /** The scenario report of the sweep being compared, if it is a --scenarios sweep. */
  private report: string | undefined;
  private summaries: readonly RunSummary[] = [];
  /** Bumped by each comparison asked for; a slower, older one is then dropped. */
  private generation = 0;
  private panelListeners: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly output: vscode.OutputChannel,
    private readonly sources: CompareSources,
  ) {
    super();
    this.track({ dispose: () => this.detach() });
  }

  /** Restores the panel VS Code had open before a reload; call once at activation. */
  registerSerializer(): vscode.Disposable {
    return this.track(
      vscode.window.registerWebviewPanelSerializer(COMPARE_VIEW_TYPE, {
        deserializeWebviewPanel: (panel, state: unknown) => {
          this.restore(panel, runFoldersOf(state));
          return Promise.resolve();
        },
      }),
    );
  }

  /** Compares the runs in these folders: opens the panel, or brings it to the front with them. */
  show(runFolders: readonly string[], report?: string): void {
    this.runFolders = [...runFolders];
    this.report = report;
    if (this.panel === undefined) {
      this.attach(vscode.window.createWebviewPanel(COMPARE_VIEW_TYPE, this.title(), vscode.ViewColumn.Active, this.options()));
    } else {
      this.panel.title = this.title();
      this.panel.reveal();
      // A webview that is up gets the new comparison now; one still loading asks with `initialized`.
      if (this.ready) void this.sendComparison();
    }
  }

  /** A panel VS Code restored after a reload, with the run folders its webview had kept. */
  restore(panel: vscode.WebviewPanel, runFolders: readonly string[]): void {
    if (this.panel !== panel) this.panel?.dispose();
    this.runFolders = [...runFolders];
    panel.webview.options = this.options();
    panel.title = this.title();
    this.attach(panel);
  }

  private title(): string {
    return `Compare ${this.runFolders.length} Run${this.runFolders.length === 1 ? '' : 's'}`;
  }

  private options(): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return { enableScripts: true, retainContextWhenHidden: false, localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'media')] };
  }

  private attach(panel: vscode.WebviewPanel): void {
    this.detachListeners();
    this.panel = panel;
    this.ready = false;
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'thaw.svg');
    panel.webview.html = this.html(panel.webview);
    this.panelListeners.push(
      panel.webview.onDidReceiveMessage((message: unknown) => void this.receive(message)),
      // Hidden and shown again: the webview was discarded and starts over with a handshake.
      panel.onDidChangeViewState(() => {
        if (!panel.visible) this.ready = false;
      }),
      panel.onDidDispose(() => {
        if (this.panel === panel) this.panel = undefined;
        this.ready = false;
        this.detachListeners();
      }),
    );
  }

  private async receive(message: unknown): Promise<void> {
    const parsed = parseCompareWebviewToHost(message);
    if (!parsed.ok) {
      this.output.appendLine(`[thaw] ignored an invalid message from the comparison panel: ${parsed.error}`);
      return;
    }
    await this.handle(parsed.value);
  }

  private async handle(message: CompareWebviewToHost): Promise<void> {
    switch (message.type) {
      case 'initialized': {
        this.ready = true;
        const queued = this.queued;
        this.queued = [];
        queued.forEach((waiting) => this.post(waiting));
        return this.sendComparison();
      }
      case 'exportCsv':
        return this.saveCsv(message.csv);
      case 'openRun': {
        const run = this.summaries.find((summary) => summary.id === message.runId);
        if (run === undefined) this.output.appendLine(`[thaw] the comparison panel asked to open ${message.runId}, which it does not show`);
        else this.sources.openRun?.(run);
        return;
      }
      case 'renderTiming':
        this.output.appendLine(`[thaw] comparison of ${message.runs} runs (${message.points} points): first render ${message.firstRenderMs.toFixed(1)} ms`);
        return;
      default:
        message satisfies never;
        this.output.appendLine(`[thaw] unhandled message from the comparison panel: ${JSON.stringify(message)}`);
    }
  }

  /** Reads the runs again (summaries, comparison, curves) and sends them. */
  private async sendComparison(): Promise<void> {
    const generation = ++this.generation;
    try {
      const message = await comparisonMessage(this.runFolders, this.sources);
      if (generation !== this.generation) return;
      this.summaries = message.runs;
      this.post(this.report === undefined ? message : { ...message, report: this.report });
    } catch (error) {
      this.output.appendLine(`[thaw] could not compare the runs: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private async saveCsv(csv: string): Promise<void> {
    const folder = this.runFolders[0] === undefined ? undefined : path.dirname(this.runFolders[0]);
    const target = await vscode.window.showSaveDialog({
      title: 'Export the comparison table',
      filters: { CSV: ['csv'] },
      ...(folder === undefined ? {} : { defaultUri: vscode.Uri.file(path.join(folder, 'comparison.csv')) }),
    });
    if (target === undefined) return;
    try {
      await fs.writeFile(target.fsPath, csv, 'utf8');
      this.output.appendLine(`[thaw] wrote the comparison table to ${target.fsPath}`);
    } catch (error) {
      void vscode.window.showErrorMessage(`Thaw: could not write ${target.fsPath}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private post(message: CompareHostToWebview): void {
    if (this.panel === undefined) return;
    if (this.ready) void this.panel.webview.postMessage(message);
    else this.queued.push(message);
  }

  private html(webview: vscode.Webview): string {
    return webviewHtml(webview, this.extensionUri, { title: 'Thaw: Compare Runs', styles: ['uplot.css', 'panel.css', 'compare.css'], script: 'compare.js' });
  }

  private detachListeners(): void {
    this.panelListeners.forEach((listener) => void listener.dispose());
    this.panelListeners = [];
  }

  private detach(): void {
    this.detachListeners();
    this.queued = [];
    this.panel?.dispose();
    this.panel = undefined;
  }
}
