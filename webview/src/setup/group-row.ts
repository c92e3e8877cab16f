// One row of the setup tree: freeze checkbox, group name, parameter count, learning-rate field.
// The checkbox shows the host's freeze state; a click asks the host to change it, and the host's
// next `setup` message is what the row then shows. A frozen row's rate field is dimmed and
// disabled: it shows the rate the file keeps (or the group inherits) for when the group thaws.

import type { Checkbox } from '@vscode/webview-ui-toolkit';
import { isHead } from '../../../src/core/vocabulary/groups';
import { formatLearningRate, formatParameterCount } from '../../../src/core/vocabulary/format';
import { element, setText } from '../shared/dom';
import { parseLearningRate } from './learning-rate-text';
import { createValidatedField, type ValidatedField } from './validated-field';

/** How much of a row is frozen: the encoder row stands for many groups, so it can be partly frozen. */
export type FreezeState = 'frozen' | 'trainable' | 'partly';

export interface GroupRowFigures {
  readonly freeze: FreezeState;
  readonly parameterCount: number;
  /** The rate the selected phase gives the row; none: the phase gives it none. */
  readonly learningRate: number | undefined;
  /** Whether the rate is the group's own key or its alias's (`encoder`, `heads`). */
  readonly rateSource: 'group' | 'alias' | undefined;
  /** The rates differ between the groups the row stands for; the field then shows the highest. */
  readonly mixedRates?: boolean;
}

export interface GroupRowView {
  readonly element: HTMLDivElement;
  readonly rate: ValidatedField;
  /** `editable` false: the file cannot take edits now (it is invalid); every control is disabled. */
  readonly update: (figures: GroupRowFigures, editable: boolean) => void;
}

export interface GroupRowOptions {
  readonly name: string;
  readonly indented: boolean;
  readonly onFreeze: (frozen: boolean) => void;
  readonly onRate: (rate: number) => void;
  readonly onValidityChange: () => void;
}

export const NO_RATE_PLACEHOLDER = 'no rate';

/** What the rate field's tooltip says about where its value comes from; undefined: nothing to say. */
export function rateTitle(name: string, figures: GroupRowFigures): string | undefined {
  const inherited = figures.rateSource === 'alias' ? `inherited from ${isHead(name) ? 'heads' : 'encoder'}` : undefined;
  if (figures.freeze === 'frozen') {
    if (figures.learningRate === undefined) return 'Frozen; the phase gives it no rate';
    return `Frozen; the rate is kept for when it thaws${inherited === undefined ? '' : ` (${inherited})`}`;
  }
  if (figures.mixedRates) return 'Rates differ between layers; this is the highest';
  if (figures.learningRate === undefined) return 'The phase gives it no rate';
  return inherited === undefined ? undefined : `${inherited[0].toUpperCase()}${inherited.slice(1)}`;
}

export function createGroupRow(options: GroupRowOptions): GroupRowView {
  const freeze = element('vscode-checkbox', { className: 'freeze', attributes: { 'aria-label': `Freeze ${options.name}`, title: 'Frozen' } });
  const count = element('span', { className: 'parameter-count' });
  const rate = createValidatedField({
    fieldClass: 'lr',
    errorClass: 'lr-error',
    label: `Learning rate of ${options.name}`,
    placeholder: NO_RATE_PLACEHOLDER,
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
    update: (figures, editable) => {
      showingHostState = true;
      showFreezeState(freeze, figures.freeze);
      showingHostState = false;
      freeze.disabled = !editable;
      const frozen = figures.freeze === 'frozen';
      row.classList.toggle('frozen', frozen);
      row.classList.toggle('inherited-rate', figures.rateSource === 'alias');
      setText(count, formatParameterCount(figures.parameterCount));
      count.title = `${figures.parameterCount.toLocaleString()} parameters`;
      const readOnly = frozen || !editable;
      rate.setDisabled(readOnly);
      rate.showValue(figures.learningRate === undefined ? '' : formatLearningRate(figures.learningRate), rateTitle(options.name, figures), readOnly);
    },
  };
}

function showFreezeState(freeze: Checkbox, state: FreezeState): void {
  freeze.checked = state === 'frozen';
  freeze.indeterminate = state === 'partly';
}
