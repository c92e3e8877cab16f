// Benchmark: one whole optimizer step (forward, backward, clipping, AdamW) of each training
// engine, through the engine classes the trainer uses, on a paraphrase-MiniLM-L6-v2-shaped
// model (random weights, every group trainable, dropout at every site) at batch 16 x 64 tokens.
// Each engine runs in its own child process, so that each peak RSS is its own: tfjs, and ONNX
// Runtime on 1 and 2 threads. `trainingStepMs` is the default engine's ("auto": ONNX Runtime
// where it loads, on every core). Also the tfjs forward pass and the two tfjs gradient
// workarounds against the stock ops they replace. Anchor: PyTorch ~600 ms a step. Prints one
// JSON object. Uses the real MiniLM tokenizer from ../shared/ when present, else one built from
// the demo data.
//
//   npm run bench:step            (under: flock /tmp/thaw-bench.lock; -- --steps N for the timed steps)

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import type { Tensor } from '@tensorflow/tfjs';
import { parseExperiment } from '../../src/core/experiment/load-experiment';
import { resolvePhase } from '../../src/core/experiment/resolve-phase';
import { initBackend, tf } from '../../src/trainer/backend/tensorflow';
import { plainMatMul, swapLastAxes } from '../../src/trainer/backend/trainable-ops';
import type { TaskData } from '../../src/trainer/data/task-data';
import { availableThreads } from '../../src/trainer/encoder/encoder-engine';
import { chooseTrainingEngine } from '../../src/trainer/engine/choose-engine';
import { OrtEngine } from '../../src/trainer/engine/ort-engine';
import { TfjsEngine } from '../../src/trainer/engine/tfjs-engine';
import type { TrainingEngine } from '../../src/trainer/engine/training-engine';
import { MINILM_SHAPE, generateModelFolder } from '../../src/trainer/init/generate-model-folder';
import { DropoutPlan } from '../../src/trainer/model/dropout';
import { loadSentenceModel } from '../../src/trainer/model/load-sentence-model';
import type { SentenceModel } from '../../src/trainer/model/sentence-model';
import { AdamW } from '../../src/trainer/optim/adamw';
import { liveEmbeddings } from '../../src/trainer/train/pooled-embeddings';
import { sharedFolder } from '../helpers/shared-data';
import { printReport } from './print-report';
import { temporaryFolder } from '../helpers/tiny-model';

const { values } = parseArgs({
  options: {
    steps: { type: 'string', default: '5' },
    batch: { type: 'string', default: '16' },
    length: { type: 'string', default: '64' },
    // Child mode: time this engine only.
    engine: { type: 'string' },
    threads: { type: 'string' },
  },
});
const steps = Number(values.steps);
const batchSize = Number(values.batch);
const length = Number(values.length);
const LABELS = ['a', 'b', 'c', 'd', 'e', 'f'];

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function timeIt(runs: number, body: () => Promise<unknown>): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await body();
    samples.push(performance.now() - start);
  }
  return samples;
}

const stats = (samples: number[]) => ({ median: Math.round(median(samples)), samples: samples.map(Math.round) });

async function withMiniLmModel<T>(body: (model: SentenceModel, folder: string) => Promise<T>): Promise<T> {
  const workspace = temporaryFolder('thaw-bench-');
  try {
    const shared = sharedFolder();
    const folder = path.join(workspace.folder, 'minilm-shape');
    await generateModelFolder({
      out: folder,
      shape: MINILM_SHAPE,
      seed: 1,
      tokenizer:
        shared !== undefined
          ? { kind: 'folder', folder: path.join(shared, 'models', 'minilm-tokenizer') }
          : { kind: 'corpus', lines: readFileSync(path.resolve(__dirname, '../../../demo/data/reviews-train.csv'), 'utf8').split('\n'), vocabularySize: 30522 },
    });
    const model = await loadSentenceModel(folder, { heads: { task_a_head: { labels: LABELS } } });
    try {
      return await body(model, folder);
    } finally {
      await model.dispose();
    }
  } finally {
    workspace.cleanup();
  }
}

/** A batch of full-length rows (length-bucketed batches are nearly so) with deterministic ids. */
function benchTask(model: SentenceModel): TaskData {
  const vocabularySize = model.config.vocab_size;
  const tokenIds = Array.from({ length: batchSize }, (_, row) => Array.from({ length }, (_, i) => (i === 0 ? 101 : 1000 + (((row * length + i) * 7919) % (vocabularySize - 1000)))));
  return { key: 'a', name: 'bench', head: 'task_a_head', labels: LABELS, train: { file: 'bench', texts: tokenIds.map(() => ''), classes: Int32Array.from(tokenIds, (_, row) => row % LABELS.length), tokenIds } };
}

/** Child mode: one engine's whole optimizer steps, after one warm-up step. */
async function timeEngine(engineName: string, threads: number): Promise<void> {
  const backend = await initBackend();
  await withMiniLmModel(async (model, folder) => {
    const experiment = parseExperiment(
      { model: folder, tasks: { a: { name: 'bench', train: 'bench.csv' } }, batchSize, phases: [{ name: 'fine-tune', steps: 1000, lr: { encoder: 2e-5, heads: 1e-3 } }] },
      path.join(folder, 'bench.thaw.json'),
    );
    const groups = model.parameters.summaries().map((summary) => summary.group);
    const phase = resolvePhase(experiment.phases[0], 0, groups, model.config.num_hidden_layers, experiment.file);
    const task = benchTask(model);
    const engine: TrainingEngine =
      engineName === 'onnxruntime'
        ? new OrtEngine(model, [task], experiment, threads, `onnxruntime (${threads} threads)`)
        : new TfjsEngine(model, [task], experiment, new AdamW(), backend.description);
    const sessionStart = performance.now();
    await engine.beginPhase(phase);
    const beginPhaseMs = Math.round(performance.now() - sessionStart);
    const learningRates = Object.fromEntries(groups.map((group) => [group, phase.learningRates[group] ?? 0]));
    const embeddings = liveEmbeddings(model);
    let globalStep = 0;
    const step = () => engine.trainStep({ step: { batches: [{ task: 'a', indices: task.train.tokenIds.map((_, index) => index) }] }, phase, learningRates, embeddings, globalStep: globalStep++ });
    await step(); // warm-up: kernels, heap, ORT's memory arena
    const samples = await timeIt(steps, step);
    let forwardMs: unknown;
    if (engineName === 'tfjs') {
      const forward = async () => {
        const value = tf.tidy(() => {
          const inputs = { inputIds: tf.tensor2d(task.train.tokenIds.flat(), [batchSize, length], 'int32'), attentionMask: tf.tensor2d(new Int32Array(batchSize * length).fill(1), [batchSize, length], 'int32') };
          return model.headLogits('task_a_head', model.embed(inputs, DropoutPlan.none));
        });
        await value.data();
        value.dispose();
      };
      forwardMs = stats(await timeIt(steps, forward));
    }
    await engine.dispose();
    printReport({ engine: engineName, threads: engineName === 'onnxruntime' ? threads : undefined, backend: backend.description, beginPhaseMs, trainingStepMs: stats(samples), forwardMs, parameters: model.parameters.parameterCount() });
  });
}

/** The tfjs gradient workarounds in isolation, at the FFN's shape: [B*T, 384] x [384, 1536]^T. */
async function tfjsWorkarounds(): Promise<Record<string, unknown>> {
  await initBackend();
  const x = tf.randomNormal([batchSize * length, 384]);
  const w = tf.randomNormal([1536, 384]);
  const dy = tf.randomNormal([batchSize * length, 1536]);
  const gradientOf = (product: (a: Tensor, b: Tensor) => Tensor) => async () => {
    const gradients = tf.grads((a: Tensor, b: Tensor) => tf.sum(tf.mul(product(a, b), dy)))([x, w]);
    await Promise.all(gradients.map((gradient) => gradient.data()));
    tf.dispose(gradients);
  };
  const stockMatMul = gradientOf((a, b) => tf.matMul(a, b, false, true));
  const plain = gradientOf((a, b) => plainMatMul(a, swapLastAxes(b)));
  await stockMatMul();
  await plain();
  const stockSamples = await timeIt(3, stockMatMul);
  const plainSamples = await timeIt(3, plain);
  let stockGather = 'runs';
  try {
    tf.grads((table: Tensor) => tf.sum(tf.gather(table, tf.tensor1d([1, 2], 'int32'))))([tf.zeros([4, 2])]);
  } catch (error) {
    stockGather = `fails: ${(error as Error).message}`;
  }
  tf.dispose([x, w, dy]);
  const megaFlops = (2 * batchSize * length * 384 * 1536 * 2) / 1e6; // two gradient matMuls
  return {
    ffnMatMulGradientMs: { stockTransposeB: Math.round(median(stockSamples)), plainMatMul: Math.round(median(plainSamples)), plainGflops: Number((megaFlops / median(plainSamples)).toFixed(1)) },
    stockGatherGradient: stockGather,
  };
}

interface EngineFigures {
  readonly engine: string;
  readonly threads?: number;
  readonly backend: string;
  readonly beginPhaseMs: number;
  readonly trainingStepMs: { median: number; samples: number[] };
  readonly forwardMs?: { median: number; samples: number[] };
  readonly peakRssMiB: number;
  readonly parameters: number;
}

function runChild(engine: string, threads?: number): EngineFigures {
  const args = [__filename, '--engine', engine, '--steps', String(steps), '--batch', String(batchSize), '--length', String(length), ...(threads === undefined ? [] : ['--threads', String(threads)])];
  return JSON.parse(execFileSync(process.execPath, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 24 })) as EngineFigures;
}

async function main(): Promise<void> {
  if (values.engine !== undefined) return timeEngine(values.engine, Number(values.threads ?? availableThreads()));
  const loadBefore = loadavg()[0];
  const tfjs = runChild('tfjs');
  const ort = [1, 2].map((threads) => runChild('onnxruntime', threads));
  const chosen = chooseTrainingEngine('auto');
  const defaultFigures = chosen.name === 'onnxruntime' ? (ort.find((figures) => figures.threads === chosen.threads) ?? runChild('onnxruntime', chosen.threads)) : tfjs;
  const summary = (figures: EngineFigures) => ({ trainingStepMs: figures.trainingStepMs, peakRssMiB: figures.peakRssMiB, beginPhaseMs: figures.beginPhaseMs });
  printReport({
    defaultEngine: chosen.name === 'onnxruntime' ? `onnxruntime (${chosen.threads} threads)` : 'tfjs',
    shape: { ...MINILM_SHAPE, batchSize, sequenceLength: length },
    parameters: tfjs.parameters,
    trainingStepMs: defaultFigures.trainingStepMs,
    stepPeakRssMiB: defaultFigures.peakRssMiB,
    engines: {
      tfjs: { backend: tfjs.backend, ...summary(tfjs), forwardMs: tfjs.forwardMs },
      ...Object.fromEntries(ort.map((figures) => [`onnxruntime-${figures.threads}-thread${figures.threads === 1 ? '' : 's'}`, summary(figures)])),
    },
    pytorchReferenceMs: 600,
    ...(await tfjsWorkarounds()),
    loadAverage: { before: Number(loadBefore.toFixed(2)), after: Number(loadavg()[0].toFixed(2)) },
  });
}

void main();
