// The Runs view: the runs of the selected experiment's runs folder, newest first, each with a
// status icon, its phases and final validation accuracy per task; a fine-tune started from a
// warm-up's checkpoint shows under that warm-up. It draws summaries (src/protocol/run-summary)
// and nothing else: every fact comes from the run folders.

import * as path from 'node:path';
import * as vscode from 'vscode';
import { formatDuration, formatMetric, formatPhaseEngines } from '../../core/vocabulary/format';
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
  // The backend line is the last invocation's; a phase resumed on the other engine shows here.
  const engines = formatPhaseEngines(summary.phaseEngines);
  if (engines !== undefined) lines.push(`- trained by ${engines}`);
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

/** A row of the view: a run, or a sweep holding its runs. */
export type RunsNode = { readonly kind: 'run'; readonly run: RunSummary } | { readonly kind: 'sweep'; readonly id: string; readonly runs: readonly RunSummary[] };

/** A sweep's variants are its runs that no other run of it continues from (the branch ends). */
export function sweepVariantRuns(runs: readonly RunSummary[]): RunSummary[] {
  return runs.filter((run) => run.sweep?.shared !== true);
}

export class RunsTree extends Disposable implements vscode.TreeDataProvider<RunsNode> {
  private readonly changeEmitter = this.track(new vscode.EventEmitter<undefined>());
  readonly onDidChangeTreeData = this.changeEmitter.event;
  readonly view: vscode.TreeView<RunsNode>;
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

  /** The runs a command acts on: those it was invoked on, else the view's selection; a sweep stands for its variants. */
  selected(clicked?: unknown, all?: unknown): RunSummary[] {
    const nodes = Array.isArray(all) && all.length > 0 ? (all as RunsNode[]) : isNode(clicked) ? [clicked] : [...this.view.selection];
    const runs = nodes.flatMap((node) => (node.kind === 'run' ? [node.run] : sweepVariantRuns(node.runs)));
    return runs.filter((run, index) => runs.findIndex((other) => other.folder === run.folder) === index);
  }

  private parentOf(run: RunSummary): RunSummary | undefined {
    const from = run.forkedFrom?.run;
    return from === undefined ? undefined : this.runs.find((candidate) => candidate.folder === from || candidate.id === path.basename(from));
  }

  getChildren(parent?: RunsNode): RunsNode[] {
    const asNodes = (runs: readonly RunSummary[]) => runs.map((run): RunsNode => ({ kind: 'run', run }));
    if (parent?.kind === 'sweep') return asNodes(parent.runs.filter((run) => this.parentOf(run)?.sweep?.id !== parent.id));
    if (parent?.kind === 'run') return asNodes(this.runs.filter((run) => this.parentOf(run)?.folder === parent.run.folder));
    // The top level: each sweep once (where its newest run stands), and the runs of no sweep with no parent here.
    const nodes: RunsNode[] = [];
    for (const run of this.runs) {
      const sweep = run.sweep?.id;
      if (sweep !== undefined) {
        if (!nodes.some((node) => node.kind === 'sweep' && node.id === sweep)) nodes.push({ kind: 'sweep', id: sweep, runs: this.runs.filter((other) => other.sweep?.id === sweep) });
      } else if (this.parentOf(run) === undefined) nodes.push({ kind: 'run', run });
    }
    return nodes;
  }

  getParent(node: RunsNode): RunsNode | undefined {
    if (node.kind === 'sweep') return undefined;
    const parent = this.parentOf(node.run);
    if (parent !== undefined && parent.sweep?.id === node.run.sweep?.id) return { kind: 'run', run: parent };
    const sweep = node.run.sweep?.id;
    return sweep === undefined ? (parent === undefined ? undefined : { kind: 'run', run: parent }) : { kind: 'sweep', id: sweep, runs: this.runs.filter((other) => other.sweep?.id === sweep) };
  }

  getTreeItem(node: RunsNode): vscode.TreeItem {
    if (node.kind === 'sweep') return sweepItem(node.id, node.runs);
    const run = node.run;
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

function isNode(value: unknown): value is RunsNode {
  return typeof value === 'object' && value !== null && 'kind' in value && ((value as RunsNode).kind === 'run' || (value as RunsNode).kind === 'sweep');
}

/** A sweep: its variants done out of all, and what is running. */
function sweepItem(id: string, runs: readonly RunSummary[]): vscode.TreeItem {
  const variants = sweepVariantRuns(runs);
  const done = variants.filter((run) => run.status === 'completed').length;
  const running = runs.find((run) => run.status === 'running');
  const item = new vscode.TreeItem(`Sweep ${id}`, vscode.TreeItemCollapsibleState.Collapsed);
  item.id = `sweep:${id}`;
  item.iconPath = new vscode.ThemeIcon(running !== undefined ? 'loading~spin' : 'beaker');
  item.description = `${done}/${variants.length} variants done${running?.progress === undefined ? '' : ` · ${running.name} ${running.progress.phase} ${running.progress.step}/${running.progress.totalSteps}`}`;
  item.tooltip = `${runs.length} runs (${variants.length} variants${runs.length > variants.length ? `, ${runs.length - variants.length} shared` : ''}). Compare Runs on the sweep compares its variants.`;
  item.contextValue = 'thawSweep';
  return item;
}
