// Forks after the longest common prefix of phases (DECISIONS, Starting from a checkpoint):
// variants that agree on everything that shapes phases 0..k share one run of those phases, and
// each continues from that run's phase-k-end checkpoint in a run of its own. The variants form
// a tree of phases; a run ends where a variant ends or where the tree branches.

import type { Phase } from '../experiment/experiment-schema';
import type { ResolvedExperiment } from '../experiment/load-experiment';
import type { SweepVariant } from './sweep-variants';

/** One run of a sweep: phases firstPhase..lastPhase of `experiment`, after its parent's. */
export interface PlannedSegment {
  readonly id: string;
  /** The segment whose last phase-end checkpoint this one continues from. */
  readonly parent?: string;
  readonly firstPhase: number;
  readonly lastPhase: number;
  /** The experiment the run records: the variant's, with the phases up to lastPhase. */
  readonly experiment: ResolvedExperiment;
  /** The variants whose run this is (they end here); none for a shared prefix. */
  readonly variants: readonly number[];
}

/** Settings that do not shape the numbers a phase produces. */
const NOT_SHAPING = new Set(['$schema', 'name', 'preset', 'recipeFrozenHead', 'phases', 'file', 'sweep', 'output', 'frozenHeadDropThreshold', 'checkpointEverySteps']);

/** Everything that shapes phases 0..index of `experiment`, as one string. */
export function prefixKey(experiment: ResolvedExperiment, index: number): string {
  const shaping = Object.fromEntries(Object.entries(experiment).filter(([key]) => !NOT_SHAPING.has(key)).sort(([a], [b]) => a.localeCompare(b)));
  return JSON.stringify({ shaping, phases: experiment.phases.slice(0, index + 1).map(sortedPhase) });
}

function sortedPhase(phase: Phase): unknown {
  return Object.fromEntries(Object.entries(phase).sort(([a], [b]) => a.localeCompare(b)));
}

interface PhaseNode {
  readonly key: string;
  readonly index: number;
  readonly experiment: ResolvedExperiment;
  readonly children: PhaseNode[];
  readonly endingVariants: number[];
}

/**
 * The runs of a sweep, parents before children.
 *
 * @example planSegments(variants).length // 4 for a warm-up shared by three fine-tune rates
 */
export function planSegments(variants: readonly SweepVariant[]): PlannedSegment[] {
  const roots: PhaseNode[] = [];
  variants.forEach((variant, number) => {
    let level = roots;
    let node: PhaseNode | undefined;
    for (let index = 0; index < variant.experiment.phases.length; index++) {
      const key = prefixKey(variant.experiment, index);
      node = level.find((candidate) => candidate.key === key);
      if (node === undefined) {
        node = { key, index, experiment: variant.experiment, children: [], endingVariants: [] };
        level.push(node);
      }
      level = node.children;
    }
    node!.endingVariants.push(number);
  });
  const segments: PlannedSegment[] = [];
  const experimentOf = (node: PhaseNode): ResolvedExperiment => {
    const ending = node.endingVariants[0];
    if (ending !== undefined) return variants[ending].experiment;
    // A shared prefix is no scenario of its own: it records its phases only.
    return { ...node.experiment, preset: undefined, recipeFrozenHead: undefined, phases: node.experiment.phases.slice(0, node.index + 1) };
  };
  const walk = (start: PhaseNode, parent: string | undefined) => {
    let node = start;
    // A run goes on while exactly one way leads on and no variant ends here.
    while (node.children.length === 1 && node.endingVariants.length === 0) node = node.children[0];
    const id = `r${segments.length}`;
    const experiment = experimentOf(node);
    segments.push({ id, ...(parent === undefined ? {} : { parent }), firstPhase: start.index, lastPhase: node.index, experiment, variants: node.endingVariants });
    for (const child of node.children) walk(child, id);
  };
  for (const root of roots) walk(root, undefined);
  return segments;
}
