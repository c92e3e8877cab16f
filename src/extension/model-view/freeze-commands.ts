// The Model view's quick picks: freeze a task head, apply a freezing scenario, select the
// phase the views show. Each ends in an edit of the selected phase, or a new selection.

import * as vscode from 'vscode';
import type { PhaseChange } from '../../core/experiment/phase-edits';
import { headLabel, isHead } from '../../core/vocabulary/groups';
import { SCENARIOS, scenarioFrozenGroups, type ScenarioName } from '../../core/vocabulary/scenarios';
import { groupNamesOf, type ExperimentSnapshot } from '../experiment/experiment-snapshot';

export async function pickHeadToFreeze(snapshot: ExperimentSnapshot): Promise<PhaseChange | undefined> {
  const heads = groupNamesOf(snapshot).filter(isHead);
  const pick = await vscode.window.showQuickPick(
    heads.map((group) => ({ label: headLabel(group), description: group, group })),
    { title: `Thaw: freeze which task head in "${snapshot.selectedPhase}"?` },
  );
  return pick === undefined ? undefined : { kind: 'freeze', target: pick.group, frozen: true };
}

export async function pickScenario(snapshot: ExperimentSnapshot): Promise<PhaseChange | undefined> {
  const items = Object.entries(SCENARIOS).map(([name, { label, detail }]) => ({ label, detail, name: name as ScenarioName }));
  const pick = await vscode.window.showQuickPick(items, { title: `Thaw: apply a freezing scenario to "${snapshot.selectedPhase}"` });
  return pick === undefined ? undefined : { kind: 'frozenGroups', frozen: scenarioFrozenGroups(groupNamesOf(snapshot), pick.name) };
}

export async function pickPhase(snapshot: ExperimentSnapshot): Promise<string | undefined> {
  const pick = await vscode.window.showQuickPick(
    snapshot.phases.map((phase) => ({ label: phase.name, description: phase.hasRun ? 'ran' : undefined, picked: phase.name === snapshot.selectedPhase })),
    { title: 'Thaw: which phase do the Model view and the panel show and edit?' },
  );
  return pick?.label;
}
