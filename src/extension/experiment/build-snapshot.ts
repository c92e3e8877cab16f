// Builds the experiment snapshot from the file's text, the model's groups and the run records.
// Pure (no 'vscode'), so it is unit-tested without an editor; loaded after activation, since it
// brings the experiment schema (zod) with it.

import { ThawError, messageOf } from '../../core/errors';
import { parseExperimentText, type ResolvedExperiment } from '../../core/experiment/load-experiment';
import { ignoredLearningRates } from '../../core/experiment/ignored-learning-rates';
import { lineOfKey, problemLine } from '../../core/experiment/problem-line';
import type { GroupName } from '../../core/vocabulary/groups';
import { defaultPhase, phaseGroupSettings } from '../../core/experiment/phase-view';
import type { ModelGroups } from '../../core/model/model-groups';
import type { RunRecord } from '../../core/runs/run-listing';
import type { ExperimentProblem, ExperimentSnapshot } from './experiment-snapshot';

export interface SnapshotInputs {
  readonly file: string;
  readonly text: string;
  readonly model?: ModelGroups;
  readonly modelProblem?: string;
  readonly runs: readonly RunRecord[];
  /** The phase the user picked, if any (kept as view state). */
  readonly chosenPhase?: string;
}

function problemOf(error: unknown, file: string, text: string): ExperimentProblem {
  const reason = (error instanceof ThawError ? error.reason : messageOf(error)).replace(`${file}: `, '');
  const line = problemLine(reason, text);
  return { message: reason, ...(line === undefined ? {} : { line }) };
}

export function buildSnapshot(inputs: SnapshotInputs): ExperimentSnapshot {
  const { file, text, runs } = inputs;
  let experiment: ResolvedExperiment;
  try {
    experiment = parseExperimentText(text, file);
  } catch (error) {
    return { file, text, problem: problemOf(error, file, text), phases: [], settings: [], ignoredRates: [] };
  }
  const hasRun = (name: string) => runs.some((run) => run.experimentFile === file && run.completedPhases.some((phase) => phase.name === name));
  const phases = experiment.phases.map((phase) => ({ name: phase.name, hasRun: hasRun(phase.name) }));
  const names = phases.map((phase) => phase.name);
  const selectedPhase = inputs.chosenPhase !== undefined && names.includes(inputs.chosenPhase) ? inputs.chosenPhase : defaultPhase(names, hasRun);
  const phase = experiment.phases.find((candidate) => candidate.name === selectedPhase);
  const groups = inputs.model?.groups.map((info) => info.group) ?? [];
  return {
    file,
    text,
    experiment,
    ...(inputs.model === undefined ? {} : { model: inputs.model }),
    ...(inputs.modelProblem === undefined ? {} : { modelProblem: inputs.modelProblem }),
    phases,
    ...(selectedPhase === undefined ? {} : { selectedPhase }),
    settings: phase === undefined ? [] : phaseGroupSettings(phase, groups),
    ignoredRates: groups.length === 0 || experiment.preset !== undefined ? [] : ignoredRatesOf(experiment, groups, text),
  };
}


/** Rates of frozen groups, kept by the file and ignored by the trainer: warnings on their lines. */
function ignoredRatesOf(experiment: ResolvedExperiment, groups: readonly GroupName[], text: string): ExperimentSnapshot['ignoredRates'] {
  return experiment.phases.flatMap((phase, index) =>
    ignoredLearningRates(phase, groups).map(({ key, message }) => {
      const line = lineOfKey(text, `phases.${index}.lr.${key}`);
      return { message, ...(line === undefined ? {} : { line }) };
    }),
  );
}
