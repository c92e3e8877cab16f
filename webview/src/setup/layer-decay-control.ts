// Layer-wise learning-rate decay on the encoder row: when on, the top layer gets the encoder
// row's rate and each lower layer (then the embeddings) that times the factor, which the host
// works out. Whether it is on is the user's view setting, kept in the webview's saved state.

import { element } from '../shared/dom';
import { parseDecayFactor } from './learning-rate-text';
import { createValidatedField, type ValidatedField } from './validated-field';
import { readUiState, saveUiState } from '../shared/vscode-api';

export interface LayerDecayControl {
  readonly element: HTMLSpanElement;
  readonly factor: ValidatedField;
  readonly isEnabled: () => boolean;
  /** Off while the file takes no edits: the control shows its setting but cannot change it. */
  readonly setEnabled: (enabled: boolean) => void;
}

export interface LayerDecayOptions {
  /** Called when the user turns decay on or off, or commits a new factor. */
  readonly onChange: (enabled: boolean) => void;
  readonly onValidityChange: () => void;
}

export function createLayerDecayControl(options: LayerDecayOptions): LayerDecayControl {
  const saved = readUiState().layerDecay;
  const toggle = element('vscode-checkbox', { id: 'layer-decay', className: 'layer-decay', text: 'layer-wise LR decay' });
  // Set before the listener: restoring the saved setting is not a request to the host.
  toggle.checked = saved.enabled;
  const factor = createValidatedField({
    fieldClass: 'decay-factor',
    errorClass: 'decay-error',
    label: 'Layer-wise decay factor',
    initialText: saved.factor,
    parse: parseDecayFactor,
    onCommit: () => {
      saveUiState({ layerDecay: { enabled: toggle.checked, factor: factor.field.value } });
      if (toggle.checked) options.onChange(true);
    },
    onValidityChange: options.onValidityChange,
  });
  factor.field.id = 'layer-decay-factor';
  factor.field.disabled = !saved.enabled;

  let editable = true;
  toggle.addEventListener('change', () => {
    factor.setDisabled(!toggle.checked);
    saveUiState({ layerDecay: { enabled: toggle.checked, factor: factor.field.value } });
    options.onChange(toggle.checked);
  });

  return {
    element: element('span', { className: 'layer-decay-control' }, toggle, factor.field, element('span', { className: 'decay-label', text: '× per layer' }), factor.error),
    factor,
    isEnabled: () => toggle.checked,
    setEnabled: (enabled) => {
      if (enabled === editable) return;
      editable = enabled;
      toggle.disabled = !enabled;
      factor.setDisabled(!enabled || !toggle.checked);
    },
  };
}
