// The scenario buttons: each asks the host to freeze a familiar set of groups in the selected
// phase. Off while the file takes no edits (it is invalid).

import { SCENARIOS, type ScenarioName } from '../../../src/core/vocabulary/scenarios';
import { element } from '../shared/dom';
import { postToHost } from '../shared/vscode-api';

export interface ScenarioButtons {
  readonly element: HTMLDivElement;
  readonly setEnabled: (enabled: boolean) => void;
}

/** In the panel's order; each button's id is its scenario's name. */
const BUTTONS: readonly [ScenarioName, string][] = [
  ['freeze-head-a', 'Freeze Head A'],
  ['freeze-head-b', 'Freeze Head B'],
  ['freeze-encoder', 'Freeze Encoder'],
  ['freeze-all', 'Freeze All'],
  ['thaw-all', 'Thaw All'],
];

export function createScenarioButtons(): ScenarioButtons {
  const buttons = BUTTONS.map(([scenario, label]) => {
    const button = element('vscode-button', { id: scenario, text: label, attributes: { appearance: 'secondary', title: SCENARIOS[scenario].detail } });
    button.addEventListener('click', () => postToHost({ type: 'applyScenario', scenario }));
    return button;
  });
  return {
    element: element('div', { className: 'scenario-buttons button-row' }, ...buttons),
    setEnabled: (enabled) => {
      for (const button of buttons) button.disabled = !enabled;
    },
  };
}
