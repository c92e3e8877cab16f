// Shown when the experiment file is invalid: its first error, where it is, and that edits and
// Start wait until it is fixed (the host refuses to write into a file it cannot read).

import type { ExperimentProblem } from '../../../src/protocol/panel-messages';
import { element, setText } from '../shared/dom';

export interface ProblemBanner {
  readonly element: HTMLDivElement;
  readonly update: (problem: ExperimentProblem | undefined, experiment: string | undefined) => void;
}

/** "thaw.json, line 12: ..." as the banner's first line says it. */
export function problemText(problem: ExperimentProblem, experiment: string | undefined): string {
  const where = [experiment, problem.line === undefined ? undefined : `line ${problem.line}`].filter((part) => part !== undefined).join(', ');
  return where === '' ? problem.message : `${where}: ${problem.message}`;
}

export function createProblemBanner(): ProblemBanner {
  const message = element('span', { id: 'experiment-problem-message', className: 'problem-message' });
  const banner = element(
    'div',
    { id: 'experiment-problem', className: 'problem-banner', attributes: { role: 'alert' } },
    element('strong', { text: 'The experiment file has an error. ' }),
    message,
    element('div', { className: 'problem-hint', text: 'Fix the file to edit the phase or start it.' }),
  );
  banner.hidden = true;
  return {
    element: banner,
    update: (problem, experiment) => {
      banner.hidden = problem === undefined;
      if (problem) {
        setText(message, problemText(problem, experiment));
        if (problem.line === undefined) delete banner.dataset.line;
        else banner.dataset.line = String(problem.line);
      }
    },
  };
}
