// The selected experiment as the views draw it: the file's text, what it resolves to (or its
// first problem), the model's groups, its phases with which have run, the selected phase and
// what that phase does to each group. Pure (no 'vscode'): derived from the text, the model's
// groups and the run records, so it is unit-tested without an editor.

import { ThawError, messageOf } from '../../core/errors';
import { parseExperimentText, type ResolvedExperiment } from '../../core/experiment/load-experiment';
import { problemLine } from '../../core/experiment/problem-line';
import { defaultPhase, phaseGroupSettings, type GroupSetting } from '../../core/experiment/phase-view';
import type { ModelGroups } from '../../core/model/model-groups';
import type { RunRecord } from '../../core/runs/run-listing';
import { isHead, type GroupName } from '../../core/vocabulary/groups';

export interface ExperimentProblem {
  readonly message: string;
  /** 1-based line of the file, when the problem has one. */
  readonly line?: number;
}

export interface PhaseEntry {
  readonly name: string;
  /** A run recorded from this file completed the phase. */
  readonly hasRun: boolean;
}

export interface ExperimentSnapshot {
  readonly file: string;
  readonly text: string;
  readonly experiment?: ResolvedExperiment;
  readonly problem?: ExperimentProblem;
  readonly model?: ModelGroups;
  /** Why the model's groups are unknown (config.json unreadable, e.g. an uncached hub id offline). */
  readonly modelProblem?: string;
  readonly phases: readonly PhaseEntry[];
  readonly selectedPhase?: string;
  /** What the selected phase does to each group of the model. */
  readonly settings: readonly GroupSetting[];
}

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
    return { file, text, problem: problemOf(error, file, text), phases: [], settings: [] };
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
  };
}

export function groupNamesOf(snapshot: ExperimentSnapshot): GroupName[] {
  return snapshot.model?.groups.map((info) => info.group) ?? [];
}

export function parameterCount(snapshot: ExperimentSnapshot, group: GroupName): number {
  return snapshot.model?.groups.find((info) => info.group === group)?.parameterCount ?? 0;
}

export function totalParameters(snapshot: ExperimentSnapshot): number {
  return snapshot.model?.groups.reduce((sum, info) => sum + info.parameterCount, 0) ?? 0;
}

export function trainableParameters(snapshot: ExperimentSnapshot): number {
  return snapshot.settings.filter((setting) => !setting.frozen).reduce((sum, setting) => sum + parameterCount(snapshot, setting.group), 0);
}

export type EncoderFreeze = 'frozen' | 'trainable' | 'partial';

export function encoderFreeze(snapshot: ExperimentSnapshot): EncoderFreeze {
  const encoder = snapshot.settings.filter((setting) => !isHead(setting.group));
  const frozen = encoder.filter((setting) => setting.frozen).length;
  return frozen === 0 ? 'trainable' : frozen === encoder.length ? 'frozen' : 'partial';
}
