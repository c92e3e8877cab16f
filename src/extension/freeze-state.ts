// What is frozen and each group's learning rate: one small model, owned by the extension host.
// The Model tree and the training panel are views of it; the next phase is written from it.
// Pure TypeScript (no 'vscode'), so it is unit-tested without an editor.

import { HEAD_NAMES, type GroupName } from '../trainer/model/parameter-groups';

export interface GroupInfo {
  readonly group: GroupName;
  /** 0 while unknown (e.g. a hub model not downloaded yet). */
  readonly parameterCount: number;
}

/** Encoder-wide state as the tree's encoder row shows it. */
export type EncoderFreeze = 'frozen' | 'trainable' | 'partial';

export interface FreezeStateJson {
  readonly frozen: readonly string[];
  readonly learningRates: Readonly<Record<string, number>>;
}

/** The recipe's defaults: a pretrained encoder moves slowly, heads fast. */
export const DEFAULT_ENCODER_LR = 2e-5;
export const DEFAULT_HEAD_LR = 1e-3;

export function isHead(group: GroupName): boolean {
  return (HEAD_NAMES as readonly string[]).includes(group);
}

export class FreezeState {
  private readonly frozen = new Set<GroupName>();
  private readonly rates = new Map<GroupName, number>();
  private readonly listeners = new Set<() => void>();

  constructor(readonly groups: readonly GroupInfo[], saved?: FreezeStateJson) {
    for (const { group } of groups) this.rates.set(group, isHead(group) ? DEFAULT_HEAD_LR : DEFAULT_ENCODER_LR);
    if (saved !== undefined) {
      for (const group of saved.frozen) if (this.has(group)) this.frozen.add(group);
      for (const [group, rate] of Object.entries(saved.learningRates)) if (this.has(group) && Number.isFinite(rate) && rate >= 0) this.rates.set(group, rate);
    }
  }

  private has(group: string): group is GroupName {
    return this.groups.some((info) => info.group === group);
  }

  get encoderGroups(): GroupName[] {
    return this.groups.map((info) => info.group).filter((group) => !isHead(group));
  }

  get headGroups(): GroupName[] {
    return this.groups.map((info) => info.group).filter(isHead);
  }

  /** Calls `listener` after every change; returns a function that unsubscribes. */
  onDidChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }

  isFrozen(group: GroupName): boolean {
    return this.frozen.has(group);
  }

  encoderFreeze(): EncoderFreeze {
    const frozenCount = this.encoderGroups.filter((group) => this.frozen.has(group)).length;
    return frozenCount === 0 ? 'trainable' : frozenCount === this.encoderGroups.length ? 'frozen' : 'partial';
  }

  /** Freezes or thaws groups; 'encoder' stands for the embeddings and every layer, 'heads' for both heads. */
  setFrozen(target: GroupName | 'encoder' | 'heads', frozen: boolean): void {
    const groups = target === 'encoder' ? this.encoderGroups : target === 'heads' ? this.headGroups : [target];
    for (const group of groups) {
      if (!this.has(group)) continue;
      if (frozen) this.frozen.add(group);
      else this.frozen.delete(group);
    }
    this.changed();
  }

  /** Sets several groups at once (one change event), e.g. from a scenario. */
  setFrozenGroups(frozen: readonly GroupName[]): void {
    this.frozen.clear();
    for (const group of frozen) if (this.has(group)) this.frozen.add(group);
    this.changed();
  }

  frozenGroups(): GroupName[] {
    return this.groups.map((info) => info.group).filter((group) => this.frozen.has(group));
  }

  trainableGroups(): GroupName[] {
    return this.groups.map((info) => info.group).filter((group) => !this.frozen.has(group));
  }

  learningRate(group: GroupName): number {
    return this.rates.get(group) ?? 0;
  }

  /** Sets a learning rate (0 to 1) for a group, or for every group under 'encoder' or 'heads'. */
  setLearningRate(target: GroupName | 'encoder' | 'heads', rate: number): void {
    if (!Number.isFinite(rate) || rate < 0 || rate > 1) throw new RangeError(`a learning rate must be a number from 0 to 1, got ${rate}`);
    const groups = target === 'encoder' ? this.encoderGroups : target === 'heads' ? this.headGroups : [target];
    for (const group of groups) if (this.has(group)) this.rates.set(group, rate);
    this.changed();
  }

  /**
   * Layer-wise learning-rate decay (as in ULMFiT / ELECTRA fine-tuning): the top encoder layer
   * gets `base`, each layer below it `factor` times the one above, the embeddings last.
   */
  setLayerDecay(base: number, factor: number): void {
    if (!(factor > 0 && factor <= 1)) throw new RangeError(`a decay factor must be in (0, 1], got ${factor}`);
    const fromTop = [...this.encoderGroups].reverse(); // layer.N-1 ... layer.0, embeddings
    fromTop.forEach((group, depth) => this.rates.set(group, base * factor ** depth));
    this.setLearningRate(fromTop[0], base);
  }

  parameterCount(group: GroupName): number {
    return this.groups.find((info) => info.group === group)?.parameterCount ?? 0;
  }

  totalParameters(): number {
    return this.groups.reduce((sum, info) => sum + info.parameterCount, 0);
  }

  trainableParameters(): number {
    return this.trainableGroups().reduce((sum, group) => sum + this.parameterCount(group), 0);
  }

  toJSON(): FreezeStateJson {
    return { frozen: this.frozenGroups(), learningRates: Object.fromEntries(this.rates) };
  }
}

/** The seed's freezing scenarios, as the Model view's quick pick and the panel's buttons offer them. */
export const SCENARIOS = {
  'freeze-all': { label: 'Freeze all', detail: 'Sanity check / static embeddings: nothing trains.' },
  'freeze-encoder': { label: 'Freeze encoder', detail: 'Only the heads train (the warm-up setting).' },
  'freeze-head-a': { label: 'Freeze head A', detail: "Continual learning: task A's head stays; the encoder and head B train." },
  'freeze-head-b': { label: 'Freeze head B', detail: "Continual learning: task B's head stays; the encoder and head A train." },
  'thaw-all': { label: 'Thaw everything', detail: 'Every group trains.' },
} as const;
export type ScenarioName = keyof typeof SCENARIOS;

/** The groups a scenario freezes (all others thaw). */
export function scenarioFrozenGroups(state: FreezeState, scenario: ScenarioName): GroupName[] {
  switch (scenario) {
    case 'freeze-all':
      return [...state.encoderGroups, ...state.headGroups];
    case 'freeze-encoder':
      return state.encoderGroups;
    case 'freeze-head-a':
      return ['task_a_head'];
    case 'freeze-head-b':
      return ['task_b_head'];
    case 'thaw-all':
      return [];
  }
}
