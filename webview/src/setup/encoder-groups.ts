// Which parameter groups make up the encoder, and the order the setup tree lists groups in:
// embeddings, then the layers bottom to top, then the task heads (the order data flows).

import type { GroupRow } from '../../../src/protocol/panel-messages';
import type { FreezeState, GroupRowFigures } from './group-row';

const LAYER = /^layer\.(\d+)$/;

export function isEncoderGroup(name: string): boolean {
  return name === 'embeddings' || LAYER.test(name);
}

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

export function figuresOf(group: GroupRow): GroupRowFigures {
  return { freeze: group.frozen ? 'frozen' : 'trainable', parameterCount: group.parameterCount, learningRate: group.learningRate };
}

/** The encoder row's figures: frozen when all its groups are, partly when some are. */
export function encoderFigures(encoderGroups: readonly GroupRow[]): GroupRowFigures {
  const frozenCount = encoderGroups.filter((group) => group.frozen).length;
  const freeze: FreezeState = frozenCount === encoderGroups.length ? 'frozen' : frozenCount === 0 ? 'trainable' : 'partly';
  const rates = encoderGroups.map((group) => group.learningRate);
  const highestRate = Math.max(0, ...rates);
  return {
    freeze,
    parameterCount: encoderGroups.reduce((sum, group) => sum + group.parameterCount, 0),
    learningRate: highestRate,
    mixedRates: rates.some((rate) => rate !== highestRate),
  };
}
