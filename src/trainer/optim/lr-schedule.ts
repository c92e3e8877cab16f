import type { Phase } from '../../core/experiment/experiment-schema';

/**
 * The multiplier on each base learning rate at a phase's optimizer step `step` (0-based) of
 * `totalSteps`: a linear rise over the warm-up steps (the first step already has 1/warmup,
 * as in nanoGPT), then constant, or a linear or cosine decay that reaches 0 after the last step.
 *
 * @example learningRateFactor({ warmupSteps: 2, decay: 'linear' }, 0, 10) // 0.5
 */
export function learningRateFactor(schedule: Phase['schedule'], step: number, totalSteps: number): number {
  if (step < schedule.warmupSteps) return (step + 1) / schedule.warmupSteps;
  if (schedule.decay === 'constant') return 1;
  const decaySteps = Math.max(1, totalSteps - schedule.warmupSteps);
  const progress = Math.min(1, (step - schedule.warmupSteps) / decaySteps);
  return schedule.decay === 'linear' ? 1 - progress : 0.5 * (1 + Math.cos(Math.PI * progress));
}
