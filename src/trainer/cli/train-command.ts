import { parseArgs } from 'node:util';
import type { TrainerEvent } from '../../protocol/trainer-events';
import { UsageError } from '../../core/errors';
import { PRESET_NAMES, type PresetName } from '../../core/experiment/experiment-schema';
import { EventSink } from '../train/event-sink';
import { runTraining } from '../train/run-training';
import { engineOption, integerOption, threadsOption } from './options';
import { ProgressLine } from './progress-line';
import { listenForStop } from './stop-signal';
import { TrainingProgress } from './training-progress';

const HELP = `Usage: thaw train EXPERIMENT [--preset P] [--phase NAME] [--from RUN|CHECKPOINT] [--output DIR] [--json] [--max-steps N] [--threads N] [--engine E]
       thaw train --resume RUN_FOLDER [--json] [--max-steps N] [--threads N] [--engine E]

Runs an experiment's phases and records the run in <output>/<run id>/: the resolved
experiment, events.jsonl and checkpoints. Progress goes to stderr; with --json every event is
also printed on stdout as a JSON line. --preset replaces the experiment's phases with one of:
${PRESET_NAMES.join(', ')}. --resume continues a run from its latest checkpoint with the same
data order, so the losses continue as if it had never stopped (on the same engine and threads).
--from continues a run's latest checkpoint (or a checkpoint folder) in a new run, with its
position, optimizer state and seed: --phase fine-tune --from <warm-up run> equals the recipe.
--output DIR puts the run folder in DIR instead of the experiment's "output".
--threads N: ONNX Runtime's threads for the frozen encoder (the embedding cache and
validation) and for training on it; default: every core. THAW_ENCODER=tfjs runs the encoder
on TensorFlow.js instead. --engine auto|onnxruntime|tfjs: what computes each training step,
over the experiment's "engine" (default auto: ONNX Runtime where it loads, else tfjs). A run
resumes on either engine: the checkpoints are the same files.

SIGTERM, or {"type":"stop"} over IPC, finishes the current step, writes a checkpoint and
exits 0.
`;

export async function runTrainCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      preset: { type: 'string' },
      phase: { type: 'string' },
      resume: { type: 'string' },
      from: { type: 'string' },
      output: { type: 'string' },
      json: { type: 'boolean' },
      'max-steps': { type: 'string' },
      threads: { type: 'string' },
      engine: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  if ((positionals.length === 1) === (values.resume !== undefined) || positionals.length > 1) {
    throw new UsageError(`give one EXPERIMENT file or --resume RUN_FOLDER\n\n${HELP}`);
  }
  if (values.resume !== undefined && (values.phase !== undefined || values.preset !== undefined || values.from !== undefined)) {
    throw new UsageError('--resume continues a run as it was started; it takes no --phase, --preset or --from');
  }
  if (values.preset !== undefined && !(PRESET_NAMES as readonly string[]).includes(values.preset)) {
    throw new UsageError(`--preset must be one of ${PRESET_NAMES.join(', ')}, got "${values.preset}"`);
  }
  const stop = listenForStop('thaw train');
  const progress = new TrainingProgress(new ProgressLine());
  const sink = new EventSink({ stdout: values.json ?? false, ipc: true, listener: (event: TrainerEvent) => progress.show(event) });
  try {
    const result = await runTraining({
      experimentFile: positionals[0],
      resumeRun: values.resume,
      preset: values.preset as PresetName | undefined,
      phase: values.phase,
      from: values.from,
      output: values.output,
      maxSteps: values['max-steps'] === undefined ? undefined : integerOption(values['max-steps'], 'max-steps', 1),
      threads: threadsOption(values.threads),
      engine: engineOption(values.engine),
      sink,
      stop,
    });
    progress.finish(`${result.status}: ${result.runFolder} (step ${result.globalStep})`);
  } finally {
    process.removeAllListeners('SIGTERM');
    if (process.connected) process.disconnect();
  }
}
