// The parameter groups of an experiment's model and their parameter counts, read from the
// model's config.json (a local folder, the hub cache, or config.json alone from the hub) and
// the tasks' label sets. The host draws its tree from this and the trainer builds the same
// groups from the same config, so a 3- or 12-layer model shows as many layers as it has.

import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { readTaskDatasets } from '../data/task-datasets';
import { messageOf } from '../errors';
import type { ResolvedExperiment } from '../experiment/load-experiment';
import { readJson } from '../io/read-json';
import { TASK_KEYS, encoderGroupNames, headOfTask, type GroupName } from '../vocabulary/groups';
import { parseBertConfig, type BertConfig } from './bert-config';
import { encoderWeightSpecs, headWeightSpecs } from './bert-weights';
import { fetchHubConfig } from './hub-config';
import { hubCacheFolder } from './hub-paths';

export interface GroupInfo {
  readonly group: GroupName;
  /** 0 while unknown (a dataset that does not read, or reading it is not allowed). */
  readonly parameterCount: number;
}

export interface ModelGroups {
  readonly numLayers: number;
  readonly groups: readonly GroupInfo[];
  /** Why counts are missing, when some are (e.g. a dataset that does not read). */
  readonly note?: string;
}

export interface ModelGroupsOptions {
  /** Fetch config.json of an uncached hub model (false: fail instead). */
  readonly fetchFromHub: boolean;
  /** Read the tasks' training files to count the heads' classes (false in an untrusted workspace). */
  readonly readDatasets: boolean;
}

/** Where config.json of `model` is: a local folder, the hub cache, or fetched from the hub. */
export async function modelConfigFile(model: string, fetchFromHub: boolean): Promise<string> {
  const local = path.join(model, 'config.json');
  if (path.isAbsolute(model)) return local; // a folder (missing or not: the read says which)
  const cached = path.join(hubCacheFolder(model), 'config.json');
  if (existsSync(cached) || !fetchFromHub) return cached;
  return fetchHubConfig(model);
}

export async function readModelConfig(model: string, fetchFromHub: boolean): Promise<BertConfig> {
  const file = await modelConfigFile(model, fetchFromHub);
  return parseBertConfig(await readJson(file, 'a model folder needs config.json'), file);
}

/**
 * Each group of the experiment's model with its parameter count: embeddings, every layer its
 * config.json has, and a head for each configured task. Throws when config.json cannot be read.
 */
export async function readModelGroups(experiment: ResolvedExperiment, options: ModelGroupsOptions): Promise<ModelGroups> {
  const config = await readModelConfig(experiment.model, options.fetchFromHub);
  const counts = new Map<GroupName, number>();
  for (const spec of encoderWeightSpecs(config)) counts.set(spec.group, (counts.get(spec.group) ?? 0) + size(spec.shape));
  const groups: GroupInfo[] = encoderGroupNames(config.num_hidden_layers).map((group) => ({ group, parameterCount: counts.get(group) ?? 0 }));
  const notes: string[] = [];
  for (const key of TASK_KEYS) {
    const task = experiment.tasks[key];
    if (task === undefined) continue;
    const head = headOfTask(key);
    let parameterCount = 0;
    if (options.readDatasets) {
      try {
        const { labels } = await readTaskDatasets(key, task);
        parameterCount = headWeightSpecs(head, labels.length, config.hidden_size).reduce((sum, spec) => sum + size(spec.shape), 0);
      } catch (error) {
        notes.push(messageOf(error));
      }
    }
    groups.push({ group: head, parameterCount });
  }
  return { numLayers: config.num_hidden_layers, groups, ...(notes.length > 0 ? { note: notes.join('; ') } : {}) };
}

function size(shape: readonly number[]): number {
  return shape.reduce((product, dimension) => product * dimension, 1);
}
