// Gradient clipping and the non-finite check over Float32Arrays, for the ONNX Runtime engine:
// gradient-clipping.ts and finite-gradients.ts without tfjs, same rules, same groups named.

import type { GroupName } from '../../core/vocabulary/groups';

/** A squared L2 norm, summed in float64. */
function squaredNorm(values: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i] * values[i];
  return sum;
}

/**
 * The groups whose squared gradient norm is not finite in float32 (an Inf or NaN, or a norm
 * that overflows float32, as the tfjs check's float32 sums would).
 */
export function nonFiniteArrayGroups(gradients: ReadonlyMap<string, Float32Array>, groupOf: (name: string) => GroupName): GroupName[] {
  return nonFiniteGroupsOf(squaredGroupNorms(gradients, groupOf));
}

/** Each group's squared gradient norm, summed in float64: one pass serves the check and the clipping. */
export function squaredGroupNorms(gradients: ReadonlyMap<string, Float32Array>, groupOf: (name: string) => GroupName): Map<GroupName, number> {
  const norms = new Map<GroupName, number>();
  for (const [name, gradient] of gradients) norms.set(groupOf(name), (norms.get(groupOf(name)) ?? 0) + squaredNorm(gradient));
  return norms;
}

/** The groups of `norms` that are not finite in float32. */
export function nonFiniteGroupsOf(norms: ReadonlyMap<GroupName, number>): GroupName[] {
  return [...norms].filter(([, norm]) => !Number.isFinite(Math.fround(norm))).map(([group]) => group);
}

/**
 * Scales every gradient in place so their global L2 norm is at most `maxNorm`, as PyTorch's
 * clip_grad_norm_ (coefficient maxNorm / (norm + 1e-6), capped at 1); with `maxNorm` null,
 * leaves them. `squaredSum`: their squared norm, when already known (squaredGroupNorms).
 */
export function clipArraysByGlobalNorm(gradients: ReadonlyMap<string, Float32Array>, maxNorm: number | null, squaredSum?: number): void {
  if (maxNorm === null) return;
  let sum = squaredSum ?? 0;
  if (squaredSum === undefined) for (const gradient of gradients.values()) sum += squaredNorm(gradient);
  const coefficient = Math.fround(Math.min(maxNorm / (Math.fround(Math.sqrt(sum)) + 1e-6), 1));
  if (coefficient === 1) return;
  for (const gradient of gradients.values()) for (let i = 0; i < gradient.length; i++) gradient[i] = Math.fround(gradient[i] * coefficient);
}
