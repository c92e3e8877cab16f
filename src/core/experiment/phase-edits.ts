// Changes to one phase of an experiment file, made on its text: freezing, thawing, learning
// rates, layer-wise decay, scenarios, and adding a missing warm-up or fine-tune phase. Each
// returns the new text; the host applies it as one editor edit (so undo undoes it). Pure: the
// text alone decides, nothing is read or written here.
//
// The rules (DECISIONS.md): freezing keeps a group's rate; thawing a group that has no rate
// writes the recipe's default for it; `frozen` is written with an alias when the alias is
// wholly covered; the encoder row's rate replaces the per-layer keys; layer-wise decay writes
// per-layer keys; a preset is replaced by its phases on the first edit.

import { parse } from 'jsonc-parser';
import { ThawError } from '../errors';
import { aliasOf, expandGroupTargets, isHead, type GroupAlias, type GroupName, type GroupTarget } from '../vocabulary/groups';
import type { PhaseInput, PresetName } from './experiment-schema';
import { ENCODER_LR, HEAD_LR, PRESETS, presetPhases } from './presets';
import { insertJsoncArrayElement, parseJsoncTree, removeJsoncProperty, replaceJsoncProperty, setJsoncValue } from './jsonc-edit';
import { phaseRate } from './phase-view';

export type PhaseChange =
  | { readonly kind: 'freeze'; readonly target: GroupTarget; readonly frozen: boolean }
  | { readonly kind: 'frozenGroups'; readonly frozen: readonly GroupName[] }
  | { readonly kind: 'learningRate'; readonly target: GroupTarget; readonly rate: number }
  | { readonly kind: 'layerDecay'; readonly base: number; readonly factor: number };

export interface EditResult {
  readonly text: string;
  /** Something the user should be told about the edit (a preset replaced by its phases). */
  readonly notice?: string;
}

interface RawPhase {
  name?: unknown;
  frozen?: unknown;
  lr?: unknown;
}

interface RawExperiment {
  preset?: unknown;
  recipeFrozenHead?: unknown;
  phases?: unknown;
}

function rawExperiment(text: string, file?: string): RawExperiment {
  parseJsoncTree(text, file);
  const value: unknown = parse(text, [], { allowTrailingComma: true });
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new ThawError('an experiment is a JSON object', file);
  return value;
}

function rawPhases(experiment: RawExperiment): RawPhase[] | undefined {
  return Array.isArray(experiment.phases) ? (experiment.phases as RawPhase[]) : undefined;
}

/** A file whose phases come from its preset gets the preset replaced by those phases. */
function expandPreset(text: string, file?: string): EditResult {
  const experiment = rawExperiment(text, file);
  if (rawPhases(experiment) !== undefined || typeof experiment.preset !== 'string') return { text };
  const preset = experiment.preset as PresetName;
  if (!(preset in PRESETS)) throw new ThawError(`unknown preset "${preset}"`, file);
  const frozenHead = experiment.recipeFrozenHead === 'a' || experiment.recipeFrozenHead === 'b' ? experiment.recipeFrozenHead : undefined;
  // The phases take the preset's place in the file, so the comments around it stay where they were.
  const next = removeJsoncProperty(replaceJsoncProperty(text, ['preset'], 'phases', presetPhases(preset, frozenHead)), ['recipeFrozenHead']);
  return { text: next, notice: `the preset "${preset}" was replaced by its phases in the file, so that they can be edited (undo brings the preset back)` };
}

function phaseIndex(text: string, phaseName: string, file?: string): { index: number; phase: RawPhase } {
  const phases = rawPhases(rawExperiment(text, file)) ?? [];
  const index = phases.findIndex((phase) => phase?.name === phaseName);
  if (index < 0) throw new ThawError(`has no phase named "${phaseName}"`, file);
  return { index, phase: phases[index] };
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((entry): entry is string => typeof entry === 'string') : [];
}

function rateRecord(value: unknown): Record<string, number> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, number] => typeof entry[1] === 'number'));
}

/** `frozen` as written back: aliases where wholly covered, names the model lacks kept as they were. */
export function compactFrozenList(frozen: ReadonlySet<GroupName>, groups: readonly GroupName[], unknown: readonly string[]): string[] {
  const encoder = groups.filter((group) => !isHead(group));
  const heads = groups.filter(isHead);
  const covered = (members: readonly GroupName[]) => members.length > 0 && members.every((group) => frozen.has(group));
  const list: string[] = [];
  if (covered(encoder)) list.push('encoder');
  else list.push(...encoder.filter((group) => frozen.has(group)));
  if (covered(heads) && heads.length > 1) list.push('heads');
  else list.push(...heads.filter((group) => frozen.has(group)));
  return [...list, ...unknown];
}

function recipeDefault(target: GroupTarget): number {
  return target === 'heads' || (target !== 'encoder' && isHead(target)) ? HEAD_LR : ENCODER_LR;
}

/**
 * Applies `change` to phase `phaseName` of the experiment text. `groups` are the model's groups
 * (heads for configured tasks only).
 *
 * @example editPhase(text, 'warm-up', groups, { kind: 'freeze', target: 'layer.0', frozen: true }).text
 */
export function editPhase(text: string, phaseName: string, groups: readonly GroupName[], change: PhaseChange, file?: string): EditResult {
  const expanded = expandPreset(text, file);
  let next = expanded.text;
  const { index, phase } = phaseIndex(next, phaseName, file);
  const at = (key: string) => ['phases', index, key];
  const written = expandGroupTargets(stringList(phase.frozen), groups);
  const frozen = new Set(written.groups);
  const lr = rateRecord(phase.lr);
  const setRate = (key: string, rate: number) => {
    next = setJsoncValue(next, [...at('lr'), key], rate);
    lr[key] = rate;
  };
  const removeRate = (key: string) => {
    next = removeJsoncProperty(next, [...at('lr'), key]);
    delete lr[key];
  };

  const writeFrozen = (target: Set<GroupName>) => {
    const before = new Set(frozen);
    next = setJsoncValue(next, at('frozen'), compactFrozenList(target, groups, written.unknown));
    // Thawing needs a rate: a newly thawed group without one gets the recipe's default.
    const thawed = groups.filter((group) => before.has(group) && !target.has(group) && phaseRate(lr, group).learningRate === undefined);
    for (const alias of ['encoder', 'heads'] as GroupAlias[]) {
      const members = groups.filter((group) => aliasOf(group) === alias);
      const all = members.length > 0 && members.every((group) => thawed.includes(group));
      if (all) setRate(alias, recipeDefault(alias));
      else thawed.filter((group) => aliasOf(group) === alias).forEach((group) => setRate(group, recipeDefault(group)));
    }
  };

  switch (change.kind) {
    case 'freeze': {
      const target = new Set(frozen);
      for (const group of expandGroupTargets([change.target], groups).groups) {
        if (change.frozen) target.add(group);
        else target.delete(group);
      }
      writeFrozen(target);
      break;
    }
    case 'frozenGroups':
      writeFrozen(new Set(change.frozen.filter((group) => groups.includes(group))));
      break;
    case 'learningRate': {
      checkRate(change.rate);
      if (change.target === 'encoder' || change.target === 'heads') {
        // The alias's rate would otherwise be hidden behind per-group keys ("a group name wins").
        for (const group of groups) if (aliasOf(group) === change.target && lr[group] !== undefined) removeRate(group);
      }
      setRate(change.target, change.rate);
      break;
    }
    case 'layerDecay': {
      checkRate(change.base);
      if (!(change.factor > 0 && change.factor <= 1)) throw new RangeError(`a decay factor must be in (0, 1], got ${change.factor}`);
      const fromTop = groups.filter((group) => !isHead(group)).reverse(); // layer.N-1 ... layer.0, embeddings
      fromTop.forEach((group, depth) => setRate(group, Number((change.base * change.factor ** depth).toPrecision(4))));
      break;
    }
  }
  return { text: next, ...(expanded.notice === undefined ? {} : { notice: expanded.notice }) };
}

function checkRate(rate: number): void {
  if (!Number.isFinite(rate) || rate < 0 || rate > 1) throw new RangeError(`a learning rate must be a number from 0 to 1, got ${rate}`);
}

/** The phase names of the experiment text (after a preset's expansion), in order. */
export function phaseNamesOf(text: string, file?: string): string[] {
  const experiment = rawExperiment(text, file);
  const phases = rawPhases(experiment);
  if (phases !== undefined) return phases.map((phase) => (typeof phase?.name === 'string' ? phase.name : '')).filter((name) => name !== '');
  if (typeof experiment.preset === 'string' && experiment.preset in PRESETS) return presetPhases(experiment.preset as PresetName, undefined).map((phase) => phase.name);
  return [];
}

/** The recipe's warm-up and fine-tune phases, which a file without them gets added. */
export const RECIPE_PHASE_NAMES = ['warm-up', 'fine-tune'] as const;
export type RecipePhaseName = (typeof RECIPE_PHASE_NAMES)[number];

/**
 * Adds the recipe's phase `name` to a file that lacks it: warm-up first, fine-tune after the
 * warm-up (or last). A preset is expanded first.
 */
export function addRecipePhase(text: string, name: RecipePhaseName, file?: string): EditResult {
  const expanded = expandPreset(text, file);
  const phase: PhaseInput = PRESETS.recipe.find((candidate) => candidate.name === name)!;
  const names = phaseNamesOf(expanded.text, file);
  if (names.includes(name)) return expanded;
  const notice = `added a "${name}" phase with the recipe's defaults to the file`;
  if (rawPhases(rawExperiment(expanded.text, file)) === undefined) return { text: setJsoncValue(expanded.text, ['phases'], [phase]), notice };
  const warmUp = names.indexOf('warm-up');
  const index = name === 'warm-up' ? 0 : warmUp >= 0 ? warmUp + 1 : names.length;
  return { text: insertJsoncArrayElement(expanded.text, ['phases'], index, phase), notice };
}
