// Gradients of one task batch on ONNX Runtime: one session per task head for a phase's set of
// trainable groups (the graph depends on both), built once and run every step with the current
// weight arrays bound as input tensors over the same memory.

import type { Tensor } from 'onnxruntime-node';
import type { BertConfig } from '../../core/model/bert-config';
import type { GroupName, HeadName } from '../../core/vocabulary/groups';
import type { PaddedBatch } from '../data/padded-batch';
import { OrtSession, type OrtSessionOptions } from '../onnx/ort-session';
import { dropoutMaskShape, type DropoutSite } from './dropout-sites';
import { LABELS_INPUT, LOSS_OUTPUT, LOSS_WEIGHT_INPUT, TASK_LOSS_OUTPUT, WORD_EMBEDDINGS, buildTrainingGraph, outputOfWeight, type TrainingGraph } from './training-graph';
import { scatterAddRows } from './word-embedding-gradient';

export interface TrainingStepPhase {
  /** The groups that train: they get gradients and dropout. */
  readonly trainable: Iterable<GroupName>;
  /** The heads the phase's tasks use, with their class counts. */
  readonly heads: ReadonlyMap<HeadName, number>;
}

export interface TaskBatch {
  readonly head: HeadName;
  readonly batch: PaddedBatch;
  /** Row-major [batchSize, length]; zeros (single sentences) when absent. */
  readonly tokenTypeIds?: ArrayLike<number>;
  /** Class index of each sentence. */
  readonly labels: ArrayLike<number>;
  readonly lossWeight: number;
  /** One scaled mask per site of dropoutSites(head), by site input name, shaped as dropoutMaskShape says. */
  readonly masks: ReadonlyMap<string, Float32Array>;
}

export interface TaskGradients {
  /** lossWeight * mean cross-entropy. */
  readonly loss: number;
  /** The unweighted mean cross-entropy. */
  readonly taskLoss: number;
  /** d loss / d weight by Hugging Face name, for the trainable weights only (Hugging Face layouts). */
  readonly gradients: Map<string, Float32Array>;
}

export class OrtTrainingStep {
  private constructor(
    readonly config: BertConfig,
    private readonly graphs: ReadonlyMap<HeadName, TrainingGraph>,
    private readonly sessions: ReadonlyMap<HeadName, OrtSession>,
  ) {}

  /**
   * Sessions for a phase. `threads` is ONNX Runtime's intra-op thread count.
   *
   * @example
   * const step = await OrtTrainingStep.create(config, { trainable: phase.trainable, heads: new Map([['task_a_head', 6]]) }, { threads: 2 });
   * try {
   *   const { loss, gradients } = await step.gradients(taskBatch, weights); // the trainer sums gradients over a step's task batches
   * } finally { await step.dispose() }
   */
  static async create(config: BertConfig, phase: TrainingStepPhase, options: OrtSessionOptions = {}): Promise<OrtTrainingStep> {
    const trainable = new Set(phase.trainable);
    const graphs = new Map<HeadName, TrainingGraph>();
    const sessions = new Map<HeadName, OrtSession>();
    try {
      for (const [head, classes] of phase.heads) {
        const graph = buildTrainingGraph({ config, head, classes, trainable });
        graphs.set(head, graph);
        sessions.set(head, await OrtSession.create(graph.model, options));
      }
    } catch (error) {
      await Promise.all([...sessions.values()].map((session) => session.dispose()));
      throw error;
    }
    return new OrtTrainingStep(config, graphs, sessions);
  }

  /** The dropout masks a head's batch needs, in forward order (none where nothing trains). */
  dropoutSites(head: HeadName): readonly DropoutSite[] {
    return this.graphOf(head).dropoutSites;
  }

  /** The weights with gradients for a head's batch. */
  trainableWeights(head: HeadName): readonly string[] {
    return this.graphOf(head).trainableWeights;
  }

  /**
   * Loss and gradients of one task batch. `weights` holds at least the encoder's weights and
   * this head's (Hugging Face names and layouts); they are read, not copied, and not changed.
   */
  async gradients(task: TaskBatch, weights: ReadonlyMap<string, Float32Array>): Promise<TaskGradients> {
    const graph = this.graphOf(task.head);
    const session = this.sessions.get(task.head)!;
    const { Tensor: OrtTensor } = session.ort;
    const { batchSize, length } = task.batch;
    if (length > this.config.max_position_embeddings) throw new Error(`sequence length ${length} exceeds max_position_embeddings ${this.config.max_position_embeddings}`);
    if (task.labels.length !== batchSize) throw new Error(`${task.labels.length} labels for a batch of ${batchSize}`);
    const tokens = [batchSize, length];
    const int64 = (values: ArrayLike<number>): Tensor => new OrtTensor('int64', BigInt64Array.from(Array.from(values), BigInt), tokens);
    const feeds: Record<string, Tensor> = {
      input_ids: int64(task.batch.inputIds),
      attention_mask: int64(task.batch.attentionMask),
      token_type_ids: task.tokenTypeIds === undefined ? new OrtTensor('int64', new BigInt64Array(batchSize * length), tokens) : int64(task.tokenTypeIds),
      [LABELS_INPUT]: new OrtTensor('float32', oneHot(task.labels, graph), [batchSize, graph.classes]),
      [LOSS_WEIGHT_INPUT]: new OrtTensor('float32', Float32Array.of(task.lossWeight), []),
    };
    for (const spec of graph.weights) {
      const values = weights.get(spec.name);
      const count = spec.shape.reduce((product, size) => product * size, 1);
      if (values === undefined || values.length !== count) throw new Error(`weight ${spec.name}: ${values?.length ?? 0} values, [${spec.shape.join(', ')}] needs ${count}`);
      // A tensor over the caller's array: ONNX Runtime reads the weights in place.
      feeds[spec.name] = new OrtTensor('float32', values, [...spec.shape]);
    }
    for (const site of graph.dropoutSites) {
      const shape = dropoutMaskShape(site, this.config, batchSize, length);
      const values = task.masks.get(site.input);
      const count = shape.reduce((product, size) => product * size, 1);
      if (values === undefined || values.length !== count) throw new Error(`dropout mask ${site.input}: ${values?.length ?? 0} values, [${shape.join(', ')}] needs ${count}`);
      feeds[site.input] = new OrtTensor('float32', values, shape);
    }
    const results = await session.run(feeds, [LOSS_OUTPUT, TASK_LOSS_OUTPUT, ...graph.trainableWeights.map(outputOfWeight)]);
    const gradientOf = (name: string): Float32Array => {
      const values = results[outputOfWeight(name)].data as Float32Array;
      return name === WORD_EMBEDDINGS ? scatterAddRows(task.batch.inputIds, values, this.config.vocab_size, this.config.hidden_size) : values;
    };
    return {
      loss: (results[LOSS_OUTPUT].data as Float32Array)[0],
      taskLoss: (results[TASK_LOSS_OUTPUT].data as Float32Array)[0],
      gradients: new Map(graph.trainableWeights.map((name) => [name, gradientOf(name)])),
    };
  }

  async dispose(): Promise<void> {
    await Promise.all([...this.sessions.values()].map((session) => session.dispose()));
  }

  private graphOf(head: HeadName): TrainingGraph {
    const graph = this.graphs.get(head);
    if (graph === undefined) throw new Error(`this training step has no session for ${head} (it has ${[...this.graphs.keys()].join(', ')})`);
    return graph;
  }
}

function oneHot(labels: ArrayLike<number>, graph: TrainingGraph): Float32Array {
  const classes = graph.classes;
  const rows = new Float32Array(labels.length * classes);
  for (let row = 0; row < labels.length; row++) {
    const label = labels[row];
    if (!Number.isInteger(label) || label < 0 || label >= classes) throw new RangeError(`label ${label} of row ${row} is not a class index below ${classes}`);
    rows[row * classes + label] = 1;
  }
  return rows;
}
