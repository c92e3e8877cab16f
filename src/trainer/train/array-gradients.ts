// Gradient clipping and the non-finite check over Float32Arrays, for the ONNX Runtime engine:
// gradient-clipping.ts and finite-gradients.ts without tfjs, same rules, same groups named.

import { arrayKernels } from '../kernels/array-kernels';
import type { GroupName } from '../../core/vocabulary/groups';

/** Each group's squared gradient norm, summed in float64 (the SIMD kernel): one pass serves the check and the clipping. */
export function squaredGroupNorms(gradients: ReadonlyMap<string, Float32Array>, groupOf: (name: string) => GroupName): Map<GroupName, number> {
  const norms = new Map<GroupName, number>();
  for (const [name, gradient] of gradients) norms.set(groupOf(name), (norms.get(groupOf(name)) ?? 0) + arrayKernels().squaredSum(gradient));
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
