// Reading an experiment file: JSON, validated against the schema, a preset expanded into its
// phases, and every path made absolute (relative paths are relative to the file), so the
// resolved experiment a run folder records runs the same from anywhere.

import { existsSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { ThawError } from '../errors';
import { looksLikeHubId } from '../model/hub-paths';
import { Experiment, Phase, type PresetName } from './experiment-schema';
import { presetPhases } from './presets';

/** An experiment with defaults filled in, phases expanded and absolute paths. */
export type ResolvedExperiment = Experiment & { readonly phases: Phase[]; readonly file: string };

function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const where = issue.path.join('.') || '(top level)';
      if (issue.code === 'unrecognized_keys') return `${where}: unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((key) => `"${key}"`).join(', ')}`;
      return `${where}: ${issue.message}`;
    })
    .join('; ');
}

/** Validates parsed JSON as an experiment; errors name the file and each offending key. */
export function parseExperiment(json: unknown, file: string, preset?: PresetName): ResolvedExperiment {
  const withPreset = preset === undefined ? json : { ...(json as object), preset };
  const result = Experiment.safeParse(withPreset);
  if (!result.success) throw new ThawError(`invalid experiment: ${describeIssues(result.error)}`, file);
  const experiment = result.data;
  const phases = experiment.preset !== undefined ? presetPhases(experiment.preset, experiment.recipeFrozenHead).map((phase) => Phase.parse(phase)) : experiment.phases!;
  const names = phases.map((phase) => phase.name);
  const duplicate = names.find((name, index) => names.indexOf(name) !== index);
  if (duplicate !== undefined) throw new ThawError(`invalid experiment: two phases are named "${duplicate}"`, file);
  return resolvePaths({ ...experiment, phases, file: path.resolve(file) });
}

/** Reads and validates an experiment file. `preset` (from the command line) replaces its phases. */
export async function loadExperiment(file: string, preset?: PresetName): Promise<ResolvedExperiment> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch {
    throw new ThawError('experiment file does not exist', file);
  }
  return parseExperimentText(text, file, preset);
}

/** Validates the text of an experiment file (as an editor holds it, saved or not). */
export function parseExperimentText(text: string, file: string, preset?: PresetName): ResolvedExperiment {
  // Experiment files are JSON with comments (as VS Code's settings are): people annotate them.
  const errors: ParseError[] = [];
  const json = parseJsonc(text, errors, { allowTrailingComma: true }) as unknown;
  if (errors.length > 0) {
    const { error, offset } = errors[0];
    const line = text.slice(0, offset).split('\n').length;
    throw new ThawError(`line ${line}: not valid JSON (${printParseErrorCode(error)})`, file);
  }
  return parseExperiment(json, file, preset);
}

function resolvePaths(experiment: ResolvedExperiment): ResolvedExperiment {
  const folder = path.dirname(experiment.file);
  const local = (value: string) => path.resolve(folder, value);
  // A model is a folder relative to the file when one is there (or its first folder is, as in
  // "models/minilm" before it is generated), else a hub id as written.
  const firstSegment = experiment.model.split('/')[0];
  const isPath = existsSync(local(experiment.model)) || existsSync(local(firstSegment)) || !looksLikeHubId(experiment.model);
  const model = isPath ? local(experiment.model) : experiment.model;
  const tasks = Object.fromEntries(
    Object.entries(experiment.tasks).map(([key, task]) => [key, task && { ...task, train: local(task.train), validation: task.validation && local(task.validation) }]),
  );
  return { ...experiment, model, tasks, output: local(experiment.output) };
}
