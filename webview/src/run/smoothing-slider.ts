// The training-loss smoothing weight, 0 (raw) to 0.99, remembered across reloads of the panel.

import { element } from '../shared/dom';
import { readUiState, saveUiState } from '../shared/vscode-api';

export interface SmoothingSlider {
  readonly element: HTMLLabelElement;
  readonly weight: () => number;
}

/** Where the weight is remembered: the training panel's UI state unless a page says otherwise. */
export interface SmoothingMemory {
  readonly initial: number;
  readonly save: (weight: number) => void;
}

const panelMemory = (): SmoothingMemory => ({ initial: readUiState().smoothing, save: (weight) => saveUiState({ smoothing: weight }) });

export function createSmoothingSlider(onChange: () => void, memory: SmoothingMemory = panelMemory()): SmoothingSlider {
  const initial = memory.initial;
  const slider = element('input', { id: 'smoothing', attributes: { type: 'range', min: '0', max: '0.99', step: '0.01' } });
  slider.value = String(initial);
  const shown = element('span', { id: 'smoothing-value', className: 'smoothing-value', text: initial.toFixed(2) });
  // A range input's value is always a number in [min, max], so no further check is needed.
  const weight = () => Number(slider.value);
  slider.addEventListener('input', () => {
    shown.textContent = weight().toFixed(2);
    memory.save(weight());
    onChange();
  });
  return { element: element('label', { className: 'smoothing' }, 'Smoothing ', slider, shown), weight };
}
