// The frozen encoder on ONNX Runtime, as users meet it: `thaw embed` never starts TensorFlow.js
// and agrees with it within 1e-4; where ONNX Runtime cannot load, one message and tfjs; a
// warm-up over the frozen encoder reports the same losses and metrics on either engine.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import type { TrainerEvent } from '../../src/protocol/trainer-events';
import { initBackend } from '../../src/trainer/backend/tensorflow';
import { EventSink } from '../../src/trainer/train/event-sink';
import { runTraining } from '../../src/trainer/train/run-training';
import { TINY_CORPUS, temporaryFolder, writeTinyModel } from '../helpers/tiny-model';
import { tinyDemoModel, writeExperiment } from '../helpers/tiny-experiment';

const CLI = path.resolve(__dirname, '../../src/trainer/cli/main.js');
const HOOK = path.resolve(__dirname, '../helpers/module-load-hook.js');
const workspace = temporaryFolder();
let model: string;
let input: string;

before(async () => {
  model = await writeTinyModel(path.join(workspace.folder, 'model'));
  input = path.join(workspace.folder, 'sentences.txt');
  writeFileSync(input, `${[...TINY_CORPUS, 'Zebra crossings, oddly enough!'].join('\n')}\n`);
});
after(() => workspace.cleanup());

interface Embedded {
  readonly code: number;
  readonly stderr: string;
  readonly embeddings: number[][];
  /** The ML packages the process loaded. */
  readonly loaded: string[];
}

let runs = 0;
function embed(env: Record<string, string>, ...extra: string[]): Promise<Embedded> {
  const log = path.join(workspace.folder, `loaded-${runs++}.json`);
  return new Promise((resolve) => {
    execFile(process.execPath, ['--require', HOOK, CLI, 'embed', '--model', model, input, ...extra], { env: { ...process.env, ...env, THAW_TEST_LOAD_LOG: log }, maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      const embeddings = error === null ? stdout.trim().split('\n').map((line) => (JSON.parse(line) as { embedding: number[] }).embedding) : [];
      resolve({ code: error === null ? 0 : (error.code as number), stderr, embeddings, loaded: JSON.parse(readFileSync(log, 'utf8')) as string[] });
    });
  });
}

function maxDifference(a: number[][], b: number[][]): number {
  assert.equal(a.length, b.length);
  return Math.max(...a.flatMap((row, i) => row.map((value, j) => Math.abs(value - b[i][j]))));
}

test('thaw embed runs on ONNX Runtime without loading TensorFlow.js, equal to tfjs within 1e-4', async () => {
  const ort = await embed({}, '--threads', '1');
  assert.equal(ort.code, 0, ort.stderr);
  assert.match(ort.stderr, /^thaw: encoder: onnxruntime 1\.14\.0 \(1 thread\)$/m);
  assert.ok(ort.loaded.includes('onnxruntime-node'), `loaded: ${ort.loaded.join(', ')}`);
  assert.deepEqual(ort.loaded.filter((name) => name.startsWith('@tensorflow/')), [], 'tfjs never loads');

  const tfjs = await embed({ THAW_ENCODER: 'tfjs' });
  assert.equal(tfjs.code, 0, tfjs.stderr);
  assert.match(tfjs.stderr, /^thaw: encoder: tfjs \(chosen explicitly: THAW_ENCODER=tfjs\) on wasm/m);
  assert.ok(tfjs.loaded.includes('@tensorflow/tfjs'), 'the hook does see tfjs when it loads');
  assert.equal(ort.embeddings.length, TINY_CORPUS.length + 1);
  const difference = maxDifference(ort.embeddings, tfjs.embeddings);
  assert.ok(difference < 1e-4, `max |ort - tfjs| = ${difference}`);

  const twoThreads = await embed({}, '--threads', '2');
  assert.match(twoThreads.stderr, /encoder: onnxruntime 1\.14\.0 \(2 threads\)/);
  assert.ok(maxDifference(twoThreads.embeddings, ort.embeddings) < 1e-5);
});

test('where ONNX Runtime cannot load, thaw embed says so once and runs on tfjs', async () => {
  const fallback = await embed({ THAW_TEST_BREAK_ONNXRUNTIME: '1' });
  assert.equal(fallback.code, 0, fallback.stderr);
  const mentions = fallback.stderr.split('\n').filter((line) => /simulated: onnxruntime_binding/.test(line));
  assert.equal(mentions.length, 1, fallback.stderr);
  assert.match(mentions[0], /^thaw: onnxruntime-node .*: the frozen encoder runs on TensorFlow\.js instead/);
  assert.match(fallback.stderr, /^thaw: encoder: tfjs \(ONNX Runtime did not load\) on wasm/m);
  const reference = await embed({ THAW_ENCODER: 'tfjs' });
  assert.ok(maxDifference(fallback.embeddings, reference.embeddings) === 0, 'the same tfjs computation');

  const forced = await embed({ THAW_TEST_BREAK_ONNXRUNTIME: '1', THAW_ENCODER: 'onnxruntime' });
  assert.equal(forced.code, 1);
  assert.match(forced.stderr, /^thaw embed: THAW_ENCODER=onnxruntime, but onnxruntime-node .*simulated/);
  assert.equal(forced.embeddings.length, 0);
});

test('bad --threads and THAW_ENCODER values are refused', async () => {
  const zero = await embed({}, '--threads', '0');
  assert.equal(zero.code, 2);
  assert.match(zero.stderr, /--threads must be an integer from 1 to 1024, got "0"/);
  const unknown = await embed({ THAW_ENCODER: 'abacus' });
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /encoder "abacus" is not one of onnxruntime, tfjs \(THAW_ENCODER\)/);
});

const WARM_UP = [{ name: 'warm-up', epochs: 2, frozen: ['encoder'], lr: { heads: 1e-2 } }];

async function train(name: string, encoder: string, phases: object[] = WARM_UP): Promise<TrainerEvent[]> {
  const events: TrainerEvent[] = [];
  const previous = { cache: process.env.THAW_CACHE, encoder: process.env.THAW_ENCODER };
  process.env.THAW_CACHE = path.join(workspace.folder, `cache-${name}`);
  process.env.THAW_ENCODER = encoder;
  try {
    const demoModel = await tinyDemoModel(path.join(workspace.folder, name));
    // These compare the frozen encoder's engines; training stays on tfjs in both.
    const experimentFile = writeExperiment(workspace.folder, name, demoModel, { phases, engine: 'tfjs' });
    await runTraining({ experimentFile, sink: new EventSink({ listener: (event) => events.push(event) }), stop: { requested: false }, threads: 2 });
  } finally {
    for (const [key, value] of [['THAW_CACHE', previous.cache], ['THAW_ENCODER', previous.encoder]] as const) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
  return events;
}

const losses = (events: TrainerEvent[]) => events.flatMap((event) => (event.type === 'step' ? Object.values(event.loss) : []));
const metrics = (events: TrainerEvent[]) => events.flatMap((event) => (event.type === 'validation' ? Object.values(event.tasks).flatMap((task) => [task.loss, task.accuracy, task.macroF1]) : []));

test('a warm-up over the frozen encoder gives the same losses and metrics on ONNX Runtime and tfjs', async () => {
  await initBackend();
  const ort = await train('warm-ort', 'onnxruntime');
  const tfjs = await train('warm-tfjs', 'tfjs');
  const start = ort.find((event) => event.type === 'run-start');
  assert.ok(start?.type === 'run-start');
  assert.match(start.backend, /^encoder: onnxruntime 1\.14\.0 \(2 threads\), training: wasm/);
  assert.deepEqual(start.provenance?.encoder, { engine: 'onnxruntime', threads: 2 });
  const tfjsStart = tfjs.find((event) => event.type === 'run-start');
  assert.ok(tfjsStart?.type === 'run-start' && tfjsStart.provenance?.encoder?.engine === 'tfjs');
  assert.ok(ort.some((event) => event.type === 'phase-start' && event.usesEmbeddingCache));

  for (const [what, a, b] of [['step losses', losses(ort), losses(tfjs)], ['validation metrics', metrics(ort), metrics(tfjs)]] as const) {
    assert.ok(a.length > 0 && a.length === b.length, what);
    a.forEach((value, index) => assert.ok(Math.abs(value - b[index]) < 1e-4, `${what}[${index}]: ${value} vs ${b[index]}`));
  }
});

test('while the encoder trains, validation and the frozen-head drift check on ONNX Runtime equal tfjs', async () => {
  await initBackend();
  const fineTune = [{ name: 'fine-tune', epochs: 1, frozen: ['task_a_head'], lr: { encoder: 1e-4, heads: 1e-3 } }];
  const ort = await train('tune-ort', 'onnxruntime', fineTune);
  const tfjs = await train('tune-tfjs', 'tfjs', fineTune);
  assert.ok(ort.some((event) => event.type === 'phase-start' && !event.usesEmbeddingCache));
  assert.deepEqual(losses(ort), losses(tfjs), 'training itself is tfjs on both: the same bits');
  const [a, b] = [metrics(ort), metrics(tfjs)];
  assert.ok(a.length > 0 && a.length === b.length);
  a.forEach((value, index) => assert.ok(Math.abs(value - b[index]) < 1e-4, `validation metric ${index}: ${value} vs ${b[index]}`));
  const warnings = (events: TrainerEvent[]) => events.filter((event) => event.type === 'warning' && event.kind === 'frozen-head-drift').length;
  assert.equal(warnings(ort), warnings(tfjs), 'the drift check sees the same');
});

test('where ONNX Runtime cannot load, a warm-up says so in one warning and fills its cache on tfjs', async () => {
  const folder = path.join(workspace.folder, 'fallback-train');
  const experimentFile = writeExperiment(workspace.folder, 'fallback-train', await tinyDemoModel(folder), { phases: WARM_UP });
  const env = { ...process.env, THAW_CACHE: path.join(folder, 'cache'), THAW_TEST_BREAK_ONNXRUNTIME: '1', THAW_TEST_LOAD_LOG: path.join(folder, 'loaded.json') };
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile(process.execPath, ['--require', HOOK, CLI, 'train', experimentFile, '--json'], { env, maxBuffer: 64 << 20 }, (error, out, stderr) => (error === null ? resolve(out) : reject(new Error(stderr))));
  });
  const events = stdout.trim().split('\n').map((line) => JSON.parse(line) as TrainerEvent);
  const fallbacks = events.filter((event) => event.type === 'warning' && /onnxruntime-node .*simulated/.test(event.message));
  assert.equal(fallbacks.length, 1);
  const start = events.find((event) => event.type === 'run-start');
  assert.ok(start?.type === 'run-start');
  assert.match(start.backend, /^encoder: tfjs \(ONNX Runtime did not load\) on wasm, training: wasm/);
  assert.equal(start.provenance?.encoder?.engine, 'tfjs');
  assert.ok(events.some((event) => event.type === 'phase-start' && event.usesEmbeddingCache));
  const end = events.at(-1);
  assert.ok(end?.type === 'run-end' && end.status === 'completed');
});
