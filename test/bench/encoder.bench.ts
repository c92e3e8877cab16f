// Benchmark of the frozen encoder: sentences per second of the paraphrase-MiniLM-L6-v2 shape
// (random weights, the real tokenizer) on ONNX Runtime with 1 and 2 threads and on tfjs'
// wasm backend, over 1,024 real sentences (512 TREC questions + 512 movie-review sentences
// from ../shared/datasets, else the demo data) in batches sorted by length; and the
// whole-process wall time of `thaw embed` on the same file with each engine. Prints one JSON
// object. Run it alone: `flock /tmp/thaw-bench.lock npm run bench:encoder`.
//
//   npm run bench:encoder            (-- --sentences N per task, -- --batch N)

import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { initBackend } from '../../src/trainer/backend/tensorflow';
import { lengthBucketedBatches, padBatch, type PaddedBatch } from '../../src/trainer/data/padded-batch';
import { chooseEncoderEngine } from '../../src/trainer/encoder/encoder-engine';
import type { FrozenEncoder } from '../../src/trainer/encoder/frozen-encoder';
import { openModelEncoder } from '../../src/trainer/encoder/open-model-encoder';
import { tfjsFrozenEncoder } from '../../src/trainer/encoder/tfjs-encoder';
import { MINILM_SHAPE, generateModelFolder } from '../../src/trainer/init/generate-model-folder';
import { loadSentenceModel } from '../../src/trainer/model/load-sentence-model';
import { readModelFolder } from '../../src/trainer/model/model-folder';
import { loadTokenizer } from '../../src/trainer/model/tokenizer';
import { encoderWeightArrays } from '../../src/trainer/model/weight-arrays';
import { sharedFolder, sharedTexts } from '../helpers/shared-data';
import { DEMO_TASKS } from '../helpers/tiny-experiment';
import { temporaryFolder } from '../helpers/tiny-model';
import { printReport } from './print-report';

const CLI = path.resolve(__dirname, '../../src/trainer/cli/main.js');
const { values } = parseArgs({ options: { sentences: { type: 'string', default: '512' }, batch: { type: 'string', default: '32' } } });
const perTask = Number(values.sentences);
const batchSize = Number(values.batch);

function demoTexts(file: string, count: number): string[] {
  return readFileSync(file, 'utf8').split('\n').slice(1).filter((line) => line.length > 0 && !line.startsWith('"')).map((line) => line.slice(0, line.lastIndexOf(','))).slice(0, count);
}

/** CPU milliseconds (user + system, every thread) of this process since `since`. */
function cpuMs(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return Math.round((used.user + used.system) / 1000);
}

/**
 * Sentences per second of one pass over `batches` (after one warm-up batch), the CPU time it
 * took (the machine is shared: wall time alone mixes in other people's work), and the rows.
 */
async function throughput(encoder: FrozenEncoder, batches: readonly PaddedBatch[]): Promise<{ sentencesPerSecond: number; ms: number; cpuMs: number; rows: Float32Array[] }> {
  await encoder.pooled(batches[Math.floor(batches.length / 2)]);
  const start = performance.now();
  const cpu = process.cpuUsage();
  const rows: Float32Array[] = [];
  for (const batch of batches) rows.push(await encoder.pooled(batch));
  const ms = performance.now() - start;
  const sentences = batches.reduce((sum, batch) => sum + batch.batchSize, 0);
  return { sentencesPerSecond: Math.round((sentences / ms) * 1000 * 10) / 10, ms: Math.round(ms), cpuMs: cpuMs(cpu), rows };
}

function maxDifference(a: readonly Float32Array[], b: readonly Float32Array[]): number {
  let max = 0;
  a.forEach((rows, i) => rows.forEach((value, j) => (max = Math.max(max, Math.abs(value - b[i][j])))));
  return max;
}

/** Wall time of a whole `thaw embed` process, start to exit, and its CPU time (bash's `time`). */
function embedProcess(model: string, input: string, env: Record<string, string>, extra: string[] = []): Promise<{ wallMs: number; cpuMs: number }> {
  const start = performance.now();
  const command = `time "$0" "$@" > /dev/null`;
  return new Promise((resolve, reject) => {
    execFile('bash', ['-c', command, process.execPath, CLI, 'embed', '--model', model, input, ...extra], { env: { ...process.env, ...env, TIMEFORMAT: '%U %S' }, maxBuffer: 256 << 20 }, (error, _stdout, stderr) => {
      if (error !== null) return reject(new Error(`thaw embed failed: ${stderr.trim().split('\n').at(-1) ?? error.message}`));
      const [user, system] = stderr.trim().split('\n').at(-1)!.split(' ').map(Number);
      resolve({ wallMs: Math.round(performance.now() - start), cpuMs: Math.round((user + system) * 1000) });
    });
  });
}

async function main(): Promise<void> {
  const workspace = temporaryFolder('thaw-bench-');
  try {
    const shared = sharedFolder();
    const texts =
      shared !== undefined
        ? [...sharedTexts(path.join(shared, 'datasets', 'trec', 'train.csv'), perTask), ...sharedTexts(path.join(shared, 'datasets', 'mr', 'train.csv'), perTask)]
        : [...demoTexts(DEMO_TASKS.a.train, perTask), ...demoTexts(DEMO_TASKS.b.train, perTask)];
    const model = path.join(workspace.folder, 'minilm-shape');
    await generateModelFolder({
      out: model,
      shape: MINILM_SHAPE,
      seed: 1,
      tokenizer: shared !== undefined ? { kind: 'folder', folder: path.join(shared, 'models', 'minilm-tokenizer') } : { kind: 'corpus', lines: texts, vocabularySize: 30522 },
    });
    const folder = await readModelFolder(model);
    const tokenizer = await loadTokenizer(model);
    const tokenized = texts.map((text) => tokenizer.tokenize(text, folder.maxSeqLength));
    const batches = lengthBucketedBatches(tokenized.map((ids) => ids.length), batchSize).map((indices) => padBatch(indices.map((index) => tokenized[index]), tokenizer.padTokenId));

    const onnx: Record<string, unknown> = {};
    let onnxRows: Float32Array[] = [];
    for (const threads of [1, 2]) {
      const engine = chooseEncoderEngine({ threads, requested: 'onnxruntime' });
      if (engine.name !== 'onnxruntime') throw new Error('unreachable');
      const created = performance.now();
      const encoder = await engine.open(folder.config, encoderWeightArrays(folder));
      const sessionMs = Math.round(performance.now() - created);
      const result = await throughput(encoder, batches);
      await encoder.dispose();
      onnx[`${threads}thread${threads === 1 ? '' : 's'}`] = { engine: engine.description, sessionMs, sentencesPerSecond: result.sentencesPerSecond, ms: result.ms, cpuMs: result.cpuMs };
      onnxRows = result.rows;
    }

    const backend = await initBackend();
    const loaded = await loadSentenceModel(model);
    const tfjs = await throughput(tfjsFrozenEncoder(loaded), batches);
    // A validation while the encoder trains rebuilds the session from the model's variables.
    const fromVariables = performance.now();
    await (await openModelEncoder(chooseEncoderEngine({ requested: 'onnxruntime' }), loaded)).dispose();
    const sessionFromVariablesMs = Math.round(performance.now() - fromVariables);
    await loaded.dispose();
    const onnxAllCores = onnx[`${os.availableParallelism()}thread${os.availableParallelism() === 1 ? '' : 's'}`] as { sentencesPerSecond: number } | undefined;

    const input = path.join(workspace.folder, 'sentences.txt');
    writeFileSync(input, `${texts.join('\n')}\n`);
    const embedMs = {
      onnxruntimeAllCores: await embedProcess(model, input, { THAW_ENCODER: 'onnxruntime' }),
      onnxruntime1Thread: await embedProcess(model, input, { THAW_ENCODER: 'onnxruntime' }, ['--threads', '1']),
      tfjs: await embedProcess(model, input, { THAW_ENCODER: 'tfjs' }),
    };

    printReport({
      model: { ...MINILM_SHAPE, weights: 'random (seed 1)', maxSeqLength: folder.maxSeqLength },
      data: {
        source: shared !== undefined ? '../shared/datasets (first TREC train + first movie-review train sentences)' : 'demo/data',
        sentences: texts.length,
        batchSize,
        batches: batches.length,
        meanTokens: Math.round((tokenized.reduce((sum, ids) => sum + ids.length, 0) / texts.length) * 10) / 10,
        paddedTokens: batches.reduce((sum, batch) => sum + batch.batchSize * batch.length, 0),
      },
      onnxruntime: onnx,
      tfjs: { engine: backend.description, sentencesPerSecond: tfjs.sentencesPerSecond, ms: tfjs.ms, cpuMs: tfjs.cpuMs },
      maxAbsDifferenceOnnxVsTfjs: maxDifference(onnxRows, tfjs.rows),
      validation: {
        sessionFromVariablesMs,
        // Above this many validation sentences, a fresh session per validation beats tfjs' pass.
        breakEvenSentences: onnxAllCores === undefined ? undefined : Math.ceil(sessionFromVariablesMs / 1000 / (1 / tfjs.sentencesPerSecond - 1 / onnxAllCores.sentencesPerSecond)),
      },
      thawEmbed: embedMs,
      loadAverage: os.loadavg().map((load) => Math.round(load * 10) / 10),
      cores: os.availableParallelism(),
    });
  } finally {
    workspace.cleanup();
  }
}

void main();
