// What starting a phase of the selected experiment would do, worked out before anything
// changes: the phase as the file gives it (added from the recipe's defaults when the file
// lacks a warm-up or fine-tune phase), the checkpoint a later phase starts from, and the exact
// `thaw train` command. A reason to refuse instead, when the start cannot work. Pure: nothing
// is written here, so a refused start leaves the file and the views as they were.

import * as path from 'node:path';
import { ThawError, messageOf } from '../../core/errors';
import { parseExperimentText, type ResolvedExperiment } from '../../core/experiment/load-experiment';
import { addRecipePhase, RECIPE_PHASE_NAMES, type RecipePhaseName } from '../../core/experiment/phase-edits';
import { resolvePhase } from '../../core/experiment/resolve-phase';
import { forkKeyOf, phaseEndCheckpoint, type RunRecord } from '../../core/runs/run-listing';
import { formatParameterCount } from '../../core/vocabulary/format';
import type { ExperimentSnapshot } from '../experiment/experiment-snapshot';

export interface StartPlan {
  /** The file's new text when a phase had to be added; written only once the start goes ahead. */
  readonly newText?: string;
  readonly notice?: string;
  readonly phase: string;
  /** Checkpoints of earlier runs this phase can start from, newest first (empty for a first phase). */
  readonly fromCandidates: readonly string[];
  /** `thaw train` arguments, without `--from` (added once a candidate is chosen). */
  readonly args: readonly string[];
  /** One sentence for the notification. */
  readonly summary: string;
}

export interface StartContext {
  readonly snapshot: ExperimentSnapshot;
  readonly runs: readonly RunRecord[];
  /** The runs folder when the user's setting overrides the file's `output`. */
  readonly runsFolderSetting?: string;
  readonly exists: (file: string) => boolean;
  /** The checkpoint to start from, chosen by the user (Fine-tune from Here); else found among the runs. */
  readonly fromCheckpoint?: string;
}

export function planStart(phaseName: string, context: StartContext): StartPlan | { readonly refused: string } {
  const { snapshot } = context;
  if (snapshot.problem !== undefined || snapshot.experiment === undefined) return { refused: `${path.basename(snapshot.file)} has a problem: ${snapshot.problem?.message ?? 'it does not read'}` };
  let experiment: ResolvedExperiment = snapshot.experiment;
  let newText: string | undefined;
  let notice: string | undefined;
  if (!experiment.phases.some((phase) => phase.name === phaseName)) {
    if (!(RECIPE_PHASE_NAMES as readonly string[]).includes(phaseName)) return { refused: `${path.basename(snapshot.file)} has no phase named "${phaseName}"` };
    try {
      ({ text: newText, notice } = addRecipePhase(snapshot.text, phaseName as RecipePhaseName, snapshot.file));
      experiment = parseExperimentText(newText, snapshot.file);
    } catch (error) {
      return { refused: messageOf(error) };
    }
  }
  const index = experiment.phases.findIndex((phase) => phase.name === phaseName);
  const phase = experiment.phases[index];
  let trains = '';
  if (snapshot.model !== undefined) {
    try {
      const resolved = resolvePhase(phase, index, snapshot.model.groups.map((info) => info.group), snapshot.model.numLayers, snapshot.file);
      const count = snapshot.model.groups.filter((info) => resolved.trainable.includes(info.group)).reduce((sum, info) => sum + info.parameterCount, 0);
      trains = resolved.trainsNothing ? ', evaluating only' : `, training ${resolved.trainable.join(', ')}${count > 0 ? ` (${formatParameterCount(count)} parameters)` : ''}; frozen: ${resolved.frozen.join(', ') || 'nothing'}`;
    } catch (error) {
      return { refused: error instanceof ThawError ? error.reason : messageOf(error) };
    }
  }
  const fromCandidates = index === 0 ? [] : context.fromCheckpoint !== undefined ? [context.fromCheckpoint] : checkpointsBefore(experiment, index, context);
  if (index > 0 && fromCandidates.length === 0) {
    const previous = experiment.phases[index - 1].name;
    return {
      refused: `"${phaseName}" starts from the end of a "${previous}" phase of this experiment (same model and data), and ${path.basename(context.runsFolderSetting ?? experiment.output)} has none yet. Run the "${previous}" phase first.`,
    };
  }
  const length = phase.steps !== undefined ? `${phase.steps} steps` : `${phase.epochs} epoch${phase.epochs === 1 ? '' : 's'}`;
  return {
    ...(newText === undefined ? {} : { newText }),
    ...(notice === undefined ? {} : { notice }),
    phase: phaseName,
    fromCandidates,
    args: ['train', snapshot.file, '--phase', phaseName, ...(context.runsFolderSetting === undefined ? [] : ['--output', context.runsFolderSetting])],
    summary: `${phaseName}: ${length}${trains}.`,
  };
}

/** Checkpoints at the end of the phase before `index`, from runs of the same model and tasks. */
function checkpointsBefore(experiment: ResolvedExperiment, index: number, context: StartContext): string[] {
  const previous = experiment.phases[index - 1].name;
  const key = forkKeyOf(experiment);
  return context.runs
    .filter((run) => run.forkKey === key && run.completedPhases.some((phase) => phase.name === previous && phase.index === index - 1))
    .map((run) => phaseEndCheckpoint(run.folder, index - 1, previous))
    .filter(context.exists);
}
