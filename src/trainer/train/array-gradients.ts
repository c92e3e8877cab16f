// Gradient clipping and the non-finite check over Float32Arrays, for the ONNX Runtime engine:
// gradient-clipping.ts and finite-gradients.ts without tfjs, same rules, same groups named.

import { arrayKernels } from '../kernels/array-kernels';
import type { GroupName } from '../../core/vocabulary/groups';

/** A squared L2 norm, summed in float64 (in WebAssembly SIMD: 22 M values a MiniLM step). */
function squaredNorm(values: Float32Array): number {
  return arrayKernels().squaredSum(values);
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
 * The factor that scales gradients of squared norm `squaredSum` to a global L2 norm of at most
 * `maxNorm`, as PyTorch's clip_grad_norm_ (maxNorm / (norm + 1e-6), capped at 1), in float32;
 * 1 with `maxNorm` null.
 */
export function clipCoefficient(squaredSum: number, maxNorm: number | null): number {
  if (maxNorm === null) return 1;
  return Math.fround(Math.min(maxNorm / (Math.fround(Math.sqrt(squaredSum)) + 1e-6), 1));
}

/** Scales every gradient in place by clipCoefficient (the engine passes the factor to AdamW instead). */
export function clipArraysByGlobalNorm(gradients: ReadonlyMap<string, Float32Array>, maxNorm: number | null): void {
  let sum = 0;
  for (const gradient of gradients.values()) sum += squaredNorm(gradient);
  const coefficient = clipCoefficient(sum, maxNorm);
  if (coefficient === 1) return;
  for (const gradient of gradients.values()) for (let i = 0; i < gradient.length; i++) gradient[i] = Math.fround(gradient[i] * coefficient);
}
