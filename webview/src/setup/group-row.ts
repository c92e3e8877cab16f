// One row of the setup tree: freeze checkbox, group name, parameter count, learning-rate field.
// The checkbox shows the host's freeze state; a click asks the host to change it, and the host's
// next `setup` message is what the row then shows.

import type { Checkbox } from '@vscode/webview-ui-toolkit';
import { element, setText } from '../shared/dom';
import { formatLearningRate, formatParameterCount } from '../../../src/core/vocabulary/format';
import { parseLearningRate } from './learning-rate-text';
import { createValidatedField, type ValidatedField } from './validated-field';

/** How much of a row is frozen: the encoder row stands for many groups, so it can be partly frozen. */
export type FreezeState = 'frozen' | 'trainable' | 'partly';

export interface GroupRowFigures {
  readonly freeze: FreezeState;
  readonly parameterCount: number;
  readonly learningRate: number;
  /** The rates differ between the groups the row stands for; the field then shows the highest. */
  readonly mixedRates?: boolean;
}

export interface GroupRowView {
  readonly element: HTMLDivElement;
  readonly rate: ValidatedField;
  readonly update: (figures: GroupRowFigures) => void;
}

export interface GroupRowOptions {
  readonly name: string;
  readonly indented: boolean;
  readonly onFreeze: (frozen: boolean) => void;
  readonly onRate: (rate: number) => void;
  readonly onValidityChange: () => void;
}

export function createGroupRow(options: GroupRowOptions): GroupRowView {
  const freeze = element('vscode-checkbox', { className: 'freeze', attributes: { 'aria-label': `Freeze ${options.name}`, title: 'Frozen' } });
  const count = element('span', { className: 'parameter-count' });
  const rate = createValidatedField({
    fieldClass: 'lr',
    errorClass: 'lr-error',
    label: `Learning rate of ${options.name}`,
    parse: parseLearningRate,
    onCommit: options.onRate,
    onValidityChange: options.onValidityChange,
  });
  const row = element(
    'div',
    { className: options.indented ? 'group-row child' : 'group-row', attributes: { 'data-group': options.name, role: 'treeitem' } },
    freeze,
    element('span', { className: 'group-name', text: options.name }),
    count,
    rate.field,
    rate.error,
  );

  // The toolkit checkbox fires `change` for programmatic changes too; only the user's are requests.
  let showingHostState = false;
  freeze.addEventListener('change', () => {
    if (!showingHostState) options.onFreeze(freeze.checked);
  });

  return {
    element: row,
    rate,
    update: (figures) => {
      showingHostState = true;
      showFreezeState(freeze, figures.freeze);
      showingHostState = false;
      row.classList.toggle('frozen', figures.freeze === 'frozen');
      setText(count, formatParameterCount(figures.parameterCount));
      count.title = `${figures.parameterCount.toLocaleString()} parameters`;
      rate.showValue(formatLearningRate(figures.learningRate), figures.mixedRates ? 'Rates differ between layers; this is the highest' : undefined);
    },
  };
}

function showFreezeState(freeze: Checkbox, state: FreezeState): void {
  freeze.checked = state === 'frozen';
  freeze.indeterminate = state === 'partly';
}
