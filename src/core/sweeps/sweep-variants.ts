// A sweep's variants: every combination of its scenarios (with --scenarios), grid values and
// seeds. A grid key multiplies only the variants it applies to, and is an error only when it
// applies to none (DECISIONS, Sweeps). Each variant is a whole resolved experiment without the
// sweep key; a scenario's names its scenario in "preset".

import { ThawError } from '../errors';
import { parseExperiment, type ResolvedExperiment } from '../experiment/load-experiment';
import { keyApplies, parseGridKey, setAtKey, type KeyStep } from './grid-keys';
import { scenarioPhases, sweepScenarios } from './scenario-phases';

/** What makes a variant: `scenario`, the grid keys as the user wrote them, `seed`. */
export type VariantKeys = Record<string, string | number | boolean | null | object>;

export interface SweepVariant {
  readonly keys: VariantKeys;
  /** "scenario=recipe phases.fine-tune.lr.encoder=2e-5 seed=1": how people see it. */
  readonly label: string;
  readonly experiment: ResolvedExperiment;
}

export function variantLabel(keys: VariantKeys): string {
  const entries = Object.entries(keys);
  return entries.length === 0 ? '(the experiment)' : entries.map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`).join(' ');
}

/** The experiment as plain JSON to edit: no sweep, no source path. */
function editable(experiment: ResolvedExperiment): Record<string, unknown> {
  return JSON.parse(JSON.stringify({ ...experiment, file: undefined, sweep: undefined })) as Record<string, unknown>;
}

function reparse(json: Record<string, unknown>, file: string, what: string): ResolvedExperiment {
  const preset = json.preset;
  try {
    const parsed = parseExperiment(JSON.parse(JSON.stringify({ ...json, preset: undefined })), file);
    return { ...parsed, ...(preset === undefined ? {} : { preset: preset as ResolvedExperiment['preset'] }) };
  } catch (error) {
    if (error instanceof ThawError) throw new ThawError(`sweep (${what}): ${error.reason}`, file);
    throw error;
  }
}

/**
 * The variants of `experiment`'s sweep (or its scenarios, with `scenarios`).
 *
 * @example sweepVariants(await loadExperiment('x.thaw.json'), { scenarios: true }).map((v) => v.label)
 */
export function sweepVariants(experiment: ResolvedExperiment, options: { readonly scenarios?: boolean } = {}): SweepVariant[] {
  const file = experiment.file;
  let variants: { keys: VariantKeys; json: Record<string, unknown> }[] = options.scenarios
    ? sweepScenarios(experiment).map((scenario) => ({
        keys: { scenario: scenario.name },
        json: { ...editable(experiment), preset: scenario.preset, recipeFrozenHead: scenario.recipeFrozenHead, phases: scenarioPhases(scenario, experiment) },
      }))
    : [{ keys: {}, json: editable(experiment) }];

  const grid = Object.entries(experiment.sweep?.grid ?? {});
  const phaseNames = [...new Set(variants.flatMap((variant) => (variant.json.phases as { name: string }[]).map((phase) => phase.name)))];
  const parsed: [string, KeyStep[], unknown[]][] = grid.map(([key, values]) => [key, parseGridKey(key, phaseNames, file), values]);
  for (const [key, steps, values] of parsed) {
    const applies = (json: Record<string, unknown>) => keyApplies(steps, json as { phases: { name: string }[] });
    if (!variants.some((variant) => applies(variant.json))) {
      const phase = steps.find((step) => 'phase' in step);
      throw new ThawError(`sweep.grid: "${key}" applies to no variant: no ${options.scenarios ? 'scenario' : 'experiment'} has a phase named "${phase && 'phase' in phase ? phase.phase : '?'}" (phases: ${phaseNames.join(', ')})`, file);
    }
    variants = variants.flatMap((variant) =>
      applies(variant.json) ? values.map((value) => ({ keys: { ...variant.keys, [key]: value as VariantKeys[string] }, json: setAtKey(variant.json, steps, value) })) : [variant],
    );
  }
  const seeds = experiment.sweep?.seeds;
  if (seeds !== undefined) variants = variants.flatMap((variant) => seeds.map((seed) => ({ keys: { ...variant.keys, seed }, json: { ...variant.json, seed } })));
  return variants.map(({ keys, json }) => {
    const label = variantLabel(keys);
    return { keys, label, experiment: reparse(json, file, label) };
  });
}
