// Runs side by side: which settings differ among them and which they share, key by key over
// their flattened configs. A key one run lacks differs (its value is null there), so a phase
// only one run has shows up, as it should.

import type { RunComparison, RunSummary } from '../../protocol/run-summary';

/**
 * Compares the configs of `runs`: `differing` maps each key whose values are not all equal to
 * the value per run (in the order of `runs`), `same` each key all runs agree on to its value.
 *
 * @example compareRuns([a, b]).differing // { seed: [1, 2], 'phases.fine-tune.lr.encoder': [2e-5, 3e-5] }
 */
export function compareRuns(runs: readonly RunSummary[]): RunComparison {
  const keys = new Set<string>();
  for (const run of runs) for (const key of Object.keys(run.config)) keys.add(key);
  const differing: Record<string, unknown[]> = {};
  const same: Record<string, unknown> = {};
  for (const key of [...keys].sort()) {
    const values = runs.map((run) => (Object.hasOwn(run.config, key) ? run.config[key] : null));
    const present = runs.every((run) => Object.hasOwn(run.config, key));
    const first = JSON.stringify(values[0]);
    if (present && values.every((value) => JSON.stringify(value) === first)) same[key] = values[0];
    else differing[key] = values;
  }
  return { runs, differing, same };
}
