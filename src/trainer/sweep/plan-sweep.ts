// A new sweep, planned and recorded before anything trains: its variants, the runs that make
// them (shared prefixes once), each run's steps, and the manifest under runs/.sweeps/.

import * as path from 'node:path';
import { checkOutputFolder } from '../../core/experiment/experiment-checks';
import { loadExperiment, type ResolvedExperiment } from '../../core/experiment/load-experiment';
import { manifestPath, newSweepId, type SweepManifest } from '../../core/sweeps/sweep-manifest';
import { planSegments } from '../../core/sweeps/sweep-plan';
import { sweepVariants } from '../../core/sweeps/sweep-variants';
import { datasetSizes, phaseSteps } from './sweep-steps';

export interface PlannedSweep {
  readonly manifest: SweepManifest;
  readonly manifestFile: string;
}

/** The experiment a run records: the resolved one, without its source path. */
function recorded(experiment: ResolvedExperiment): Record<string, unknown> {
  return JSON.parse(JSON.stringify({ ...experiment, file: undefined })) as Record<string, unknown>;
}

/**
 * Plans the sweep of `experimentFile` (its scenarios with `scenarios`). Errors (a bad grid
 * key, an invalid variant) are one ThawError each, before any run folder exists.
 *
 * @example const { manifest } = await planSweep('demo.thaw.json', { scenarios: true })
 */
export async function planSweep(experimentFile: string, options: { readonly scenarios?: boolean; readonly output?: string; readonly now?: Date } = {}): Promise<PlannedSweep> {
  const loaded = await loadExperiment(experimentFile);
  // --output (the editor's thaw.runsFolder setting): the runs and the manifest go there.
  const experiment = options.output === undefined ? loaded : { ...loaded, output: path.resolve(options.output) };
  const variants = sweepVariants(experiment, options);
  checkOutputFolder(experiment);
  const sizes = await datasetSizes(experiment);
  const segments = planSegments(variants);
  const id = newSweepId(experiment.output, experiment.name, options.now);
  const manifest: SweepManifest = {
    version: 1,
    id,
    experimentFile: experiment.file,
    createdAt: (options.now ?? new Date()).toISOString(),
    scenarios: options.scenarios ?? false,
    status: 'running',
    variants: variants.map((variant, index) => ({ label: variant.label, keys: variant.keys, run: segments.find((segment) => segment.variants.includes(index))!.id })),
    runs: segments.map((segment) => ({
      id: segment.id,
      ...(segment.parent === undefined ? {} : { parent: segment.parent }),
      firstPhase: segment.firstPhase,
      lastPhase: segment.lastPhase,
      phases: segment.experiment.phases.slice(segment.firstPhase).map((phase) => phase.name),
      steps: phaseSteps(segment.experiment, segment.firstPhase, segment.lastPhase, sizes),
      variants: [...segment.variants],
      experiment: recorded(segment.experiment),
      status: 'pending',
    })),
  };
  return { manifest, manifestFile: manifestPath(experiment.output, id) };
}
