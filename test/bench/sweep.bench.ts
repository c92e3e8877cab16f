// Benchmark of a sweep's shared prefix: a grid over three fine-tune encoder learning rates run
// as one sweep (one warm-up, three fine-tunes forked from its checkpoint) against the same three
// recipes run in full, each arm with its own empty embedding cache. On the demo data with the
// demo's recipe (3 warm-up epochs, 1 fine-tune epoch) and a small generated model (2 layers,
// hidden 128), or the MiniLM-L6 shape with --minilm, after one unmeasured recipe that warms the
// engine up. Prints one JSON object.
//
//   npm run bench:sweep           (-- --minilm: that shape; -- --no-cache: warm-ups run the encoder)

import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { loadExperiment } from '../../src/core/experiment/load-experiment';
import { sweepVariants } from '../../src/core/sweeps/sweep-variants';
import type { TrainerEvent } from '../../src/protocol/trainer-events';
import { initBackend } from '../../src/trainer/backend/tensorflow';
import { MINILM_SHAPE, generateModelFolder } from '../../src/trainer/init/generate-model-folder';
import { planSweep } from '../../src/trainer/sweep/plan-sweep';
import { runSweep } from '../../src/trainer/sweep/run-sweep';
import { EventSink } from '../../src/trainer/train/event-sink';
import { runTraining } from '../../src/trainer/train/run-training';
import { demoCorpus, tinyDemoModel, writeExperiment } from '../helpers/tiny-experiment';
import { temporaryFolder } from '../helpers/tiny-model';
import { printReport } from './print-report';

const { values } = parseArgs({ options: { minilm: { type: 'boolean', default: false }, 'no-cache': { type: 'boolean', default: false } } });
const RATES = [1e-5, 2e-5, 5e-5];

async function main(): Promise<void> {
  const backend = await initBackend();
  const workspace = temporaryFolder('thaw-sweep-bench-');
  try {
    const model = values.minilm
      ? (await generateModelFolder({ out: path.join(workspace.folder, 'minilm'), shape: MINILM_SHAPE, seed: 42, tokenizer: { kind: 'corpus', lines: demoCorpus(), vocabularySize: 30522 } }), path.join(workspace.folder, 'minilm'))
      : await tinyDemoModel(workspace.folder);
    const settings = {
      phases: [
        { name: 'warm-up', epochs: 3, frozen: ['encoder'], lr: { heads: 1e-2 } },
        { name: 'fine-tune', epochs: 1, lr: { encoder: 2e-5, heads: 1e-3 }, schedule: { warmupSteps: 4, decay: 'linear' } },
      ],
      sweep: { grid: { 'phases.fine-tune.lr.encoder': RATES } },
      // With the cache a warm-up costs little beside a fine-tune; without it, as much per step.
      embeddingCache: !values['no-cache'],
    };
    const sweepFile = writeExperiment(workspace.folder, 'sweep', model, { ...settings, output: path.join(workspace.folder, 'runs-sweep') });
    const recipesFile = writeExperiment(workspace.folder, 'recipes', model, { ...settings, output: path.join(workspace.folder, 'runs-recipes') });

    // Not measured: the first run in a process pays for compiling the engine's kernels.
    process.env.THAW_CACHE = path.join(workspace.folder, 'cache-priming');
    const priming = sweepVariants(await loadExperiment(recipesFile))[0].experiment;
    await runTraining({ experiment: { ...priming, output: path.join(workspace.folder, 'runs-priming') }, sink: new EventSink(), stop: { requested: false } });

    process.env.THAW_CACHE = path.join(workspace.folder, 'cache-sweep');
    const sweepEvents: TrainerEvent[] = [];
    let start = performance.now();
    const planned = await planSweep(sweepFile);
    await runSweep({ ...planned, resumed: false, stop: { requested: false }, onTrainerEvent: (event) => sweepEvents.push(event) });
    const sweepMs = performance.now() - start;

    process.env.THAW_CACHE = path.join(workspace.folder, 'cache-recipes');
    const recipeEvents: TrainerEvent[] = [];
    start = performance.now();
    for (const variant of sweepVariants(await loadExperiment(recipesFile))) {
      await runTraining({ experiment: variant.experiment, sink: new EventSink({ listener: (event) => recipeEvents.push(event) }), stop: { requested: false } });
    }
    const recipesMs = performance.now() - start;

    const count = (events: TrainerEvent[], phase: string) => events.filter((event) => event.type === 'phase-start' && event.phase === phase).length;
    const steps = (events: TrainerEvent[]) => events.filter((event) => event.type === 'step').length;
    printReport({
      backend: backend.description,
      model: values.minilm ? 'MiniLM-L6 shape, random weights' : 'generated, 2 layers, hidden 128',
      rates: RATES,
      embeddingCache: !values['no-cache'],
      sweep: { seconds: +(sweepMs / 1000).toFixed(2), warmUps: count(sweepEvents, 'warm-up'), fineTunes: count(sweepEvents, 'fine-tune'), steps: steps(sweepEvents), runs: planned.manifest.runs.length },
      threeRecipes: { seconds: +(recipesMs / 1000).toFixed(2), warmUps: count(recipeEvents, 'warm-up'), fineTunes: count(recipeEvents, 'fine-tune'), steps: steps(recipeEvents) },
      saved: `${(100 * (1 - sweepMs / recipesMs)).toFixed(0)}%`,
    });
  } finally {
    workspace.cleanup();
  }
}

void main();
