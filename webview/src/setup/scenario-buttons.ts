// The phase and scenario buttons. Starting is blocked while a run is going (one run at a time)
// and while a field holds an invalid rate (the run would not use what the user sees typed).

import type { WebviewToHost } from '../../../src/protocol/panel-messages';
import { element } from '../shared/dom';
import { postToHost } from '../shared/vscode-api';

type Scenario = Extract<WebviewToHost, { type: 'applyScenario' }>['scenario'];

export interface ScenarioButtons {
  readonly element: HTMLDivElement;
  readonly blockStart: (reasons: { readonly training: boolean; readonly invalidInput: boolean }) => void;
}

function button(id: string, label: string, onClick: () => void, appearance: 'primary' | 'secondary' = 'secondary') {
  const created = element('vscode-button', { id, text: label, attributes: { appearance } });
  created.addEventListener('click', onClick);
  return created;
}

const scenarioButton = (scenario: Scenario, label: string) =>
  button(scenario, label, () => postToHost({ type: 'applyScenario', scenario }));

export function createScenarioButtons(): ScenarioButtons {
  const startWarmup = button('start-warmup', 'Start Warm-up Phase', () => postToHost({ type: 'start', phase: 'warm-up' }), 'primary');
  const startFineTune = button('start-finetune', 'Start Fine-tune Phase', () => postToHost({ type: 'start', phase: 'fine-tune' }), 'primary');
  const blockedReason = element('span', { id: 'start-blocked-reason', className: 'blocked-reason' });

  return {
    element: element(
      'div',
      { className: 'scenario-buttons' },
      element('div', { className: 'button-row' }, startWarmup, startFineTune, blockedReason),
      element(
        'div',
        { className: 'button-row' },
        scenarioButton('freeze-head-a', 'Freeze Head A'),
        scenarioButton('freeze-head-b', 'Freeze Head B'),
        scenarioButton('freeze-encoder', 'Freeze Encoder'),
        scenarioButton('freeze-all', 'Freeze All'),
        scenarioButton('thaw-all', 'Thaw All'),
      ),
    ),
    blockStart: ({ training, invalidInput }) => {
      startWarmup.disabled = training || invalidInput;
      startFineTune.disabled = training || invalidInput;
      blockedReason.textContent = training ? 'A run is going.' : invalidInput ? 'Fix the invalid rates to start.' : '';
    },
  };
}
