// Benchmark of training on the paraphrase-MiniLM-L6-v2 shape (random weights): a fine-tune
// step at batch 16 with length-bucketed batches, and a warm-up epoch with the embedding cache
// (cold: filling it, on the default encoder engine and on tfjs; warm: reading it) and without it. Uses the real MiniLM tokenizer and the
// public TREC / movie-review training sets from ../shared/ when present (a subset, to keep
// the run to minutes), else the demo data. Then the recipe preset's wall time (warm-up on the
// cache, then fine-tune) on each training engine, over --recipe-sentences per task. Prints one
// JSON object.
//
//   npm run bench            (-- --sentences N per task, -- --steps N fine-tune steps, -- --recipe-sentences N)

import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import type { TrainerEvent } from '../../src/protocol/trainer-events';
import { initBackend } from '../../src/trainer/backend/tensorflow';
import { MINILM_SHAPE, generateModelFolder } from '../../src/trainer/init/generate-model-folder';
import { EventSink } from '../../src/trainer/train/event-sink';
import { runTraining } from '../../src/trainer/train/run-training';
import { sharedFolder } from '../helpers/shared-data';
import { DEMO_TASKS, demoCorpus } from '../helpers/tiny-experiment';
import { printReport } from './print-report';
import { temporaryFolder } from '../helpers/tiny-model';

const { values } = parseArgs({ options: { sentences: { type: 'string', default: '512' }, steps: { type: 'string', default: '10' }, 'recipe-sentences': { type: 'string', default: '64' } } });
const sentences = Number(values.sentences);
const fineTuneSteps = Number(values.steps);

/** The first `count` data rows of a CSV (header kept), written to `out`. */
function subset(file: string, count: number, out: string): string {
  const lines = readFileSync(file, 'utf8').split('\n');
  // Multi-line quoted records are rare in these sets; keep only rows without quotes to be safe.
  writeFileSync(out, `${[lines[0], ...lines.slice(1).filter((line) => line.length > 0 && !line.includes('"')).slice(0, count)].join('\n')}\n`);
  return out;
}

async function timedRun(experimentFile: string): Promise<{ events: TrainerEvent[]; ms: number }> {
  const events: TrainerEvent[] = [];
  const start = performance.now();
  await runTraining({ experimentFile, sink: new EventSink({ listener: (event) => events.push(event) }), stop: { requested: false } });
  return { events, ms: performance.now() - start };
}

/** Milliseconds from the first event of type `from` to the first of type `to`. */
function between(events: TrainerEvent[], from: TrainerEvent['type'], to: TrainerEvent['type']): number {
  const time = (type: TrainerEvent['type']) => Date.parse(events.find((event) => event.type === type)!.time);
  return time(to) - time(from);
}

async function main(): Promise<void> {
  const backend = await initBackend();
  const workspace = temporaryFolder('thaw-bench-');
  process.env.THAW_CACHE = path.join(workspace.folder, 'cache');
  try {
    const shared = sharedFolder();
    const data = shared !== undefined
      ? {
          source: '../shared/datasets (TREC train, movie-review train)',
          a: subset(path.join(shared, 'datasets', 'trec', 'train.csv'), sentences, path.join(workspace.folder, 'trec.csv')),
          b: subset(path.join(shared, 'datasets', 'mr', 'train.csv'), sentences, path.join(workspace.folder, 'mr.csv')),
        }
      : { source: 'demo/data', a: DEMO_TASKS.a.train, b: DEMO_TASKS.b.train };
    const model = path.join(workspace.folder, 'model');
    await generateModelFolder({
      out: model,
      shape: MINILM_SHAPE,
      seed: 1,
      tokenizer: shared !== undefined ? { kind: 'folder', folder: path.join(shared, 'models', 'minilm-tokenizer') } : { kind: 'corpus', lines: demoCorpus(), vocabularySize: 30522 },
    });
    const experiment = (name: string, phases: object[] | undefined, extra: object = {}, files: { a: string; b: string } = data): string => {
      const file = path.join(workspace.folder, `${name}.thaw.json`);
      const tasks = { a: { name: 'question type', train: files.a }, b: { name: 'sentiment', train: files.b } };
      writeFileSync(file, JSON.stringify({ name, model, tasks, batchSize: 16, output: path.join(workspace.folder, 'runs'), phases, ...extra }));
      return file;
    };
    const warmUp = [{ name: 'warm-up', epochs: 1, frozen: ['encoder'], lr: { heads: 1e-2 } }];

    const cold = await timedRun(experiment('cache-cold', warmUp));
    // The same fill on tfjs, into a cache of its own (the key is the weights', so it would hit).
    const defaults = { cache: process.env.THAW_CACHE, encoder: process.env.THAW_ENCODER };
    process.env.THAW_CACHE = path.join(workspace.folder, 'cache-tfjs');
    process.env.THAW_ENCODER = 'tfjs';
    const coldTfjs = await timedRun(experiment('cache-cold-tfjs', warmUp));
    process.env.THAW_CACHE = defaults.cache;
    if (defaults.encoder === undefined) delete process.env.THAW_ENCODER;
    else process.env.THAW_ENCODER = defaults.encoder;
    const warm = await timedRun(experiment('cache-warm', warmUp));
    const uncached = await timedRun(experiment('no-cache', warmUp, { embeddingCache: false }));
    const fineTune = await timedRun(experiment('fine-tune', [{ name: 'fine-tune', steps: fineTuneSteps, lr: { encoder: 2e-5, heads: 1e-3 } }]));
    const recipeSentences = Number(values['recipe-sentences']);
    const recipeData = shared !== undefined
      ? { a: subset(data.a, recipeSentences, path.join(workspace.folder, 'recipe-a.csv')), b: subset(data.b, recipeSentences, path.join(workspace.folder, 'recipe-b.csv')) }
      : data;
    const recipe: Record<string, { wallMs: number; steps: number; phaseMs: Record<string, number> }> = {};
    for (const engine of ['onnxruntime', 'tfjs']) {
      const run = await timedRun(experiment(`recipe-${engine}`, undefined, { preset: 'recipe', engine }, recipeData));
      const phaseMs = Object.fromEntries(
        run.events.flatMap((event, index) => {
          if (event.type !== 'phase-start') return [];
          const end = run.events.slice(index).find((later) => later.type === 'phase-end');
          return end === undefined ? [] : [[event.phase, Date.parse(end.time) - Date.parse(event.time)]];
        }),
      );
      recipe[engine] = { wallMs: Math.round(run.ms), steps: run.events.filter((event) => event.type === 'step').length, phaseMs };
    }

    const stepTimes = fineTune.events.filter((event) => event.type === 'step').map((event) => Date.parse(event.time));
    const stepMs = stepTimes.slice(1).map((time, i) => time - stepTimes[i]);
    const sorted = [...stepMs].sort((a, b) => a - b);
    const warmUpSteps = cold.events.filter((event) => event.type === 'step').length;
    const cacheFill = cold.events.filter((event) => event.type === 'progress' && event.stage === 'embedding-cache').at(-1);
    const encoderOf = (events: TrainerEvent[]) => {
      const start = events.find((event) => event.type === 'run-start');
      return start?.type === 'run-start' ? start.backend.replace(/, training: .*$/, '') : undefined;
    };
    printReport({
      backend: backend.name,
      backendDescription: backend.description,
      model: { ...MINILM_SHAPE, weights: 'random (seed 1)' },
      data: { source: data.source, sentencesPerTask: sentences, batchSize: 16 },
      fineTuneStepMs: { median: sorted[Math.floor(sorted.length / 2)], min: sorted[0], max: sorted.at(-1), steps: stepMs.length },
      warmUpEpoch: {
        steps: warmUpSteps,
        cachedSentences: cacheFill?.type === 'progress' ? cacheFill.total : 0,
        // Cold: from the run's start, so filling the cache counts; the cache is filled before phase-start.
        cacheFillMs: between(cold.events, 'run-start', 'phase-start'),
        cacheFillEngine: encoderOf(cold.events),
        cacheFillTfjsMs: between(coldTfjs.events, 'run-start', 'phase-start'),
        cacheFillTfjsEngine: encoderOf(coldTfjs.events),
        withCacheColdMs: between(cold.events, 'run-start', 'phase-end'),
        withCacheWarmMs: between(warm.events, 'phase-start', 'phase-end'),
        withoutCacheMs: between(uncached.events, 'phase-start', 'phase-end'),
      },
      fineTuneEngine: fineTune.events.flatMap((event) => (event.type === 'phase-start' ? [event.engine] : []))[0],
      recipe: { sentencesPerTask: shared !== undefined ? recipeSentences : 'demo data', byEngine: recipe },
    });
  } finally {
    workspace.cleanup();
  }
}

void main();
