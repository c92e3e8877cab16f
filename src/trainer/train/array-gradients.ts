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
  const norms = new Map<GroupName, number>();
  for (const [name, gradient] of gradients) norms.set(groupOf(name), (norms.get(groupOf(name)) ?? 0) + squaredNorm(gradient));
  return [...norms].filter(([, norm]) => !Number.isFinite(Math.fround(norm))).map(([group]) => group);
}

/**
 * Scales every gradient in place so their global L2 norm is at most `maxNorm`, as PyTorch's
 * clip_grad_norm_ (coefficient maxNorm / (norm + 1e-6), capped at 1); with `maxNorm` null,
 * leaves them.
 */
export function clipArraysByGlobalNorm(gradients: ReadonlyMap<string, Float32Array>, maxNorm: number | null): void {
  if (maxNorm === null) return;
  let sum = 0;
  for (const gradient of gradients.values()) sum += squaredNorm(gradient);
  const coefficient = Math.fround(Math.min(maxNorm / (Math.fround(Math.sqrt(sum)) + 1e-6), 1));
  if (coefficient === 1) return;
  for (const gradient of gradients.values()) for (let i = 0; i < gradient.length; i++) gradient[i] = Math.fround(gradient[i] * coefficient);
}
