// `thaw train` as a function: decide what the run starts from (new, resumed or forked), load
// data and model, check every limit, create the run folder, run the phases, and report
// everything as events. The CLI, the extension's child process and the tests all come through
// here. However it fails, it fails as one ThawError, after a run-end when a line still fits.

import * as path from 'node:path';
import { TASK_KEYS, type SweepMembership } from '../../protocol/trainer-events';
import type { ResolvedExperiment } from '../../core/experiment/load-experiment';
import { initBackend, type BackendName } from '../backend/tensorflow';
import { readTaskDatasets, tokenizeTask, type TaskDatasets } from '../data/task-data';
import { ThawError } from '../../core/errors';
import { checkLossWeights, checkOutputFolder } from '../../core/experiment/experiment-checks';
import type { PresetName } from '../../core/experiment/experiment-schema';
import { resolvePhase } from '../../core/experiment/resolve-phase';
import { DiskFullError, asDiskFull } from '../../core/io/disk-full';
import { chooseEncoderEngine, engineLine } from '../encoder/encoder-engine';
import { describeLoadProgress, loadSentenceModel } from '../model/load-sentence-model';
import type { HeadName } from '../model/parameter-groups';
import type { HeadSpec } from '../model/sentence-model';
import { AdamW } from '../optim/adamw';
import { chooseTrainingEngine } from '../engine/choose-engine';
import type { EngineChoice, EngineName } from '../../core/vocabulary/engines';
import { OrtEngine } from '../engine/ort-engine';
import { TfjsEngine } from '../engine/tfjs-engine';
import type { TrainingEngine } from '../engine/training-engine';
import type { RunPosition } from './checkpoint';
import { UnexpectedError, asThawError } from './crash-log';
import type { EventSink } from './event-sink';
import { checkPhaseLength } from './phase-schedule';
import { engineThreads, provenanceOf } from './provenance';
import { createRunFolder } from '../../core/runs/run-folder';
import { copyRunModelFiles } from './run-model-files';
import { planRun, type RunPlan } from './run-plan';
import { Trainer, type RunStatus, type StopSignal } from './trainer';
import { beginRunBookkeeping, endRunBookkeeping } from './run-bookkeeping';

export interface TrainOptions {
  /** A new run of this experiment file... */
  readonly experimentFile?: string;
  /** ...or an experiment already resolved (a sweep's variant; its `file` is recorded as the source). */
  readonly experiment?: ResolvedExperiment;
  readonly preset?: PresetName;
  /** ...or the run folder to resume from its newest whole checkpoint. */
  readonly resumeRun?: string;
  /** Run only the phase of this name. */
  readonly phase?: string;
  /** With an experiment file: continue from this run's latest checkpoint, or this checkpoint folder, in a new run. */
  readonly from?: string;
  /** Put the run folder here instead of the experiment's "output" (thaw train --output). */
  readonly output?: string;
  readonly maxSteps?: number;
  /** ONNX Runtime's threads for the frozen encoder and the training engine (thaw train --threads); default: every core. */
  readonly threads?: number;
  /** thaw train --engine: overrides the experiment's "engine". */
  readonly engine?: EngineChoice;
  /** thaw sweep: recorded in run-start (a resume keeps what the run recorded). */
  readonly sweep?: SweepMembership;
  readonly sink: EventSink;
  readonly stop: StopSignal;
}

export interface TrainResult {
  readonly status: RunStatus;
  readonly runFolder: string;
  readonly globalStep: number;
}

/**
 * Runs (or resumes, or forks) an experiment to its end, a stop request, or `maxSteps`.
 *
 * @example await runTraining({ experimentFile: 'demo.thaw.json', sink: new EventSink({ stdout: true }), stop: { requested: false } })
 */
export async function runTraining(options: TrainOptions): Promise<TrainResult> {
  try {
    return await trainRun(options, await planRun(options));
  } catch (error) {
    throw asThawError(asDiskFull(error));
  }
}

async function trainRun(options: TrainOptions, plan: RunPlan): Promise<TrainResult> {
  const { experiment } = plan;
  const engine = plan.engine !== undefined && process.env.THAW_BACKEND === undefined ? plan.engine : undefined;
  const backend = await initBackend(engine).catch((error: unknown) => {
    if (engine === undefined) throw error;
    throw new ThawError(`this run was recorded on the ${engine} backend, which does not start here (${(error as Error).message}); set THAW_BACKEND to resume on another, whose losses may differ in the last bits`, plan.resume?.folder);
  });
  const encoderEngine = chooseEncoderEngine({ threads: options.threads });
  const chosen = chooseTrainingEngine(options.engine ?? experiment.engine, options.threads);
  if (plan.resume === undefined) checkOutputFolder(experiment);
  checkLossWeights(experiment);
  const datasets: TaskDatasets[] = [];
  for (const key of TASK_KEYS) {
    const config = experiment.tasks[key];
    if (config !== undefined) datasets.push(await readTaskDatasets(key, config));
  }
  const heads: Partial<Record<HeadName, HeadSpec>> = Object.fromEntries(datasets.map((data) => [`task_${data.key}_head`, { labels: data.labels }]));
  const modelSource = plan.checkpoint?.folder ?? experiment.model;
  const model = await loadSentenceModel(modelSource, {
    heads,
    seed: experiment.seed,
    onProgress: (progress) =>
      options.sink.emit({ type: 'progress', stage: 'model', done: progress.stage === 'download' ? progress.loaded : 0, total: progress.stage === 'download' ? progress.total : 0, message: describeLoadProgress(progress) }),
  });
  let trainingEngine: TrainingEngine | undefined;
  let runFolder: string | undefined;
  let started = false;
  let trainer: Trainer | undefined;
  let position: RunPosition | undefined;
  const startTime = performance.now();
  try {
    const maxSeqLength = experiment.maxSeqLength ?? model.maxSeqLength;
    if (maxSeqLength > model.config.max_position_embeddings) {
      throw new ThawError(`maxSeqLength ${maxSeqLength} exceeds the model's limit of ${model.config.max_position_embeddings} positions (max_position_embeddings)`, experiment.file);
    }
    const tasks = datasets.map((data) => tokenizeTask(data, model.tokenizer, maxSeqLength));
    const engine: TrainingEngine = chosen.name === 'onnxruntime' ? new OrtEngine(model, tasks, experiment, chosen.threads, chosen.description) : new TfjsEngine(model, tasks, experiment, new AdamW(), backend.description.replace(/^backend: /, ''));
    trainingEngine = engine;
    const groups = model.parameters.summaries().map((summary) => summary.group);
    const phases = experiment.phases.map((phase, index) => resolvePhase(phase, index, groups, model.config.num_hidden_layers, experiment.file));
    const onlyPhase = plan.onlyPhase === undefined ? undefined : phases.find((phase) => phase.name === plan.onlyPhase);
    if (plan.onlyPhase !== undefined && onlyPhase === undefined) {
      throw new ThawError(`no phase named "${plan.onlyPhase}" (phases: ${experiment.phases.map((phase) => phase.name).join(', ')})`, experiment.file);
    }
    for (const phase of phases) checkPhaseLength(experiment, phase, tasks);
    if (plan.checkpoint !== undefined) engine.optimizer.importState(plan.checkpoint.optimizer.entries);
    position = startPosition(plan, onlyPhase?.index ?? 0);

    const run = plan.resume !== undefined ? { id: plan.resume.record.firstStart?.runId ?? path.basename(plan.resume.folder), folder: plan.resume.folder } : await createRunFolder(experiment);
    runFolder = run.folder;
    options.sink.attachRunFolder(run.folder);
    await beginRunBookkeeping(run.folder);
    const modelFiles = await copyRunModelFiles(model.parts.sourceFolder, run.folder);
    const summaries = model.parameters.summaries();
    const recorded = plan.resume?.record.firstStart;
    options.sink.emit({
      type: 'run-start',
      runId: run.id,
      runFolder: run.folder,
      backend: engineLine(encoderEngine, backend.description, engine),
      model: { source: modelSource, parameterCount: model.parameters.parameterCount(), groups: Object.fromEntries(summaries.map((s) => [s.group, s.parameterCount])) },
      tasks: Object.fromEntries(tasks.map((task) => [task.key, { name: task.name, labels: [...task.labels], trainExamples: task.train.texts.length, validationExamples: task.validation?.texts.length ?? 0 }])),
      ...(plan.resume === undefined || plan.checkpoint === undefined ? {} : { resumedFromStep: plan.checkpoint.position.globalStep }),
      ...(plan.resume === undefined ? { experimentFile: experiment.file } : recorded?.experimentFile === undefined ? {} : { experimentFile: recorded.experimentFile }),
      ...(onlyPhase === undefined ? {} : { phase: onlyPhase.name }),
      ...(plan.forkedFrom === undefined ? {} : { forkedFrom: plan.forkedFrom }),
      ...sweepOf(options, plan),
      provenance: await provenanceOf(experiment, backend.name, encoderEngine),
    });
    started = true;
    // Where ONNX Runtime does not load, the encoder's warning says why, once; the training
    // engine's says it only where the encoder's did not.
    const encoderFallback = encoderEngine.name === 'tfjs' ? encoderEngine.fallback : undefined;
    const fallback = [encoderFallback ?? (chosen.name === 'tfjs' ? chosen.fallback : undefined)].filter((message) => message !== undefined);
    for (const message of [...plan.warnings, ...threadWarnings(plan, backend.name), ...engineChangeWarnings(plan, engine.name), ...fallback]) options.sink.emit({ type: 'warning', kind: 'other', message });
    trainer = new Trainer({ experiment, phases, onlyPhase: onlyPhase?.index, model, encoderEngine, tasks, engine, maxSeqLength, runFolder: run.folder, modelFiles, sink: options.sink, stop: options.stop, maxSteps: options.maxSteps });
    const outcome = await trainer.run(position);
    options.sink.emit({ type: 'run-end', status: outcome.status, globalStep: outcome.globalStep, elapsedMs: elapsed(startTime), reason: outcome.reason, resumable: outcome.status === 'stopped' });
    return { status: outcome.status, runFolder: run.folder, globalStep: outcome.globalStep };
  } catch (error) {
    const failure = asThawError(asDiskFull(error, undefined, runFolder), runFolder);
    if (started) {
      const resumable = failure instanceof DiskFullError || failure instanceof UnexpectedError;
      const reason = failure instanceof DiskFullError ? 'the disk is full' : failure instanceof UnexpectedError ? 'unexpected error' : failure.reason.slice(0, 200);
      // On a full disk these may not fit; the sink then leaves no torn line, and the missing
      // run-end tells a resume that the run was interrupted.
      try {
        options.sink.emit({ type: 'error', message: failure.message });
        options.sink.emit({ type: 'run-end', status: 'failed', globalStep: trainer?.globalStep ?? position?.globalStep ?? 0, elapsedMs: elapsed(startTime), reason, resumable });
      } catch {
        // Nothing more can be recorded; the error itself still reaches the user.
      }
    }
    throw failure;
  } finally {
    await trainingEngine?.dispose();
    await model.dispose();
    if (runFolder !== undefined) await endRunBookkeeping(runFolder);
  }
}

/** Where the run starts: a checkpoint's position (a fork into another phase starts that phase), else the first step. */
function startPosition(plan: RunPlan, firstPhase: number): RunPosition {
  const checkpoint = plan.checkpoint?.position;
  if (checkpoint === undefined) return { phaseIndex: firstPhase, stepInPhase: 0, globalStep: 0 };
  if (plan.forkedFrom !== undefined && plan.resume === undefined && plan.onlyPhase !== undefined && checkpoint.phaseIndex !== firstPhase) {
    return { phaseIndex: firstPhase, stepInPhase: 0, globalStep: checkpoint.globalStep };
  }
  return checkpoint;
}

function sweepOf(options: TrainOptions, plan: RunPlan): { sweep?: SweepMembership } {
  const sweep = plan.resume !== undefined ? plan.resume.record.firstStart?.sweep : options.sweep;
  return sweep === undefined ? {} : { sweep };
}

function threadWarnings(plan: RunPlan, engine: BackendName): string[] {
  const recorded = plan.resume?.record.firstStart?.provenance;
  if (recorded === undefined) return [];
  if (recorded.engine !== engine) return [`this run was recorded on the ${recorded.engine} engine and resumes on ${engine}; its losses may differ from an uninterrupted run's in the last bits`];
  if (recorded.threads !== engineThreads(engine)) return [`this run was recorded with ${recorded.threads} threads and resumes with ${engineThreads(engine)}; its losses may differ from an uninterrupted run's in the last bits`];
  return [];
}

/** A resume or fork on the other training engine works (the checkpoint files are the same), but its numbers are that engine's. */
function engineChangeWarnings(plan: RunPlan, engine: EngineName): string[] {
  const position = plan.checkpoint?.position;
  if (position?.engine === undefined || position.engine === engine) return [];
  return [`the checkpoint at step ${position.globalStep} was trained on ${position.engine} and ${engine} continues it; the checkpoint files are the same, but its losses may differ from ${position.engine}'s in the last bits`];
}

function elapsed(start: number): number {
  return Math.round(performance.now() - start);
}
