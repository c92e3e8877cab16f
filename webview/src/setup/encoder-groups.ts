// The order the setup tree lists groups in (embeddings, then the layers bottom to top, then the
// task heads: the order data flows) and the figures each row shows, the encoder row's worked
// out from its groups.

import type { GroupRow } from '../../../src/protocol/panel-messages';
import { isEncoderGroup } from '../../../src/core/vocabulary/groups';
import type { FreezeState, GroupRowFigures } from './group-row';

const LAYER = /^layer\.(\d+)$/;

function sortKey(name: string): number {
  if (name === 'embeddings') return -1;
  const layer = LAYER.exec(name);
  if (layer) return Number(layer[1]);
  return Number.MAX_SAFE_INTEGER;
}

/** Groups in tree order; heads and anything unknown keep the host's order, after the encoder. */
export function inTreeOrder(groups: readonly GroupRow[]): GroupRow[] {
  return [...groups].sort((left, right) => sortKey(left.group) - sortKey(right.group));
}

export const encoderGroupsOf = (groups: readonly GroupRow[]): GroupRow[] => groups.filter((group) => isEncoderGroup(group.group));

export function figuresOf(group: GroupRow): GroupRowFigures {
  return {
    freeze: group.frozen ? 'frozen' : 'trainable',
    parameterCount: group.parameterCount,
    learningRate: group.learningRate,
    rateSource: group.learningRate === undefined ? undefined : (group.learningRateFrom ?? 'group'),
  };
}

/**
 * The encoder row's figures: frozen when all its groups are, partly when some are; its rate is
 * the highest of its groups' (marked mixed when they differ, or only some have one), none when
 * no group has a rate.
 */
export function encoderFigures(encoderGroups: readonly GroupRow[]): GroupRowFigures {
  const frozenCount = encoderGroups.filter((group) => group.frozen).length;
  const freeze: FreezeState = frozenCount === encoderGroups.length ? 'frozen' : frozenCount === 0 ? 'trainable' : 'partly';
  const rates = encoderGroups.flatMap((group) => (group.learningRate === undefined ? [] : [group.learningRate]));
  const highestRate = rates.length === 0 ? undefined : Math.max(...rates);
  return {
    freeze,
    parameterCount: encoderGroups.reduce((sum, group) => sum + group.parameterCount, 0),
    learningRate: highestRate,
    rateSource: highestRate === undefined ? undefined : 'group',
    mixedRates: rates.length < encoderGroups.length ? rates.length > 0 : rates.some((rate) => rate !== highestRate),
  };
}
