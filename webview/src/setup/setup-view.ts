// The setup side of the panel: the tree of parameter groups, the parameter totals and the
// buttons. Its one update function takes the host's `setup` message.

import type { HostToWebview } from '../../../src/protocol/panel-messages';
import { element, setText } from '../shared/dom';
import { formatParameterCount } from '../../../src/core/vocabulary/format';
import { createScenarioButtons } from './scenario-buttons';
import { createSetupTree } from './setup-tree';

type SetupMessage = Extract<HostToWebview, { type: 'setup' }>;

export interface SetupView {
  readonly element: HTMLElement;
  readonly updateSetup: (message: SetupMessage) => void;
}

export function createSetupView(): SetupView {
  let training = false;
  const buttons = createScenarioButtons();
  const refreshStartButtons = () => buttons.blockStart({ training, invalidInput: tree.hasInvalidInput() });
  const tree = createSetupTree(refreshStartButtons);
  const experiment = element('span', { id: 'experiment-name', className: 'experiment-name' });
  const totals = element('p', { id: 'parameter-totals', className: 'totals' });

  return {
    element: element('section', { id: 'setup', className: 'setup' }, element('h2', {}, 'Setup ', experiment), tree.element, totals, buttons.element),
    updateSetup: (message) => {
      training = message.training;
      setText(experiment, message.experiment ?? '');
      tree.update(message);
      const frozen = message.totalParameters - message.trainableParameters;
      setText(
        totals,
        `Trainable ${formatParameterCount(message.trainableParameters)} of ${formatParameterCount(message.totalParameters)} parameters (frozen ${formatParameterCount(frozen)})`,
      );
      refreshStartButtons();
    },
  };
}
