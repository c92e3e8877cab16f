// The comparison page's handle on the host and what it remembers across reloads: the compared
// run folders (VS Code gives them to the host's serializer after a reload, so the same runs are
// read again) and the user's view choices. The host resends the data itself.

import type { CompareWebviewToHost } from '../../../src/protocol/compare-messages';
import { webviewApi } from '../shared/webview-api';
import type { XAxis } from './overlay-data';
import type { TableSort } from './table-model';

export interface CompareUiState {
  readonly runFolders: readonly string[];
  readonly smoothing: number;
  readonly x: XAxis;
  readonly learningRateGroup?: string;
  readonly sort?: TableSort;
  readonly filter: string;
  readonly showAllConfig: boolean;
  readonly baseline?: string;
}

const DEFAULT_STATE: CompareUiState = { runFolders: [], smoothing: 0.8, x: 'step', filter: '', showAllConfig: false };

const api = webviewApi<CompareWebviewToHost, CompareUiState>();

export function postToHost(message: CompareWebviewToHost): void {
  api.postMessage(message);
}

const isString = (value: unknown): value is string => typeof value === 'string';

/** The saved state, with defaults for anything missing or malformed (it may come from an older version). */
export function readCompareState(): CompareUiState {
  const saved = api.getState();
  if (typeof saved !== 'object' || saved === null) return DEFAULT_STATE;
  const state = saved as Partial<Record<keyof CompareUiState, unknown>>;
  const sort = state.sort as Partial<TableSort> | undefined;
  return {
    runFolders: Array.isArray(state.runFolders) ? state.runFolders.filter(isString) : [],
    smoothing: typeof state.smoothing === 'number' && state.smoothing >= 0 && state.smoothing < 1 ? state.smoothing : DEFAULT_STATE.smoothing,
    x: state.x === 'epoch' ? 'epoch' : 'step',
    ...(isString(state.learningRateGroup) ? { learningRateGroup: state.learningRateGroup } : {}),
    ...(isString(sort?.column) && (sort.direction === 'ascending' || sort.direction === 'descending') ? { sort: { column: sort.column, direction: sort.direction } } : {}),
    filter: isString(state.filter) ? state.filter : '',
    showAllConfig: state.showAllConfig === true,
    ...(isString(state.baseline) ? { baseline: state.baseline } : {}),
  };
}

export function saveCompareState(change: Partial<CompareUiState>): void {
  const next: Record<string, unknown> = { ...readCompareState(), ...change };
  // An explicit undefined clears a choice (no baseline).
  for (const key of Object.keys(change) as (keyof CompareUiState)[]) if (change[key] === undefined) delete next[key];
  api.setState(next as unknown as CompareUiState);
}
