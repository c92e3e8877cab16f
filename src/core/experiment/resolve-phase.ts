// A phase as the trainer runs it: aliases expanded to the model's groups, a learning rate for
// every group that trains, and the settings that make no sense refused before anything runs.

import { ThawError } from '../errors';
import { aliasOf, type GroupName } from '../vocabulary/groups';
import { resolveGroupNames } from './group-names';
import type { Phase } from './experiment-schema';

export interface ResolvedPhase {
  readonly index: number;
  readonly name: string;
  readonly settings: Phase;
  readonly frozen: readonly GroupName[];
  readonly trainable: readonly GroupName[];
  /** Base learning rate of each trainable group. */
  readonly learningRates: Readonly<Partial<Record<GroupName, number>>>;
  /** Nothing trains: losses and metrics only (evaluateOnly). */
  readonly trainsNothing: boolean;
}

/**
 * Resolves `phase` for a model whose groups are `groups` (heads only for configured tasks).
 * `file` names the experiment in errors.
 *
 * @example resolvePhase(phase, 0, ['embeddings', 'layer.0', 'task_a_head'], 1, 'x.thaw.json')
 */
export function resolvePhase(phase: Phase, index: number, groups: readonly GroupName[], numLayers: number, file: string): ResolvedPhase {
  const fail = (reason: string) => new ThawError(`phase "${phase.name}": ${reason}`, file);
  const resolve = (names: readonly string[]) => {
    try {
      return resolveGroupNames(names, numLayers).filter((group) => groups.includes(group));
    } catch (error) {
      throw fail((error as Error).message);
    }
  };
  const frozen = resolve(phase.frozen);
  const trainable = groups.filter((group) => !frozen.includes(group));
  resolve(Object.keys(phase.lr)); // unknown names in "lr" are errors too

  if (phase.evaluateOnly && trainable.length > 0) {
    throw fail(`evaluateOnly trains nothing, but ${trainable.join(', ')} ${trainable.length > 1 ? 'are' : 'is'} not frozen`);
  }
  if (!phase.evaluateOnly && trainable.length === 0) {
    throw fail('every group is frozen, so nothing would train; use the freeze-all preset (evaluateOnly: true) to report the static model\'s metrics');
  }
  const learningRates: Partial<Record<GroupName, number>> = {};
  for (const group of trainable) {
    const alias = aliasOf(group);
    const rate = phase.lr[group] ?? phase.lr[alias];
    if (rate === undefined) throw fail(`group ${group} trains but has no learning rate (set lr.${group} or lr.${alias})`);
    learningRates[group] = rate;
  }
  return { index, name: phase.name, settings: phase, frozen, trainable, learningRates, trainsNothing: phase.evaluateOnly };
}
