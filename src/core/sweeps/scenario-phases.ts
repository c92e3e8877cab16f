// The freezing scenarios of `thaw sweep --scenarios`, as phases that use the experiment file's
// own rates and epochs where a phase matches (DECISIONS, Sweeps): by name first (the recipe's
// warm-up and fine-tune), else by role (a phase with the encoder frozen for a heads-only
// phase, one where it trains for the others). freeze-all trains nothing and keeps its epoch.

import { Phase, type PhaseInput, type PresetName } from '../experiment/experiment-schema';
import type { ResolvedExperiment } from '../experiment/load-experiment';
import { presetPhases } from '../experiment/presets';
import { isEncoderGroup, isHead } from '../vocabulary/groups';

/** A scenario of the sweep: a preset, and for the recipe optionally its frozen-head last phase. */
export interface Scenario {
  /** freeze-all ... recipe, or recipe+freeze-head-a when the file sets recipeFrozenHead. */
  readonly name: string;
  readonly preset: PresetName;
  readonly recipeFrozenHead?: 'a' | 'b';
}

/**
 * The scenarios, in report order; the recipe with a frozen head only when the file sets one.
 * Freezing one head needs both tasks: with one, nothing or everything would be frozen twice.
 */
export function sweepScenarios(experiment: Pick<ResolvedExperiment, 'recipeFrozenHead' | 'tasks'>): Scenario[] {
  const bothTasks = experiment.tasks.a !== undefined && experiment.tasks.b !== undefined;
  const presets = (['freeze-all', 'freeze-encoder', 'freeze-head-a', 'freeze-head-b', 'recipe'] as const).filter((preset) => bothTasks || !preset.startsWith('freeze-head-'));
  const scenarios: Scenario[] = presets.map((preset) => ({ name: preset, preset }));
  const head = experiment.recipeFrozenHead;
  if (head !== undefined) scenarios.push({ name: `recipe+freeze-head-${head}`, preset: 'recipe', recipeFrozenHead: head });
  return scenarios;
}

const encoderFrozen = (frozen: readonly string[]) => frozen.includes('encoder') || (frozen.includes('embeddings') && frozen.some((name) => name.startsWith('layer.')));

/** The file's phase that a scenario phase takes its rates and epochs from, if any. */
function matchingPhase(phase: PhaseInput, filePhases: readonly Phase[]): Phase | undefined {
  const byName = filePhases.find((candidate) => candidate.name === phase.name);
  if (byName !== undefined) return byName;
  if (phase.evaluateOnly === true) return undefined;
  const wantsFrozenEncoder = encoderFrozen(phase.frozen ?? []);
  return filePhases.find((candidate) => !candidate.evaluateOnly && encoderFrozen(candidate.frozen) === wantsFrozenEncoder);
}

/** Is `group` (a group name or alias) trained by a phase that freezes `frozen`? */
function trains(group: string, frozen: readonly string[]): boolean {
  if (frozen.includes(group)) return false;
  if (isEncoderGroup(group)) return !frozen.includes('encoder');
  if (isHead(group)) return !frozen.includes('heads');
  return true; // an alias: trained unless frozen as a whole (parts frozen are checked by the trainer)
}

function withFileSettings(phase: PhaseInput, file: Phase | undefined): PhaseInput {
  if (file === undefined) return phase;
  const frozen = phase.frozen ?? [];
  const lr: Record<string, number> = {};
  for (const [group, rate] of Object.entries(phase.lr ?? {})) {
    const alias = isEncoderGroup(group) ? 'encoder' : isHead(group) ? 'heads' : group;
    lr[group] = file.lr[group] ?? file.lr[alias] ?? rate;
  }
  // The file's rates for single groups the scenario trains (a layer-wise decay, one head's rate).
  for (const [group, rate] of Object.entries(file.lr)) if ((isEncoderGroup(group) || isHead(group)) && trains(group, frozen)) lr[group] = rate;
  return { ...phase, lr, epochs: file.epochs, steps: file.steps };
}

/** The resolved phases of `scenario` for this experiment. */
export function scenarioPhases(scenario: Scenario, experiment: Pick<ResolvedExperiment, 'phases'>): Phase[] {
  return presetPhases(scenario.preset, scenario.recipeFrozenHead).map((phase) => Phase.parse(withFileSettings(phase, matchingPhase(phase, experiment.phases))));
}
