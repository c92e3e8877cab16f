// The selected experiment as the views draw it: the file's text, what it resolves to (or its
// first problem), the model's groups, its phases with which have run, the selected phase and
// what that phase does to each group; and the figures the views show of it. Types and light
// helpers only: building a snapshot (build-snapshot.ts) loads the schema, after activation.

import type { ResolvedExperiment } from '../../core/experiment/load-experiment';
import type { GroupSetting } from '../../core/experiment/phase-view';
import type { ModelGroups } from '../../core/model/model-groups';
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
  /** Rates the file gives frozen groups (kept, ignored by the trainer), with their lines: editor warnings. */
  readonly ignoredRates: readonly { readonly message: string; readonly line?: number }[];
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
