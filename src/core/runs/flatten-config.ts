// A resolved experiment as flat dotted keys, so runs compare key by key and a table can show
// only what differs. Phases are keyed by name, not position: inserting a phase must not make
// every later phase "differ". Group names hold dots themselves (`layer.0`), so keys are for
// display and comparison, not for parsing back.

export type FlatConfig = Record<string, unknown>;

/** Keys that say nothing about how a run trained. */
const IGNORED = new Set(['$schema', 'file']);

/**
 * Flattens an experiment (as its run's experiment.json holds it) to dotted keys. Objects
 * nest; the `phases` array is keyed by each phase's name; other arrays (`frozen`), empty
 * objects and scalars are values.
 *
 * @example flattenConfig({ seed: 1, phases: [{ name: 'warm-up', lr: { heads: 0.01 } }] })
 *   // { seed: 1, 'phases.warm-up.name': 'warm-up', 'phases.warm-up.lr.heads': 0.01 }
 */
export function flattenConfig(experiment: unknown): FlatConfig {
  const flat: FlatConfig = {};
  if (!isPlainObject(experiment)) return flat;
  for (const [key, value] of Object.entries(experiment)) {
    if (IGNORED.has(key) || value === undefined) continue;
    if (key === 'phases' && Array.isArray(value)) flattenPhases(value, flat);
    else flattenInto(value, key, flat);
  }
  return flat;
}

function flattenPhases(phases: readonly unknown[], flat: FlatConfig): void {
  phases.forEach((phase, index) => {
    const name = isPlainObject(phase) && typeof phase.name === 'string' ? phase.name : String(index);
    flattenInto(phase, `phases.${name}`, flat);
  });
}

function flattenInto(value: unknown, prefix: string, flat: FlatConfig): void {
  if (isPlainObject(value) && Object.keys(value).length > 0) {
    for (const [key, inner] of Object.entries(value)) if (inner !== undefined) flattenInto(inner, `${prefix}.${key}`, flat);
  } else {
    flat[prefix] = value;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
