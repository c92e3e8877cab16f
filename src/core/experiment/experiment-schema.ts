// The experiment file (JSON): one flat, documented config. Every key has a default that says
// why, overrides are type-checked, and an unknown key is an error that names it. The JSON
// Schema shipped in schemas/ is generated from this (npm run schema), so editors check the
// same rules.

import { z } from 'zod';
import { ENGINE_CHOICES } from '../vocabulary/engines';

export const PRESET_NAMES = ['freeze-all', 'freeze-encoder', 'freeze-head-a', 'freeze-head-b', 'recipe'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

/** A learning rate: 0 (the group does not move) up to 1 (beyond that is a typo, not a setting). */
export const LearningRate = z.number().min(0, 'must be >= 0').max(1, 'must be <= 1 (a larger learning rate is almost surely a typo)');

const Task = z.strictObject({
  name: z.string().min(1).describe('Shown in charts and events, e.g. "question type".'),
  train: z.string().min(1).describe('Training data: .csv (header row) or .jsonl, relative to this file.'),
  validation: z.string().min(1).optional().describe('Validation data, same format; evaluated after every epoch.'),
  textColumn: z.string().min(1).default('text'),
  labelColumn: z.string().min(1).default('label'),
});

const Schedule = z.strictObject({
  warmupSteps: z.number().int().min(0).default(0).describe('Steps over which each LR rises linearly from 0 to its value.'),
  decay: z.enum(['constant', 'linear', 'cosine']).default('constant').describe('After warm-up: keep the LR, or decay it to 0 at the end of the phase.'),
});

export const Phase = z
  .strictObject({
    name: z.string().min(1),
    epochs: z.number().int().positive().optional().describe('Passes over the training data of the tasks whose heads train.'),
    steps: z.number().int().positive().optional().describe('Optimizer steps, instead of epochs.'),
    frozen: z.array(z.string()).default([]).describe('Groups that do not change: embeddings, layer.K, task_a_head, task_b_head, or the aliases encoder, heads.'),
    lr: z.record(z.string(), LearningRate).default({}).describe('Learning rate per group or alias; a group name wins over its alias.'),
    weightDecay: z.number().min(0).max(1).default(0.01).describe("AdamW's decoupled weight decay (not applied to biases and LayerNorm weights)."),
    schedule: Schedule.default({ warmupSteps: 0, decay: 'constant' }),
    optimizerState: z.enum(['keep', 'reset']).default('keep').describe('For groups this phase unfreezes: keep their AdamW moments from earlier phases, or start afresh.'),
    evaluateOnly: z.boolean().default(false).describe('Nothing trains: the loop runs and reports losses and validation metrics (the freeze-all scenario).'),
  })
  .refine((phase) => (phase.epochs === undefined) !== (phase.steps === undefined), { message: 'give exactly one of "epochs" and "steps"' });
export type Phase = z.infer<typeof Phase>;
export type PhaseInput = z.input<typeof Phase>;

/**
 * A sweep: every combination of the grid's values (dotted keys into this file, phases by name:
 * "phases.fine-tune.lr.layer.0") and of the seeds is a variant, and each variant is a run.
 * `thaw sweep` runs them; `thaw train` ignores this key.
 */
export const Sweep = z.strictObject({
  grid: z
    .record(z.string().min(1), z.array(z.unknown()).min(1, 'give at least one value'))
    .optional()
    .describe('Dotted key -> the values to try, e.g. {"phases.fine-tune.lr.encoder": [1e-5, 2e-5, 5e-5]}.'),
  seeds: z.array(z.number().int().min(0)).min(1).optional().describe('Repeats every variant with each of these seeds.'),
});
export type Sweep = z.infer<typeof Sweep>;

export const Experiment = z
  .strictObject({
    $schema: z.string().optional(),
    name: z.string().min(1).default('experiment').describe('Names the run folders.'),
    model: z.string().min(1).describe('A model folder (relative to this file) or a Hugging Face hub id.'),
    tasks: z
      .strictObject({ a: Task.optional().describe('Task A: sentence classification.'), b: Task.optional().describe('Task B: sentiment.') })
      .refine((tasks) => tasks.a !== undefined || tasks.b !== undefined, { message: 'give at least one task, "a" or "b"' }),
    batchSize: z.number().int().min(1).max(1024).default(16),
    maxSeqLength: z.number().int().min(2).max(8192).optional().describe("Longest input in tokens; default: the model folder's (128 for MiniLM)."),
    seed: z.number().int().min(0).default(42).describe('Seeds data order, dropout and new heads: the same seed gives the same run.'),
    lossWeights: z.strictObject({ a: z.number().min(0).default(1), b: z.number().min(0).default(1) }).default({ a: 1, b: 1 }),
    sampling: z
      .enum(['proportional', 'round-robin', 'temperature', 'joint'])
      .default('proportional')
      .describe('Which task each step trains: in proportion to data size, alternating, by size^(1/T), or both at once.'),
    samplingTemperature: z.number().positive().default(2),
    preset: z.enum(PRESET_NAMES).optional().describe('One of the classic scenarios; replaces "phases".'),
    recipeFrozenHead: z.enum(['a', 'b']).optional().describe('With the recipe preset: a last phase that freezes this task\'s head while the rest trains.'),
    phases: z.array(Phase).min(1).optional(),
    checkpointEverySteps: z.number().int().min(0).default(0).describe('Also checkpoint every N steps (0: only at the end of each phase).'),
    embeddingCache: z.boolean().default(true).describe("While the whole encoder is frozen, train the heads on its cached outputs (false: run it every step, e.g. to measure what the cache saves)."),
    engine: z
      .enum(ENGINE_CHOICES)
      .default('auto')
      .describe('What computes each training step: ONNX Runtime (several times faster), TensorFlow.js, or auto: ONNX Runtime where it loads, else tfjs. thaw train --engine overrides it.'),
    maxGradNorm: z.number().positive().nullable().default(1).describe('Clip the global gradient norm to this (null: no clipping).'),
    frozenHeadDropThreshold: z.number().min(0).max(1).default(0.05).describe("Warn when a frozen head's task accuracy falls by more than this."),
    output: z.string().min(1).default('runs').describe('Where run folders go, relative to this file.'),
    sweep: Sweep.optional().describe('Variants for thaw sweep: a grid of settings and seeds.'),
  })
  .refine((experiment) => experiment.preset !== undefined || experiment.phases !== undefined, { message: 'give "phases" or a "preset"', path: ['phases'] });
export type Experiment = z.infer<typeof Experiment>;
export type TaskConfig = z.infer<typeof Task>;
