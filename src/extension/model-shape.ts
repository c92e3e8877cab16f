// The groups of the selected experiment's model and their parameter counts, read from the
// model folder's config.json and the tasks' label sets: no TensorFlow.js in the extension host.

import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { TASK_KEYS } from '../protocol/trainer-events';
import { readTaskDatasets } from '../trainer/data/task-data';
import type { ResolvedExperiment } from '../trainer/experiment/load-experiment';
import { parseBertConfig } from '../trainer/model/bert-config';
import { encoderWeightSpecs } from '../trainer/model/bert-weights';
import { cacheRoot } from '../trainer/model/hub';
import { readJson } from '../trainer/model/model-folder';
import { allGroupNames, type GroupName } from '../trainer/model/parameter-groups';
import type { GroupInfo } from './freeze-state';

/** paraphrase-MiniLM-L6-v2's depth, shown until the model's own config can be read. */
const DEFAULT_LAYERS = 6;

function localFolder(model: string): string | undefined {
  if (existsSync(path.join(model, 'config.json'))) return model;
  const cached = path.join(cacheRoot(), 'hub', ...model.split('/'));
  return existsSync(path.join(cached, 'config.json')) ? cached : undefined;
}

/**
 * Each group with its parameter count. Counts are 0 where they cannot be known yet (a hub
 * model not downloaded, a dataset that does not read); the groups are always all there.
 */
export async function readGroupInfo(experiment: ResolvedExperiment): Promise<GroupInfo[]> {
  const folder = localFolder(experiment.model);
  const counts = new Map<GroupName, number>();
  let layers = DEFAULT_LAYERS;
  let hidden = 0;
  if (folder !== undefined) {
    const file = path.join(folder, 'config.json');
    const config = parseBertConfig(await readJson(file, 'a model folder needs config.json'), file);
    layers = config.num_hidden_layers;
    hidden = config.hidden_size;
    for (const spec of encoderWeightSpecs(config)) counts.set(spec.group, (counts.get(spec.group) ?? 0) + spec.shape.reduce((a, b) => a * b, 1));
  }
  for (const key of TASK_KEYS) {
    const task = experiment.tasks[key];
    if (task === undefined || hidden === 0) continue;
    const labels = (await readTaskDatasets(key, task).catch(() => undefined))?.labels.length ?? 0;
    counts.set(`task_${key}_head`, labels * hidden + labels);
  }
  const configured = (group: GroupName) => !group.endsWith('_head') || experiment.tasks[group === 'task_a_head' ? 'a' : 'b'] !== undefined;
  return allGroupNames(layers)
    .filter(configured)
    .map((group) => ({ group, parameterCount: counts.get(group) ?? 0 }));
}
