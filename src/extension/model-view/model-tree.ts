// The Model view: the encoder (embeddings, each layer) and the two heads of the selected
// experiment's model, each with a native checkbox (checked = frozen in the selected phase), its
// parameter count and learning rate. It draws the experiment snapshot and turns clicks into
// edits of the file; its title's description names the file and the phase.

import * as vscode from 'vscode';
import { formatLearningRate, formatParameterCount } from '../../core/vocabulary/format';
import { isHead, type GroupName } from '../../core/vocabulary/groups';
import type { PhaseChange } from '../../core/experiment/phase-edits';
import type { GroupSetting } from '../../core/experiment/phase-view';
import { Disposable } from '../disposable';
import { encoderFreeze, parameterCount, totalParameters, trainableParameters, type ExperimentSnapshot } from '../experiment/experiment-snapshot';

type Node = { readonly kind: 'encoder' } | { readonly kind: 'group'; readonly group: GroupName } | { readonly kind: 'problem' };

function countText(count: number): string {
  return count === 0 ? '? params' : `${formatParameterCount(count)} params`;
}

function rateText(setting: GroupSetting): string {
  if (setting.learningRate === undefined) return setting.frozen ? 'frozen' : 'no rate';
  const rate = `lr ${formatLearningRate(setting.learningRate)}`;
  return setting.frozen ? `frozen (${rate} kept)` : rate;
}

export class ModelTree extends Disposable implements vscode.TreeDataProvider<Node> {
  private readonly changeEmitter = this.track(new vscode.EventEmitter<Node | undefined>());
  readonly onDidChangeTreeData = this.changeEmitter.event;
  private readonly view: vscode.TreeView<Node>;
  private snapshot: ExperimentSnapshot | undefined;

  constructor(private readonly onEdit: (change: PhaseChange) => void) {
    super();
    this.view = this.track(vscode.window.createTreeView('thaw.model', { treeDataProvider: this, manageCheckboxStateManually: true, showCollapseAll: false }));
    this.track(this.view.onDidChangeCheckboxState((event) => this.onCheckboxes(event)));
  }

  /** Shows the selected experiment (or the welcome text when there is none). */
  show(snapshot: ExperimentSnapshot | undefined): void {
    this.snapshot = snapshot;
    const file = snapshot === undefined ? undefined : vscode.workspace.asRelativePath(snapshot.file);
    this.view.description = snapshot?.selectedPhase === undefined ? file : `${file} · ${snapshot.selectedPhase}`;
    this.view.message = this.message(snapshot);
    void vscode.commands.executeCommand('setContext', 'thaw.hasExperiment', snapshot !== undefined);
    this.changeEmitter.fire(undefined);
  }

  private message(snapshot: ExperimentSnapshot | undefined): string | undefined {
    if (snapshot === undefined) return undefined; // the welcome view says what to do
    if (snapshot.problem !== undefined) return `${vscode.workspace.asRelativePath(snapshot.file)} is not a valid experiment${snapshot.problem.line === undefined ? '' : ` (line ${snapshot.problem.line})`}. Click the problem to go to it:`;
    if (snapshot.modelProblem !== undefined) return `The model's layers are unknown: ${snapshot.modelProblem}`;
    const phase = `Phase "${snapshot.selectedPhase ?? '?'}". Checked = frozen.`;
    const total = totalParameters(snapshot);
    if (total === 0) return `${phase} Parameter counts appear once the model folder is available.`;
    return `Trainable: ${formatParameterCount(trainableParameters(snapshot))} of ${formatParameterCount(total)} parameters. ${phase}`;
  }

  private onCheckboxes(event: vscode.TreeCheckboxChangeEvent<Node>): void {
    for (const [node, checkbox] of event.items) {
      if (node.kind === 'problem') continue;
      this.onEdit({ kind: 'freeze', target: node.kind === 'encoder' ? 'encoder' : node.group, frozen: checkbox === vscode.TreeItemCheckboxState.Checked });
    }
  }

  getChildren(node?: Node): Node[] {
    const settings = this.snapshot?.settings ?? [];
    // An invalid file: its first problem, a click away from its line, instead of an empty tree.
    if (node === undefined && this.snapshot?.problem !== undefined) return [{ kind: 'problem' }];
    if (node === undefined) return settings.length === 0 ? [] : [{ kind: 'encoder' }, ...settings.filter((setting) => isHead(setting.group)).map((setting): Node => ({ kind: 'group', group: setting.group }))];
    if (node.kind === 'encoder') return settings.filter((setting) => !isHead(setting.group)).map((setting) => ({ kind: 'group', group: setting.group }));
    return [];
  }

  getTreeItem(node: Node): vscode.TreeItem {
    const snapshot = this.snapshot!;
    if (node.kind === 'problem') return problemItem(snapshot);
    if (node.kind === 'encoder') {
      const freeze = encoderFreeze(snapshot);
      const count = snapshot.settings.filter((setting) => !isHead(setting.group)).reduce((sum, setting) => sum + parameterCount(snapshot, setting.group), 0);
      const item = new vscode.TreeItem('encoder', vscode.TreeItemCollapsibleState.Expanded);
      // Ids carry the phase: another phase is another set of items, which VS Code then draws anew.
      item.id = `${snapshot.selectedPhase}:encoder`;
      item.description = `${countText(count)} · ${freeze === 'partial' ? 'partly frozen' : freeze}`;
      // A partly frozen encoder shows unchecked, with its state spelt out beside it.
      item.checkboxState = freeze === 'frozen' ? vscode.TreeItemCheckboxState.Checked : vscode.TreeItemCheckboxState.Unchecked;
      item.tooltip = 'The shared BERT encoder. Check to freeze all of it; expand to freeze single layers.';
      item.contextValue = 'encoder';
      return item;
    }
    const group = node.group;
    const setting = snapshot.settings.find((candidate) => candidate.group === group)!;
    const item = new vscode.TreeItem(node.group, vscode.TreeItemCollapsibleState.None);
    item.id = `${snapshot.selectedPhase}:${node.group}`;
    item.description = `${countText(parameterCount(snapshot, node.group))} · ${rateText(setting)}`;
    item.checkboxState = setting.frozen ? vscode.TreeItemCheckboxState.Checked : vscode.TreeItemCheckboxState.Unchecked;
    const inherited = setting.learningRateFrom === 'alias' ? ` (from ${isHead(node.group) ? 'heads' : 'encoder'})` : '';
    item.tooltip = setting.frozen
      ? `${node.group}: frozen in "${snapshot.selectedPhase}" (its weights do not change)`
      : `${node.group}: trains in "${snapshot.selectedPhase}" at learning rate ${setting.learningRate === undefined ? '(none set)' : formatLearningRate(setting.learningRate)}${inherited}`;
    item.contextValue = 'group';
    return item;
  }
}

/** The file's first problem as a row: a click opens the file at its line. */
function problemItem(snapshot: ExperimentSnapshot): vscode.TreeItem {
  const problem = snapshot.problem!;
  const line = Math.max(0, (problem.line ?? 1) - 1);
  // The view's message already says the file is invalid: the row starts with what is wrong.
  const item = new vscode.TreeItem(problem.message.replace(/^invalid experiment: /, ''), vscode.TreeItemCollapsibleState.None);
  item.id = 'problem';
  item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
  item.description = `${vscode.workspace.asRelativePath(snapshot.file)}${problem.line === undefined ? '' : `:${problem.line}`}`;
  item.tooltip = `${problem.message}\nClick to open ${vscode.workspace.asRelativePath(snapshot.file)} at line ${line + 1}.`;
  item.contextValue = 'problem';
  item.command = { title: 'Open at the Problem', command: 'vscode.open', arguments: [vscode.Uri.file(snapshot.file), { selection: new vscode.Range(line, 0, line, 0) } satisfies vscode.TextDocumentShowOptions] };
  return item;
}
