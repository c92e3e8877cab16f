// `thaw train` as a function: read the experiment (or a run to resume), load data and model,
// create the run folder, run the phases, and report everything as events. The CLI, the
// extension's child process and the tests all come through here.

import { TASK_KEYS } from '../../protocol/trainer-events';
import { initBackend } from '../backend/tensorflow';
import { readTaskDatasets, tokenizeTask, type TaskDatasets } from '../data/task-data';
import { ThawError, messageOf } from '../../core/errors';
import type { PresetName } from '../../core/experiment/experiment-schema';
import { loadExperiment, type ResolvedExperiment } from '../../core/experiment/load-experiment';
import { resolvePhase } from '../../core/experiment/resolve-phase';
import { describeLoadProgress, loadSentenceModel } from '../model/load-sentence-model';
import type { HeadName } from '../model/parameter-groups';
import type { HeadSpec } from '../model/sentence-model';
import { AdamW } from '../optim/adamw';
import { readLatestCheckpoint, type LoadedCheckpoint, type RunPosition } from './checkpoint';
import type { EventSink } from './event-sink';
import { createRunFolder, readRunExperiment } from '../../core/runs/run-folder';
import { Trainer, type RunStatus, type StopSignal } from './trainer';

export interface TrainOptions {
  /** A new run of this experiment file... */
  readonly experimentFile?: string;
  readonly preset?: PresetName;
  /** ...or the run folder to resume from its latest checkpoint. */
  readonly resumeRun?: string;
  /** Run only the phase of this name. */
  readonly phase?: string;
  readonly maxSteps?: number;
  readonly sink: EventSink;
  readonly stop: StopSignal;
}

export interface TrainResult {
  readonly status: RunStatus;
  readonly runFolder: string;
  readonly globalStep: number;
}

/**
 * Runs (or resumes) an experiment to its end, a stop request, or `maxSteps`.
 *
 * @example await runTraining({ experimentFile: 'demo.thaw.json', sink: new EventSink({ stdout: true }), stop: { requested: false } })
 */
export async function runTraining(options: TrainOptions): Promise<TrainResult> {
  const backend = await initBackend();
  const { experiment, checkpoint } = await experimentAndCheckpoint(options);
  const datasets: TaskDatasets[] = [];
  for (const key of TASK_KEYS) {
    const config = experiment.tasks[key];
    if (config !== undefined) datasets.push(await readTaskDatasets(key, config));
  }
  const heads: Partial<Record<HeadName, HeadSpec>> = Object.fromEntries(datasets.map((data) => [`task_${data.key}_head`, { labels: data.labels }]));
  const model = await loadSentenceModel(checkpoint?.folder ?? experiment.model, {
    heads,
    seed: experiment.seed,
    onProgress: (progress) =>
      options.sink.emit({ type: 'progress', stage: 'model', done: progress.stage === 'download' ? progress.loaded : 0, total: progress.stage === 'download' ? progress.total : 0, message: describeLoadProgress(progress) }),
  });
  const optimizer = new AdamW();
  try {
    const maxSeqLength = experiment.maxSeqLength ?? model.maxSeqLength;
    if (maxSeqLength > model.config.max_position_embeddings) {
      throw new ThawError(`maxSeqLength ${maxSeqLength} exceeds the model's max_position_embeddings (${model.config.max_position_embeddings})`, experiment.file);
    }
    const tasks = datasets.map((data) => tokenizeTask(data, model.tokenizer, maxSeqLength));
    const groups = model.parameters.summaries().map((summary) => summary.group);
    let phases = experiment.phases.map((phase, index) => resolvePhase(phase, index, groups, model.config.num_hidden_layers, experiment.file));
    if (options.phase !== undefined) {
      phases = phases.filter((phase) => phase.name === options.phase);
      if (phases.length === 0) throw new ThawError(`no phase named "${options.phase}" (phases: ${experiment.phases.map((phase) => phase.name).join(', ')})`, experiment.file);
    }
    if (checkpoint !== undefined) optimizer.importState(checkpoint.optimizer.entries);

    const run = options.resumeRun !== undefined ? { id: options.resumeRun, folder: options.resumeRun } : await createRunFolder(experiment);
    options.sink.attachRunFolder(run.folder);
    const position: RunPosition = checkpoint?.position ?? { phaseIndex: phases[0].index, stepInPhase: 0, globalStep: 0 };
    const summaries = model.parameters.summaries();
    options.sink.emit({
      type: 'run-start',
      runId: run.id,
      runFolder: run.folder,
      backend: backend.description,
      model: { source: checkpoint?.folder ?? experiment.model, parameterCount: model.parameters.parameterCount(), groups: Object.fromEntries(summaries.map((s) => [s.group, s.parameterCount])) },
      tasks: Object.fromEntries(tasks.map((task) => [task.key, { name: task.name, labels: [...task.labels], trainExamples: task.train.texts.length, validationExamples: task.validation?.texts.length ?? 0 }])),
      ...(checkpoint === undefined ? {} : { resumedFromStep: checkpoint.position.globalStep }),
    });
    const started = performance.now();
    try {
      const trainer = new Trainer({ experiment, phases, model, tasks, optimizer, maxSeqLength, runFolder: run.folder, sink: options.sink, stop: options.stop, maxSteps: options.maxSteps });
      const { status, globalStep } = await trainer.run(position);
      options.sink.emit({ type: 'run-end', status, globalStep, elapsedMs: Math.round(performance.now() - started) });
      return { status, runFolder: run.folder, globalStep };
    } catch (error) {
      options.sink.emit({ type: 'error', message: messageOf(error) });
      options.sink.emit({ type: 'run-end', status: 'failed', globalStep: position.globalStep, elapsedMs: Math.round(performance.now() - started) });
      throw error;
    }
  } finally {
    optimizer.dispose();
    await model.dispose();
  }
}

async function experimentAndCheckpoint(options: TrainOptions): Promise<{ experiment: ResolvedExperiment; checkpoint?: LoadedCheckpoint }> {
  if (options.resumeRun !== undefined) {
    const experiment = await readRunExperiment(options.resumeRun);
    const checkpoint = await readLatestCheckpoint(options.resumeRun);
    if (checkpoint === undefined) throw new ThawError('has no checkpoint to resume from yet; start it again instead', options.resumeRun);
    return { experiment, checkpoint };
  }
  if (options.experimentFile === undefined) throw new ThawError('give an experiment file or a run to resume');
  return { experiment: await loadExperiment(options.experimentFile, options.preset) };
}
