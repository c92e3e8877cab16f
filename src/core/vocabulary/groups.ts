// The names Thaw's parameter groups go by, everywhere: the Model view, the panel, experiment
// files, the trainer and its events. Dependency-free and browser-safe, so the protocol and the
// webview use it too. Every weight belongs to exactly one group.

export const TASK_KEYS = ['a', 'b'] as const;
export type TaskKey = (typeof TASK_KEYS)[number];

export const HEAD_NAMES = ['task_a_head', 'task_b_head'] as const;
export type HeadName = (typeof HEAD_NAMES)[number];

/** `embeddings`, `layer.0` ... `layer.N-1`, `task_a_head`, `task_b_head`. */
export type GroupName = 'embeddings' | `layer.${number}` | HeadName;

/** Names that stand for several groups at once. */
export const GROUP_ALIASES = ['encoder', 'heads'] as const;
export type GroupAlias = (typeof GROUP_ALIASES)[number];
export type GroupTarget = GroupName | GroupAlias;

/** A group name as text: for validators that check names arriving from files and processes. */
export const GROUP_NAME_PATTERN = /^(embeddings|layer\.\d+|task_a_head|task_b_head)$/;
/** A group name or an alias. */
export const GROUP_TARGET_PATTERN = /^(embeddings|layer\.\d+|task_a_head|task_b_head|encoder|heads)$/;

export function isHead(group: string): group is HeadName {
  return (HEAD_NAMES as readonly string[]).includes(group);
}

export function isEncoderGroup(group: string): boolean {
  return group === 'embeddings' || /^layer\.\d+$/.test(group);
}

export function headOfTask(task: TaskKey): HeadName {
  return `task_${task}_head`;
}

export function taskOfHead(head: HeadName): TaskKey {
  return head === 'task_a_head' ? 'a' : 'b';
}

/** "Task A head" for task_a_head: how the heads are named to people. */
export function headLabel(head: HeadName): string {
  return `Task ${taskOfHead(head).toUpperCase()} head`;
}

/** The encoder's groups of a model with `numLayers` layers: embeddings, then each layer. */
export function encoderGroupNames(numLayers: number): GroupName[] {
  return ['embeddings', ...Array.from({ length: numLayers }, (_, index): GroupName => `layer.${index}`)];
}

/** The groups of a model with `numLayers` encoder layers, in display order. */
export function allGroupNames(numLayers: number): GroupName[] {
  return [...encoderGroupNames(numLayers), ...HEAD_NAMES];
}

/** The alias a group falls under: its rate comes from the alias when it has none of its own. */
export function aliasOf(group: GroupName): GroupAlias {
  return isHead(group) ? 'heads' : 'encoder';
}

/**
 * Expands group names and aliases into distinct group names of `groups`, in their order.
 * Returns the names that are neither a group of the model nor an alias in `unknown`.
 *
 * @example expandGroupTargets(['encoder'], allGroupNames(6)).groups // ['embeddings', 'layer.0', ..., 'layer.5']
 */
export function expandGroupTargets(names: readonly string[], groups: readonly GroupName[]): { groups: GroupName[]; unknown: string[] } {
  const chosen = new Set<string>();
  const unknown: string[] = [];
  for (const name of names) {
    if (name === 'encoder') groups.filter((group) => !isHead(group)).forEach((group) => chosen.add(group));
    else if (name === 'heads') groups.filter(isHead).forEach((group) => chosen.add(group));
    else if ((groups as readonly string[]).includes(name)) chosen.add(name);
    else unknown.push(name);
  }
  return { groups: groups.filter((group) => chosen.has(group)), unknown };
}
