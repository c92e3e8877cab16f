// The setup tree: an encoder row standing for all encoder groups, its groups indented below it,
// then the task heads. Rows are kept and updated in place across `setup` messages, so a field the
// user is typing in keeps its focus and text; rows are only rebuilt when the model's groups change.

import type { HostToWebview } from '../../../src/protocol/panel-messages';
import { isEncoderGroup } from '../../../src/core/vocabulary/groups';
import { element } from '../shared/dom';
import { encoderFigures, encoderGroupsOf, figuresOf, inTreeOrder } from './encoder-groups';
import { createGroupRow, type GroupRowView } from './group-row';
import { createLayerDecayControl } from './layer-decay-control';
import { postToHost } from '../shared/vscode-api';

type SetupMessage = Extract<HostToWebview, { type: 'setup' }>;

export interface SetupTree {
  readonly element: HTMLDivElement;
  /** `editable` false: the file takes no edits now (it is invalid); the tree shows it read-only. */
  readonly update: (message: SetupMessage, editable: boolean) => void;
  /** Whether some field holds text that is not a valid value (starting a run is blocked then). */
  readonly hasInvalidInput: () => boolean;
}

export function createSetupTree(onValidityChange: () => void): SetupTree {
  const tree = element('div', { id: 'setup-tree', className: 'setup-tree', attributes: { role: 'tree', 'aria-label': 'Parameter groups' } });
  const groupRows = new Map<string, GroupRowView>();

  const postLayerDecay = () => {
    const base = encoderRow.rate.value();
    const factor = layerDecay.factor.value();
    if (base !== undefined && factor !== undefined) postToHost({ type: 'setLayerDecay', base, factor });
  };

  const encoderRow = createGroupRow({
    name: 'encoder',
    indented: false,
    onFreeze: (frozen) => postToHost({ type: 'setFrozen', target: 'encoder', frozen }),
    onRate: (value) => {
      if (layerDecay.isEnabled()) postLayerDecay();
      else postToHost({ type: 'setLearningRate', target: 'encoder', value });
    },
    onValidityChange,
  });
  const layerDecay = createLayerDecayControl({
    onChange: (enabled) => {
      if (enabled) return postLayerDecay();
      // Off means one rate for the whole encoder again: the encoder row's.
      const value = encoderRow.rate.value();
      if (value !== undefined) postToHost({ type: 'setLearningRate', target: 'encoder', value });
    },
    onValidityChange,
  });
  encoderRow.element.append(layerDecay.element);
  encoderRow.element.classList.add('encoder-row');

  const rowFor = (name: string): GroupRowView => {
    const existing = groupRows.get(name);
    if (existing) return existing;
    const created = createGroupRow({
      name,
      indented: isEncoderGroup(name),
      onFreeze: (frozen) => postToHost({ type: 'setFrozen', target: name, frozen }),
      onRate: (value) => postToHost({ type: 'setLearningRate', target: name, value }),
      onValidityChange,
    });
    groupRows.set(name, created);
    return created;
  };

  const update = (message: SetupMessage, editable: boolean) => {
    const groups = inTreeOrder(message.groups);
    const encoderGroups = encoderGroupsOf(groups);
    tree.classList.toggle('read-only', !editable);
    tree.setAttribute('aria-readonly', String(!editable));
    layerDecay.setEnabled(editable);
    const names = new Set(groups.map((group) => group.group));
    for (const name of groupRows.keys()) if (!names.has(name)) groupRows.delete(name);

    const wanted: HTMLElement[] = encoderGroups.length > 0 ? [encoderRow.element] : [];
    if (encoderGroups.length > 0) encoderRow.update(encoderFigures(encoderGroups), editable);
    for (const group of groups) {
      const row = rowFor(group.group);
      row.update(figuresOf(group), editable);
      wanted.push(row.element);
    }
    // Moving a focused element drops its focus, so the rows are re-placed only when they changed.
    const current = Array.from(tree.children);
    if (current.length !== wanted.length || current.some((child, index) => child !== wanted[index])) {
      tree.replaceChildren(...wanted);
      onValidityChange();
    }
  };

  const hasInvalidInput = () =>
    (tree.contains(encoderRow.element) && (!encoderRow.rate.isValid() || (layerDecay.isEnabled() && !layerDecay.factor.isValid()))) ||
    Array.from(groupRows.values()).some((row) => !row.rate.isValid());

  return { element: tree, update, hasInvalidInput };
}
