// The Model view: the encoder (embeddings, each layer) and the two heads, each with a native
// checkbox (checked = frozen), its parameter count and learning rate. It only draws the freeze
// state and forwards clicks to it.

import * as vscode from 'vscode';
import type { GroupName } from '../trainer/model/parameter-groups';
import type { FreezeState } from './freeze-state';

type Node = { readonly kind: 'encoder' } | { readonly kind: 'group'; readonly group: GroupName };

/** 2e-5 rather than 0.00002: how learning rates are written in papers and configs. */
export function formatRate(rate: number): string {
  return rate !== 0 && rate < 0.01 ? rate.toExponential().replace(/\.?0+e/, 'e') : String(rate);
}

function formatCount(count: number): string {
  if (count === 0) return '? params';
  if (count < 1e3) return `${count} params`;
  return count >= 1e6 ? `${(count / 1e6).toFixed(2)}M params` : `${(count / 1e3).toFixed(1)}k params`;
}

export class ModelTree implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changeEmitter.event;
  private readonly view: vscode.TreeView<Node>;
  private readonly disposables: vscode.Disposable[] = [];
  private state: FreezeState | undefined;
  private unsubscribe: (() => void) | undefined;

  constructor() {
    this.view = vscode.window.createTreeView('thaw.model', { treeDataProvider: this, manageCheckboxStateManually: true, showCollapseAll: false });
    this.disposables.push(this.view, this.changeEmitter, this.view.onDidChangeCheckboxState((event) => this.onCheckboxes(event)));
  }

  /** Shows `state` (or a hint when there is no experiment). */
  show(state: FreezeState | undefined, experimentName?: string): void {
    this.unsubscribe?.();
    this.state = state;
    this.unsubscribe = state?.onDidChange(() => this.refresh());
    this.view.description = experimentName;
    this.refresh();
  }

  private refresh(): void {
    const state = this.state;
    this.view.message =
      state === undefined
        ? 'No experiment selected: run "Thaw: New Experiment" or "Thaw: Select Experiment...".'
        : state.totalParameters() === 0
          ? 'Parameter counts appear once the model folder is available. Checked = frozen.'
          : `Trainable: ${formatCount(state.trainableParameters()).replace(' params', '')} of ${formatCount(state.totalParameters()).replace(' params', '')} parameters. Checked = frozen.`;
    this.changeEmitter.fire(undefined);
  }

  private onCheckboxes(event: vscode.TreeCheckboxChangeEvent<Node>): void {
    const state = this.state;
    if (state === undefined) return;
    for (const [node, checkbox] of event.items) {
      const frozen = checkbox === vscode.TreeItemCheckboxState.Checked;
      state.setFrozen(node.kind === 'encoder' ? 'encoder' : node.group, frozen);
    }
  }

  getChildren(node?: Node): Node[] {
    const state = this.state;
    if (state === undefined) return [];
    if (node === undefined) return [{ kind: 'encoder' }, ...state.headGroups.map((group): Node => ({ kind: 'group', group }))];
    if (node.kind === 'encoder') return state.encoderGroups.map((group) => ({ kind: 'group', group }));
    return [];
  }

  getTreeItem(node: Node): vscode.TreeItem {
    const state = this.state!;
    if (node.kind === 'encoder') {
      const freeze = state.encoderFreeze();
      const count = state.encoderGroups.reduce((sum, group) => sum + state.parameterCount(group), 0);
      const item = new vscode.TreeItem('encoder', vscode.TreeItemCollapsibleState.Expanded);
      item.id = 'encoder';
      item.description = `${formatCount(count)} · ${freeze === 'partial' ? 'partly frozen' : freeze}`;
      // A partly frozen encoder shows unchecked, with its state spelt out beside it.
      item.checkboxState = freeze === 'frozen' ? vscode.TreeItemCheckboxState.Checked : vscode.TreeItemCheckboxState.Unchecked;
      item.tooltip = 'The shared BERT encoder. Check to freeze all of it; expand to freeze single layers.';
      item.contextValue = 'encoder';
      return item;
    }
    const item = new vscode.TreeItem(node.group, vscode.TreeItemCollapsibleState.None);
    item.id = node.group;
    const frozen = state.isFrozen(node.group);
    item.description = `${formatCount(state.parameterCount(node.group))} · ${frozen ? 'frozen' : `lr ${formatRate(state.learningRate(node.group))}`}`;
    item.checkboxState = frozen ? vscode.TreeItemCheckboxState.Checked : vscode.TreeItemCheckboxState.Unchecked;
    item.tooltip = `${node.group}: ${frozen ? 'frozen (its weights do not change)' : `trains at learning rate ${formatRate(state.learningRate(node.group))}`}`;
    item.contextValue = 'group';
    return item;
  }

  dispose(): void {
    this.unsubscribe?.();
    this.disposables.forEach((disposable) => void disposable.dispose());
  }
}
