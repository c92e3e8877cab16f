// Which examples each optimizer step of a phase trains on. The schedule is a pure function of
// the seed, so a resumed run trains on exactly the batches the interrupted one would have.

import seedrandom from 'seedrandom';
import type { TaskKey } from '../../protocol/trainer-events';

export type Sampling = 'proportional' | 'round-robin' | 'temperature' | 'joint';

export interface TaskBatch {
  readonly task: TaskKey;
  /** Indices into the task's training examples. */
  readonly indices: readonly number[];
}

export interface ScheduledStep {
  readonly batches: readonly TaskBatch[];
}

/**
 * The steps of one phase, made one epoch at a time as the loop asks for them: a phase of
 * millions of steps holds one epoch in memory, not all of them.
 */
export interface PhaseSchedule {
  readonly totalSteps: number;
  /** The epoch (1-based) that ends after `count` steps, or undefined: validation runs there. */
  epochEndingAt(count: number): number | undefined;
  /** The steps from `start` (0-based) on; the epochs before it are replayed, so resuming sees the same batches. */
  stepsFrom(start: number): Generator<ScheduledStep>;
}

export interface ScheduleOptions {
  /** Each task's training examples, by token length (length bucketing needs them). */
  readonly tasks: readonly { readonly task: TaskKey; readonly lengths: readonly number[] }[];
  readonly sampling: Sampling;
  readonly temperature: number;
  readonly batchSize: number;
  /** Seeds everything; includes the phase so phases differ. */
  readonly seed: string;
  readonly epochs?: number;
  readonly steps?: number;
}

/** Examples are sorted by length within pools of this many batches, then batches shuffled. */
const POOL_BATCHES = 50;

function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

/**
 * One pass over a task's examples in batches of similar length: shuffled, sorted by length
 * within pools of 50 batches (so batches pad little but are not sorted overall), then the
 * batches shuffled.
 */
export function epochBatches(lengths: readonly number[], batchSize: number, seed: string): number[][] {
  const random = seedrandom(seed);
  const order = shuffle([...lengths.keys()], random);
  const batches: number[][] = [];
  for (let start = 0; start < order.length; start += batchSize * POOL_BATCHES) {
    const pool = order.slice(start, start + batchSize * POOL_BATCHES).sort((a, b) => lengths[a] - lengths[b]);
    for (let offset = 0; offset < pool.length; offset += batchSize) batches.push(pool.slice(offset, offset + batchSize));
  }
  return shuffle(batches, random);
}

/** A task's batches, epoch after epoch, as a queue that refills itself. */
class TaskStream {
  private queue: number[][] = [];
  private refills = 0;

  constructor(
    readonly task: TaskKey,
    private readonly lengths: readonly number[],
    private readonly batchSize: number,
    private readonly seed: string,
  ) {}

  next(): TaskBatch {
    if (this.queue.length === 0) this.queue = epochBatches(this.lengths, this.batchSize, `${this.seed}:${this.task}:${this.refills++}`);
    return { task: this.task, indices: this.queue.shift()! };
  }

  batchesPerEpoch(): number {
    return Math.ceil(this.lengths.length / this.batchSize);
  }
}

/** Optimizer steps in one epoch: every batch of every task, or with `joint` the largest task's. */
function stepsPerEpoch(streams: readonly TaskStream[], sampling: Sampling): number {
  const counts = streams.map((stream) => stream.batchesPerEpoch());
  if (counts.length === 0) return 0;
  return sampling === 'joint' ? Math.max(...counts) : counts.reduce((sum, count) => sum + count, 0);
}

/**
 * The steps of one phase. An epoch is one pass over every training task's data (with `joint`,
 * over the largest task's, the smaller ones repeating). With `steps`, epochs end every full
 * pass and at the last step.
 *
 * @example buildPhaseSchedule({ tasks: [{ task: 'a', lengths }], sampling: 'proportional', temperature: 2, batchSize: 16, seed: '42:0', epochs: 2 })
 */
export function buildPhaseSchedule(options: ScheduleOptions): PhaseSchedule {
  const perEpoch = stepsPerEpoch(
    options.tasks.map(({ task, lengths }) => new TaskStream(task, lengths, options.batchSize, options.seed)),
    options.sampling,
  );
  // With no task to train on there are no batches: an empty phase, never an endless loop.
  const totalSteps = perEpoch === 0 ? 0 : (options.steps ?? perEpoch * (options.epochs ?? 1));
  return {
    totalSteps,
    epochEndingAt: (count) => (count === totalSteps || (count % perEpoch === 0 && count < totalSteps) ? Math.ceil(count / perEpoch) : undefined),
    *stepsFrom(start) {
      // Streams carry their queues across epochs, so every run replays them from the start.
      const streams = options.tasks.map(({ task, lengths }) => new TaskStream(task, lengths, options.batchSize, options.seed));
      for (let epoch = 0, first = 0; first < totalSteps; epoch++, first += perEpoch) {
        const steps = epochSteps(streams, options, seedrandom(`${options.seed}:epoch:${epoch}`));
        for (let index = Math.max(start - first, 0); index < steps.length && first + index < totalSteps; index++) yield steps[index];
      }
    },
  };
}

function epochSteps(streams: readonly TaskStream[], options: ScheduleOptions, random: () => number): ScheduledStep[] {
  const counts = streams.map((stream) => stream.batchesPerEpoch());
  const total = counts.reduce((sum, count) => sum + count, 0);
  switch (options.sampling) {
    case 'joint':
      return Array.from({ length: Math.max(...counts) }, () => ({ batches: streams.map((stream) => stream.next()) }));
    case 'round-robin': {
      const order: TaskStream[] = [];
      for (let round = 0; order.length < total; round++) streams.forEach((stream, index) => round < counts[index] && order.push(stream));
      return order.map((stream) => ({ batches: [stream.next()] }));
    }
    case 'proportional': {
      const order = shuffle(streams.flatMap((stream, index) => Array.from({ length: counts[index] }, () => stream)), random);
      return order.map((stream) => ({ batches: [stream.next()] }));
    }
    case 'temperature': {
      // p(task) proportional to size^(1/T): T = 1 is proportional, large T approaches uniform.
      const weights = options.tasks.map(({ lengths }) => lengths.length ** (1 / options.temperature));
      const sum = weights.reduce((a, b) => a + b, 0);
      return Array.from({ length: total }, () => {
        let pick = random() * sum;
        const index = weights.findIndex((weight) => (pick -= weight) < 0);
        return { batches: [streams[index === -1 ? streams.length - 1 : index].next()] };
      });
    }
  }
}
