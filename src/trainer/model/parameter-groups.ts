// Named parameter groups: the unit of freezing and of learning rates everywhere in Thaw
// (tree view, panel, experiment files, optimizer). Every weight belongs to exactly one group.

import type { Variable } from '@tensorflow/tfjs';
import { allGroupNames, type GroupName } from '../../core/vocabulary/groups';

export { resolveGroupNames } from '../../core/experiment/group-names';
export { HEAD_NAMES, GROUP_ALIASES, allGroupNames, type GroupName, type HeadName, type GroupAlias } from '../../core/vocabulary/groups';

/** A trainable weight with its Hugging Face name and its group. */
export interface NamedParameter {
  readonly name: string;
  readonly group: GroupName;
  readonly variable: Variable;
}

export interface GroupSummary {
  readonly group: GroupName;
  readonly parameterCount: number;
  readonly tensorCount: number;
}

/** All trainable weights of a model, looked up by name or by group. */
export class ParameterSet {
  private readonly byName = new Map<string, NamedParameter>();

  constructor(
    readonly numLayers: number,
    parameters: readonly NamedParameter[],
  ) {
    for (const parameter of parameters) {
      if (this.byName.has(parameter.name)) throw new Error(`duplicate parameter ${parameter.name}`);
      this.byName.set(parameter.name, parameter);
    }
  }

  get all(): NamedParameter[] {
    return [...this.byName.values()];
  }

  get(name: string): NamedParameter | undefined {
    return this.byName.get(name);
  }

  inGroup(group: GroupName): NamedParameter[] {
    return this.all.filter((parameter) => parameter.group === group);
  }

  /** Each group with its parameter count, in display order; groups without weights are left out. */
  summaries(): GroupSummary[] {
    return allGroupNames(this.numLayers)
      .map((group) => {
        const members = this.inGroup(group);
        return { group, parameterCount: members.reduce((sum, p) => sum + p.variable.size, 0), tensorCount: members.length };
      })
      .filter((summary) => summary.tensorCount > 0);
  }

  parameterCount(): number {
    return this.all.reduce((sum, parameter) => sum + parameter.variable.size, 0);
  }
}
