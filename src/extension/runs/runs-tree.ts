// The Runs view: the runs of the selected experiment's runs folder, newest first, each with a
// status icon, its phases and final validation accuracy per task; a fine-tune started from a
// warm-up's checkpoint shows under that warm-up. It draws summaries (src/protocol/run-summary)
// and nothing else: every fact comes from the run folders.

import * as path from 'node:path';
import * as vscode from 'vscode';
import { formatDuration, formatMetric } from '../../core/vocabulary/format';
import type { RunStatus, RunSummary } from '../../protocol/run-summary';
import { Disposable } from '../disposable';

const STATUS_ICONS: Readonly<Record<RunStatus, vscode.ThemeIcon>> = {
  running: new vscode.ThemeIcon('loading~spin'),
  completed: new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')),
  stopped: new vscode.ThemeIcon('debug-pause'),
  failed: new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed')),
  interrupted: new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground')),
  damaged: new vscode.ThemeIcon('circle-slash'),
};

function formatBytes(bytes: number): string {
  if (bytes < 1024 ** 2) return `${Math.round(bytes / 1024)} kB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GB`;
}

/** What the view's description says of a run: phases, progress or final accuracy per task. */
export function runDescription(summary: RunSummary): string {
  const parts = [summary.phases.join(' → ') || summary.status];
  if (summary.status === 'running' && summary.progress !== undefined) parts.push(`${summary.progress.phase} ${summary.progress.step}/${summary.progress.totalSteps}`);
  for (const [task, result] of Object.entries(summary.tasks)) {
    if (result?.final !== undefined) parts.push(`${task.toUpperCase()} ${formatMetric(result.final.accuracy)}`);
  }
  if (summary.tags.length > 0) parts.push(summary.tags.map((tag) => `#${tag}`).join(' '));
  return parts.join(' · ');
}

function runTooltip(summary: RunSummary): vscode.MarkdownString {
  const lines = [`**${summary.name}** — ${summary.status}${summary.problem === undefined ? '' : `: ${summary.problem}`}`, '', `\`${summary.id}\``, ''];
  if (summary.startedAt !== undefined) lines.push(`- started ${summary.startedAt}${summary.durationMs === undefined ? '' : `, ran ${formatDuration(summary.durationMs)}`}`);
  lines.push(`- ${summary.steps} steps${summary.phases.length > 0 ? ` in ${summary.phases.join(', ')}` : ''}${summary.backend === undefined ? '' : ` on ${summary.backend}`}`);
  for (const [task, result] of Object.entries(summary.tasks)) {
    if (result?.final === undefined) continue;
    const best = result.best === undefined ? '' : `, best ${formatMetric(result.best.accuracy)} at step ${result.best.step}`;
    lines.push(`- task ${task} (${result.name}): accuracy ${formatMetric(result.final.accuracy)}, macro-F1 ${formatMetric(result.final.macroF1)}${best}`);
  }
  if (summary.forkedFrom !== undefined) lines.push(`- started from ${path.basename(summary.forkedFrom.run)} (${path.basename(summary.forkedFrom.checkpoint)})`);
  if (summary.sizeBytes !== undefined) lines.push(`- ${formatBytes(summary.sizeBytes)} on disk`);
  if (summary.tags.length > 0) lines.push(`- tags: ${summary.tags.join(', ')}`);
  if (summary.notes !== '') lines.push('', summary.notes);
  return new vscode.MarkdownString(lines.join('\n'));
}

export class RunsTree extends Disposable implements vscode.TreeDataProvider<RunSummary> {
  private readonly changeEmitter = this.track(new vscode.EventEmitter<undefined>());
  readonly onDidChangeTreeData = this.changeEmitter.event;
  readonly view: vscode.TreeView<RunSummary>;
  private runs: readonly RunSummary[] = [];

  constructor() {
    super();
    this.view = this.track(vscode.window.createTreeView('thaw.runs', { treeDataProvider: this, canSelectMany: true, showCollapseAll: true }));
  }

  show(runs: readonly RunSummary[]): void {
    this.runs = runs;
    this.view.description = runs.length === 0 ? undefined : `${runs.length} run${runs.length === 1 ? '' : 's'}`;
    void vscode.commands.executeCommand('setContext', 'thaw.hasRuns', runs.length > 0);
    this.changeEmitter.fire(undefined);
  }

  /** The runs a command acts on: those it was invoked on, else the view's selection. */
  selected(clicked?: unknown, all?: unknown): RunSummary[] {
    if (Array.isArray(all) && all.length > 0) return all as RunSummary[];
    if (clicked !== undefined && typeof clicked === 'object' && clicked !== null && 'folder' in clicked) return [clicked as RunSummary];
    return [...this.view.selection];
  }

  private parentOf(run: RunSummary): RunSummary | undefined {
    const from = run.forkedFrom?.run;
    return from === undefined ? undefined : this.runs.find((candidate) => candidate.folder === from || candidate.id === path.basename(from));
  }

  getChildren(parent?: RunSummary): RunSummary[] {
    return this.runs.filter((run) => this.parentOf(run)?.folder === parent?.folder);
  }

  getParent(run: RunSummary): RunSummary | undefined {
    return this.parentOf(run);
  }

  getTreeItem(run: RunSummary): vscode.TreeItem {
    const hasChildren = this.runs.some((candidate) => this.parentOf(candidate)?.folder === run.folder);
    const item = new vscode.TreeItem(run.name, hasChildren ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
    item.id = run.folder;
    item.description = runDescription(run);
    item.tooltip = runTooltip(run);
    item.iconPath = STATUS_ICONS[run.status];
    // Menus choose their actions by these words (package.json: viewItem =~ /\bresumable\b/ ...).
    const words = ['thawRun', run.status];
    if (run.resumable && run.status !== 'running') words.push('resumable');
    if (run.phases.includes('warm-up') && run.status !== 'running' && run.status !== 'damaged') words.push('warmUp');
    item.contextValue = words.join(' ');
    return item;
  }
}
