// The seed's classic scenarios as phase lists. Each is an ordinary experiment once expanded:
// the resolved phases are what runs and what the run folder records.

import type { Experiment, PhaseInput, PresetName } from './experiment-schema';

/**
 * Learning rates of the transfer-learning recipe: a linear head over frozen embeddings
 * learns fast (1e-2, as for a logistic-regression probe); once the encoder trains, heads slow
 * to 1e-3 and the pretrained encoder moves at 2e-5 (BERT's fine-tuning range).
 */
export const PROBE_LR = 1e-2;
export const HEAD_LR = 1e-3;
export const ENCODER_LR = 2e-5;

export const PRESETS: Readonly<Record<PresetName, readonly PhaseInput[]>> = {
  // Sanity check / static embeddings: nothing trains, metrics of the model as it is.
  'freeze-all': [{ name: 'freeze-all', epochs: 1, frozen: ['encoder', 'heads'], evaluateOnly: true }],
  // Only the heads learn; the encoder's outputs are cached, so each epoch is cheap.
  'freeze-encoder': [{ name: 'train-heads', epochs: 3, frozen: ['encoder'], lr: { heads: PROBE_LR } }],
  // Continual learning: one task's head is kept as it is while the shared encoder moves;
  // its task is evaluated every epoch and a drop is reported.
  'freeze-head-a': [{ name: 'freeze-head-a', epochs: 2, frozen: ['task_a_head'], lr: { encoder: ENCODER_LR, task_b_head: HEAD_LR } }],
  'freeze-head-b': [{ name: 'freeze-head-b', epochs: 2, frozen: ['task_b_head'], lr: { encoder: ENCODER_LR, task_a_head: HEAD_LR } }],
  // Warm-up with the encoder frozen (epochs are cheap: its outputs are cached), then
  // fine-tune everything with the encoder at a smaller LR.
  recipe: [
    { name: 'warm-up', epochs: 3, frozen: ['encoder'], lr: { heads: PROBE_LR } },
    { name: 'fine-tune', epochs: 2, frozen: [], lr: { encoder: ENCODER_LR, heads: HEAD_LR }, schedule: { warmupSteps: 0, decay: 'linear' } },
  ],
};

/** The phases of `preset`, with the recipe's optional last phase that freezes one head. */
export function presetPhases(preset: PresetName, recipeFrozenHead: Experiment['recipeFrozenHead']): PhaseInput[] {
  const phases = [...PRESETS[preset]];
  if (preset === 'recipe' && recipeFrozenHead !== undefined) {
    const other = recipeFrozenHead === 'a' ? 'task_b_head' : 'task_a_head';
    phases.push({ name: `freeze-head-${recipeFrozenHead}`, epochs: 1, frozen: [`task_${recipeFrozenHead}_head`], lr: { encoder: ENCODER_LR, [other]: HEAD_LR } });
  }
  return phases;
}
