// A sweep's grid keys: dotted paths into the experiment, parsed with its schema so that a key
// that is not in the schema is an error naming it, phases are found by name, and group names
// keep their dots ("phases.fine-tune.lr.layer.0" sets lr["layer.0"] of the fine-tune phase).

import type { z } from 'zod';
import { ThawError } from '../errors';
import { Experiment } from '../experiment/experiment-schema';

/** One step of a parsed key: an object key, or a phase (an element of "phases") by its name. */
export type KeyStep = { readonly key: string } | { readonly phase: string };

/** Keys a grid may not vary: they name the sweep, the file or where runs go, not the training. */
const NOT_SWEPT = new Set(['$schema', 'sweep', 'name', 'output', 'preset', 'phases']);

interface SchemaDef {
  readonly type: string;
  readonly innerType?: z.ZodType;
  readonly shape?: Record<string, z.ZodType>;
  readonly valueType?: z.ZodType;
  readonly element?: z.ZodType;
}

function defOf(schema: z.ZodType): SchemaDef {
  let def = (schema as unknown as { _zod: { def: SchemaDef } })._zod.def;
  while (def.innerType !== undefined && ['optional', 'default', 'nullable', 'prefault', 'readonly', 'nonoptional'].includes(def.type)) {
    def = (def.innerType as unknown as { _zod: { def: SchemaDef } })._zod.def;
  }
  return def;
}

function isContainer(schema: z.ZodType): boolean {
  return ['object', 'record', 'array'].includes(defOf(schema).type);
}

/**
 * Parses `key` against the experiment schema. `phaseNames` are the phases any variant has:
 * a phase name may itself contain dots, so the longest that matches is taken.
 *
 * @example parseGridKey('phases.fine-tune.lr.layer.0', ['warm-up', 'fine-tune']) // [{key:'phases'},{phase:'fine-tune'},{key:'lr'},{key:'layer.0'}]
 */
export function parseGridKey(key: string, phaseNames: readonly string[], file?: string): KeyStep[] {
  const fail = (reason: string) => new ThawError(`sweep.grid: "${key}": ${reason}`, file);
  const segments = key.split('.');
  if (NOT_SWEPT.has(segments[0]) && !(segments[0] === 'phases' && segments.length > 2)) {
    throw fail(segments[0] === 'phases' ? 'name a setting of a phase, e.g. phases.fine-tune.lr.encoder' : `"${segments[0]}" cannot be swept`);
  }
  const steps: KeyStep[] = [];
  let schema: z.ZodType = Experiment;
  for (let i = 0; i < segments.length; ) {
    const def = defOf(schema);
    if (def.type === 'object') {
      const next = def.shape?.[segments[i]];
      if (next === undefined) throw fail(`unknown key "${segments[i]}"${steps.length === 0 ? '' : ` after "${segments.slice(0, i).join('.')}"`}; valid: ${Object.keys(def.shape ?? {}).join(', ')}`);
      steps.push({ key: segments[i] });
      schema = next;
      i += 1;
    } else if (def.type === 'array' && def.element !== undefined && defOf(def.element).shape?.name !== undefined) {
      const rest = segments.slice(i);
      const length = [...phaseNames].map((name) => name.split('.').length).filter((n) => n < rest.length && phaseNames.includes(rest.slice(0, n).join('.'))).sort((a, b) => b - a)[0] ?? 1;
      steps.push({ phase: rest.slice(0, length).join('.') });
      schema = def.element;
      i += length;
    } else if (def.type === 'record' && def.valueType !== undefined) {
      // A record of plain values (lr) takes the rest of the key as one name: group names have dots.
      const length = isContainer(def.valueType) ? 1 : segments.length - i;
      steps.push({ key: segments.slice(i, i + length).join('.') });
      schema = def.valueType;
      i += length;
    } else {
      throw fail(`"${segments.slice(0, i).join('.')}" is a value, not an object; nothing is under it`);
    }
  }
  return steps;
}

/** Does the key lead somewhere in this experiment (its phases exist)? */
export function keyApplies(steps: readonly KeyStep[], experiment: { readonly phases: readonly { readonly name: string }[] }): boolean {
  return steps.every((step) => !('phase' in step) || experiment.phases.some((phase) => phase.name === step.phase));
}

/** A copy of `json` with the value at `steps` set (objects on the way are created). */
export function setAtKey(json: Record<string, unknown>, steps: readonly KeyStep[], value: unknown): Record<string, unknown> {
  const [first, ...rest] = steps;
  if (first === undefined) return json;
  if ('phase' in first) throw new Error('a key starts with an object key');
  if (rest.length === 0) return { ...json, [first.key]: value };
  const next = rest[0];
  if ('phase' in next) {
    const phases = (json[first.key] as Record<string, unknown>[] | undefined) ?? [];
    return { ...json, [first.key]: phases.map((phase) => (phase.name === next.phase ? setAtKey(phase, rest.slice(1), value) : phase)) };
  }
  const child = json[first.key];
  return { ...json, [first.key]: setAtKey(child !== null && typeof child === 'object' ? (child as Record<string, unknown>) : {}, rest, value) };
}
