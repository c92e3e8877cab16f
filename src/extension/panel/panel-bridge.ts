// What the training panel needs from the rest of the host: the selected phase of the
// experiment as rows, the newest run's recorded events, and the file edit each request from
// the webview stands for.

import { existsSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { PhaseChange } from '../../core/experiment/phase-edits';
import { EVENTS_FILE, runFoldersNewestFirst } from '../../core/runs/run-listing';
import { scenarioFrozenGroups } from '../../core/vocabulary/scenarios';
import type { GroupTarget } from '../../core/vocabulary/groups';
import type { HostToWebview, WebviewToHost } from '../../protocol/panel-messages';
import { parseTrainerEvent, type TrainerEvent } from '../../protocol/trainer-events';
import { groupNamesOf, parameterCount, totalParameters, trainableParameters, type ExperimentSnapshot } from '../experiment/experiment-snapshot';

export type SetupMessage = Extract<HostToWebview, { type: 'setup' }>;

export function setupMessage(snapshot: ExperimentSnapshot, training: boolean): SetupMessage {
  return {
    type: 'setup',
    groups: snapshot.settings.map((setting) => ({
      group: setting.group,
      parameterCount: parameterCount(snapshot, setting.group),
      frozen: setting.frozen,
      ...(setting.learningRate === undefined ? {} : { learningRate: setting.learningRate, learningRateFrom: setting.learningRateFrom }),
    })),
    trainableParameters: trainableParameters(snapshot),
    totalParameters: totalParameters(snapshot),
    training,
    experiment: path.basename(snapshot.file),
    phases: snapshot.phases.map((phase) => ({ name: phase.name, hasRun: phase.hasRun })),
    ...(snapshot.selectedPhase === undefined ? {} : { selectedPhase: snapshot.selectedPhase }),
    ...(snapshot.problem === undefined ? {} : { problem: snapshot.problem }),
  };
}

/** Reading a run's events for the charts stops here; a run's events are far smaller. */
const MAX_EVENTS_BYTES = 256 << 20;

/** The events of the newest run under `runsFolder` (invalid lines skipped), or none. */
export async function newestRunEvents(runsFolder: string): Promise<TrainerEvent[]> {
  const [newest] = await runFoldersNewestFirst(runsFolder);
  return newest === undefined ? [] : runEvents(newest);
}

/** The events of the run in `runFolder` (invalid lines skipped), or none. */
export async function runEvents(runFolder: string): Promise<TrainerEvent[]> {
  const file = path.join(runFolder, EVENTS_FILE);
  if (!existsSync(file) || (await fs.stat(file)).size > MAX_EVENTS_BYTES) return [];
  return (await fs.readFile(file, 'utf8'))
    .split('\n')
    .filter((line) => line.trim() !== '')
    .flatMap((line) => {
      try {
        const parsed = parseTrainerEvent(JSON.parse(line));
        return parsed.ok ? [parsed.value] : [];
      } catch {
        return []; // a line cut short by a kill
      }
    });
}

/** The file edit a panel request stands for, or undefined when it is not an edit. */
export function phaseChangeOf(message: Exclude<WebviewToHost, { type: 'initialized' | 'backToLive' }>, snapshot: ExperimentSnapshot): PhaseChange | undefined {
  switch (message.type) {
    case 'setFrozen':
      return { kind: 'freeze', target: message.target as GroupTarget, frozen: message.frozen };
    case 'setLearningRate':
      return { kind: 'learningRate', target: message.target as GroupTarget, rate: message.value };
    case 'setLayerDecay':
      return { kind: 'layerDecay', base: message.base, factor: message.factor };
    case 'applyScenario':
      return { kind: 'frozenGroups', frozen: scenarioFrozenGroups(groupNamesOf(snapshot), message.scenario) };
    default:
      return undefined;
  }
}
