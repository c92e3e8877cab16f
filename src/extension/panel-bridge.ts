// What the training panel needs from the rest of the host: the freeze state as rows, the
// newest run's recorded events, and what to do with each request from the webview.

import { existsSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { HostToWebview, WebviewToHost } from '../protocol/panel-messages';
import { parseTrainerEvent, type TrainerEvent } from '../protocol/trainer-events';
import { scenarioFrozenGroups, type FreezeState } from './freeze-state';
import { runFoldersNewestFirst } from './phase-runs';
import type { GroupName } from '../trainer/model/parameter-groups';

export function setupMessage(state: FreezeState, training: boolean, experiment: string | undefined): Extract<HostToWebview, { type: 'setup' }> {
  return {
    type: 'setup',
    groups: state.groups.map(({ group, parameterCount }) => ({
      group,
      parameterCount,
      frozen: state.isFrozen(group),
      learningRate: state.learningRate(group),
      learningRateFrom: 'group' as const,
    })),
    trainableParameters: state.trainableParameters(),
    totalParameters: state.totalParameters(),
    training,
    // Until the host reads the phases from the file (branch main): the two phases the commands start.
    phases: [
      { name: 'warm-up', hasRun: false },
      { name: 'fine-tune', hasRun: false },
    ],
    ...(experiment === undefined ? {} : { experiment }),
  };
}

/** The events of the newest run under `runsFolder` (invalid lines skipped), or none. */
export async function newestRunEvents(runsFolder: string): Promise<TrainerEvent[]> {
  const [newest] = await runFoldersNewestFirst(runsFolder);
  const file = newest === undefined ? undefined : path.join(newest, 'events.jsonl');
  if (file === undefined || !existsSync(file)) return [];
  return (await fs.readFile(file, 'utf8'))
    .split('\n')
    .filter((line) => line.trim() !== '')
    .flatMap((line) => {
      try {
        const parsed = parseTrainerEvent(JSON.parse(line));
        return parsed.ok ? [parsed.value] : [];
      } catch {
        return []; // a line cut short by a crash
      }
    });
}

/** Applies a freeze-state request from the panel; false when it is not one. */
export function applyToState(state: FreezeState, message: Exclude<WebviewToHost, { type: 'initialized' }>): boolean {
  switch (message.type) {
    case 'setFrozen':
      state.setFrozen(message.target as GroupName | 'encoder' | 'heads', message.frozen);
      return true;
    case 'setLearningRate':
      state.setLearningRate(message.target as GroupName | 'encoder' | 'heads', message.value);
      return true;
    case 'setLayerDecay':
      state.setLayerDecay(message.base, message.factor);
      return true;
    case 'applyScenario':
      state.setFrozenGroups(scenarioFrozenGroups(state, message.scenario));
      return true;
    default:
      return false;
  }
}
