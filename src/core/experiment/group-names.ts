import { ThawError } from '../errors';
import { GROUP_ALIASES, allGroupNames, expandGroupTargets, type GroupName } from '../vocabulary/groups';

/**
 * Expands group names and aliases into distinct group names, in display order.
 * An unknown name is an error that lists the valid ones.
 *
 * @example resolveGroupNames(['encoder'], 6) // ['embeddings', 'layer.0', ..., 'layer.5']
 */
export function resolveGroupNames(names: readonly string[], numLayers: number): GroupName[] {
  const valid = allGroupNames(numLayers);
  const { groups, unknown } = expandGroupTargets(names, valid);
  if (unknown.length > 0) throw new ThawError(`unknown parameter group "${unknown[0]}"; valid: ${[...valid, ...GROUP_ALIASES].join(', ')}`);
  return groups;
}
