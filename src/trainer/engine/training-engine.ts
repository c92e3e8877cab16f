// The seam between the training loop and what computes a step. The Trainer owns phases,
// sampling, freezing, validation, checkpoints and events; an engine owns one optimizer step:
// the forward and backward passes over a step's task batches, clipping and AdamW. Both engines
// read the same dropout masks (dropout-masks.ts), write the same optimizer state file, and
// leave their weights in the model's parameters whenever the Trainer asks (syncWeights), so a
// checkpoint is the same files whichever engine wrote it.

import type { TaskKey } from '../../protocol/trainer-events';
import type { ResolvedPhase } from '../../core/experiment/resolve-phase';
import type { ScheduledStep } from '../data/batch-schedule';
import type { OptimizerState } from '../optim/adamw';
import type { PooledEmbeddings } from '../train/pooled-embeddings';
import type { EngineName } from '../../core/vocabulary/engines';

export interface StepInput {
  readonly step: ScheduledStep;
  readonly phase: ResolvedPhase;
  /** Each group's learning rate at this step (0 for frozen groups). */
  readonly learningRates: Readonly<Record<string, number>>;
  /** Where the tfjs engine reads sentence embeddings (the cache or a live encoder pass). */
  readonly embeddings: PooledEmbeddings;
  /** The step's global index before it runs: it keys the dropout masks. */
  readonly globalStep: number;
}

/**
 * One optimizer step at a time, phase by phase.
 *
 * @example
 * await engine.beginPhase(phase);
 * const losses = await engine.trainStep({ step, phase, learningRates, embeddings, globalStep });
 * engine.syncWeights(); // before reading model.parameters: checkpoints, hashes, validation
 * await engine.endPhase();
 */
export interface TrainingEngine {
  readonly name: EngineName;
  /** For people: "onnxruntime 1.14.0 (2 threads)", "wasm (...)". */
  readonly description: string;
  /** The AdamW state, in the format of optimizer-state-file.ts. */
  readonly optimizer: OptimizerState;
  beginPhase(phase: ResolvedPhase): Promise<void>;
  /**
   * One optimizer step (or, when nothing trains, one forward pass); returns each task's loss.
   * A non-finite loss, gradient or moment throws a ThawError before any weight changes.
   */
  trainStep(input: StepInput): Promise<Partial<Record<TaskKey, number>>>;
  /** Makes the model's parameters hold the engine's current weights. */
  syncWeights(): void;
  endPhase(): Promise<void>;
  dispose(): Promise<void>;
}

/** No decay for biases and LayerNorm weights, as in BERT's and Hugging Face's recipes. */
export function decays(name: string): boolean {
  return !name.endsWith('.bias') && !name.includes('LayerNorm');
}

/** The message of a step that stops before its update. */
export function stopBeforeMessage(what: string, globalStep: number, phase: ResolvedPhase): string {
  return `${what} at step ${globalStep + 1} (phase "${phase.name}"); the run stops before the update and keeps its last good checkpoint. Try a smaller learning rate or loss weight, or set maxGradNorm.`;
}
