// The setup side of the panel: a header with the experiment's name, the phase picker and Start;
// the problem banner when the file is invalid; the tree of the selected phase's groups; the
// parameter totals and the scenario buttons. Its one update function takes the host's `setup`
// message.

import type { HostToWebview } from '../../../src/protocol/panel-messages';
import { formatParameterCount } from '../../../src/core/vocabulary/format';
import { element, setText } from '../shared/dom';
import { createEmptyState } from './empty-state';
import { createPhaseControls } from './phase-controls';
import { createProblemBanner } from './problem-banner';
import { createScenarioButtons } from './scenario-buttons';
import { createSetupTree } from './setup-tree';

type SetupMessage = Extract<HostToWebview, { type: 'setup' }>;

export interface SetupView {
  readonly element: HTMLElement;
  readonly updateSetup: (message: SetupMessage) => void;
}

export function createSetupView(): SetupView {
  let training = false;
  let problem = false;
  const phaseControls = createPhaseControls();
  const problemBanner = createProblemBanner();
  const scenarios = createScenarioButtons();
  const refreshStart = () => phaseControls.blockStart({ training, invalidInput: tree.hasInvalidInput(), problem });
  const tree = createSetupTree(refreshStart);
  const experiment = element('span', { id: 'experiment-name', className: 'experiment-name' });
  const totals = element('p', { id: 'parameter-totals', className: 'totals' });
  const empty = createEmptyState();
  // The setup itself shows once there is an experiment; until then, how to get one.
  const body = element('div', { className: 'setup-body', attributes: { hidden: '' } }, element('header', { className: 'setup-header' }, element('h2', {}, 'Setup ', experiment), phaseControls.element), problemBanner.element, tree.element, totals, scenarios.element);

  return {
    element: element(
      'section',
      { id: 'setup', className: 'setup' },
      empty.element,
      body,
    ),
    updateSetup: (message) => {
      empty.hide();
      body.hidden = false;
      training = message.training;
      problem = message.problem !== undefined;
      setText(experiment, message.experiment ?? '');
      problemBanner.update(message.problem, message.experiment);
      phaseControls.update(message.phases, message.selectedPhase);
      tree.update(message, !problem);
      scenarios.setEnabled(!problem);
      const frozen = message.totalParameters - message.trainableParameters;
      setText(
        totals,
        `Trainable ${formatParameterCount(message.trainableParameters)} of ${formatParameterCount(message.totalParameters)} parameters (frozen ${formatParameterCount(frozen)})`,
      );
      refreshStart();
    },
  };
}
