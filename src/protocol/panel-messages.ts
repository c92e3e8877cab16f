// Messages between the training panel (webview) and the extension host. Both sides import
// these types; the host validates everything the webview sends (a webview is untrusted input),
// and the webview validates what it receives.

import { z } from 'zod';
import { GROUP_TARGET_PATTERN } from '../core/vocabulary/groups';
import { SCENARIO_NAMES } from '../core/vocabulary/scenarios';
import { TrainerEvent } from './trainer-events';
import { ENGINE_NAMES } from '../core/vocabulary/engines';

const groupTarget = z.string().regex(GROUP_TARGET_PATTERN);
const learningRate = z.number().min(0).max(1);

/**
 * One parameter group as the selected phase of the experiment file has it. `learningRate` is the
 * rate the phase gives the group, by its own key (`learningRateFrom: 'group'`) or by its alias
 * `encoder`/`heads` (`'alias'`); a frozen group keeps it when the file does ("freezing keeps the
 * rate"). Absent: the phase gives the group no rate.
 */
export const GroupRow = z.strictObject({
  group: z.string(),
  parameterCount: z.number().int().min(0),
  frozen: z.boolean(),
  learningRate: z.number().min(0).optional(),
  learningRateFrom: z.enum(['group', 'alias']).optional(),
});
export type GroupRow = z.infer<typeof GroupRow>;

/** The run the panel shows: the header's figures. */
export const RunHeader = z.strictObject({
  runId: z.string(),
  phase: z.string(),
  step: z.number().int().min(0),
  totalSteps: z.number().int().min(0),
  globalStep: z.number().int().min(0),
  elapsedMs: z.number().min(0),
  /** Estimated time left in the phase, when it can be told. */
  etaMs: z.number().min(0).optional(),
  backend: z.string(),
  /** What trains the current phase, from its phase-start (older runs do not say). */
  engine: z.enum(ENGINE_NAMES).optional(),
  status: z.enum(['running', 'completed', 'stopped', 'failed']),
  warnings: z.array(z.string()),
});
export type RunHeader = z.infer<typeof RunHeader>;

/** A phase of the experiment file, in the file's order; `hasRun`: a run from this file completed it. */
export const PhaseSummary = z.strictObject({ name: z.string().min(1), hasRun: z.boolean() });
export type PhaseSummary = z.infer<typeof PhaseSummary>;

/** Why the experiment file cannot be used as it is: its first error (1-based line, when known). */
export const ExperimentProblem = z.strictObject({ message: z.string().min(1), line: z.number().int().min(1).optional() });
export type ExperimentProblem = z.infer<typeof ExperimentProblem>;

export const HostToWebview = z.discriminatedUnion('type', [
  /**
   * The selected phase of the experiment file (the same one the Model view shows): its groups,
   * the file's phases, and whether a run is going. With a `problem` the file is invalid: the
   * panel shows the error and blocks edits and Start.
   */
  z.strictObject({
    type: z.literal('setup'),
    groups: z.array(GroupRow),
    trainableParameters: z.number().int().min(0),
    totalParameters: z.number().int().min(0),
    training: z.boolean(),
    experiment: z.string().optional(),
    phases: z.array(PhaseSummary),
    selectedPhase: z.string().min(1).optional(),
    problem: ExperimentProblem.optional(),
  }),
  /** Trainer events since the last message (at most ~10 messages a second); `reset` first clears the charts. */
  z.strictObject({
    type: z.literal('run'),
    reset: z.boolean(),
    header: RunHeader.optional(),
    events: z.array(TrainerEvent),
    /** A recorded run opened from the Runs view (its id), shown instead of the live one. */
    viewing: z.string().optional(),
  }),
]);
export type HostToWebview = z.infer<typeof HostToWebview>;

export const WebviewToHost = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('initialized') }),
  z.strictObject({ type: z.literal('setFrozen'), target: groupTarget, frozen: z.boolean() }),
  z.strictObject({ type: z.literal('setLearningRate'), target: groupTarget, value: learningRate }),
  /** Layer-wise LR decay: the top layer gets `base`, each lower layer (then the embeddings) x `factor`. */
  z.strictObject({ type: z.literal('setLayerDecay'), base: learningRate, factor: z.number().gt(0).max(1) }),
  z.strictObject({ type: z.literal('applyScenario'), scenario: z.enum(SCENARIO_NAMES) }),
  /** Shows (and edits) this phase of the file in the panel and the Model view. */
  z.strictObject({ type: z.literal('selectPhase'), phase: z.string().min(1) }),
  /** Starts this phase of the file. */
  z.strictObject({ type: z.literal('start'), phase: z.string().min(1) }),
  z.strictObject({ type: z.literal('stop') }),
  // The empty panel's ways in: the host runs "Thaw: Create Demo Experiment" or "Thaw: New Experiment".
  z.strictObject({ type: z.literal('onboard'), action: z.enum(['createDemo', 'newExperiment']) }),
  /** Leave a run opened from the Runs view and show the live one again. */
  z.strictObject({ type: z.literal('backToLive') }),
  /** The benchmark's figures, measured in the webview. */
  z.strictObject({ type: z.literal('renderTiming'), firstPaintMs: z.number().min(0), updateMs: z.array(z.number().min(0)), points: z.number().int().min(0) }),
]);
export type WebviewToHost = z.infer<typeof WebviewToHost>;

export type { Parsed } from './trainer-events';

function parseWith<T>(schema: z.ZodType<T>, value: unknown): { ok: true; value: T } | { ok: false; error: string } {
  const result = schema.safeParse(value);
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, error: result.error.issues.map((issue) => `${issue.path.join('.') || '(message)'}: ${issue.message}`).join('; ') };
}

export const parseWebviewToHost = (value: unknown) => parseWith(WebviewToHost, value);
export const parseHostToWebview = (value: unknown) => parseWith(HostToWebview, value);
