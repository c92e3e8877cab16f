// Benchmark: one training step (forward + backward) of a paraphrase-MiniLM-L6-v2-shaped model
// (random weights) at batch 16 x 64 tokens, and the two gradient workarounds against the stock
// ops they replace. Prints one JSON object. Uses the real MiniLM tokenizer from ../shared/ when
// present (vocabulary 30,522), else one built from the demo data.
//
//   npm run bench:step            (add -- --steps N to change the number of timed steps)

import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import type { Tensor, Tensor2D } from '@tensorflow/tfjs';
import { initBackend, tf } from '../../src/trainer/backend/tensorflow';
import { plainMatMul, swapLastAxes } from '../../src/trainer/backend/trainable-ops';
import { MINILM_SHAPE, generateModelFolder } from '../../src/trainer/init/generate-model-folder';
import { DropoutPlan } from '../../src/trainer/model/dropout';
import { loadSentenceModel } from '../../src/trainer/model/load-sentence-model';
import { allGroupNames } from '../../src/trainer/model/parameter-groups';
import { sharedFolder } from '../helpers/shared-data';
import { printReport } from './print-report';
import { temporaryFolder } from '../helpers/tiny-model';

const { values } = parseArgs({ options: { steps: { type: 'string', default: '5' }, batch: { type: 'string', default: '16' }, length: { type: 'string', default: '64' } } });
const steps = Number(values.steps);
const batchSize = Number(values.batch);
const length = Number(values.length);

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function timeIt(runs: number, body: () => Promise<void>): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await body();
    samples.push(performance.now() - start);
  }
  return samples;
}

async function main(): Promise<void> {
  const backend = await initBackend();
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
    const model = await loadSentenceModel(folder, { heads: { task_a_head: { labels: ['a', 'b', 'c', 'd', 'e', 'f'] } } });
    const vocabularySize = model.config.vocab_size;
    const ids = new Int32Array(batchSize * length).map((_, i) => (i % length === 0 ? 101 : 1000 + ((i * 7919) % (vocabularySize - 1000))));
    const mask = new Int32Array(batchSize * length).fill(1);
    const labels = Array.from({ length: batchSize }, (_, i) => i % 6);
    const groups = new Set(allGroupNames(model.config.num_hidden_layers));

    const loss = (dropout: DropoutPlan) => () =>
      tf.tidy(() => {
        const inputs = { inputIds: tf.tensor2d(ids, [batchSize, length], 'int32'), attentionMask: tf.tensor2d(mask, [batchSize, length], 'int32') };
        const logits = model.headLogits('task_a_head', model.embed(inputs, dropout), dropout);
        return tf.losses.softmaxCrossEntropy(tf.oneHot(tf.tensor1d(labels, 'int32'), 6) as Tensor2D, logits).asScalar();
      });
    const trainingStep = async (): Promise<void> => {
      const { value, grads } = tf.variableGrads(loss(new DropoutPlan(groups, { seed: 3, step: 0, stream: 'a' })));
      await value.data();
      await Promise.all(Object.values(grads).map((gradient) => gradient.data()));
      tf.dispose([value, ...Object.values(grads)]);
    };
    const forward = async (): Promise<void> => {
      const value = loss(DropoutPlan.none)();
      await value.data();
      value.dispose();
    };

    await trainingStep(); // warm-up: compiles kernels, sizes the heap
    const stepSamples = await timeIt(steps, trainingStep);
    const forwardSamples = await timeIt(steps, forward);

    // The matMul workaround in isolation, at the FFN's shape: [B*T, 384] x [384, 1536]^T.
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

    await model.dispose();
    const megaFlops = (2 * batchSize * length * 384 * 1536 * 2) / 1e6; // two gradient matMuls
    printReport({
      backend: backend.name,
      backendDescription: backend.description,
      shape: { ...MINILM_SHAPE, vocabularySize, batchSize, sequenceLength: length },
      parameters: model.parameters.parameterCount(),
      trainingStepMs: { median: Math.round(median(stepSamples)), samples: stepSamples.map(Math.round) },
      forwardMs: { median: Math.round(median(forwardSamples)), samples: forwardSamples.map(Math.round) },
      ffnMatMulGradientMs: {
        stockTransposeB: Math.round(median(stockSamples)),
        plainMatMul: Math.round(median(plainSamples)),
        plainGflops: Number((megaFlops / median(plainSamples)).toFixed(1)),
      },
      stockGatherGradient: stockGather,
    });
  } finally {
    workspace.cleanup();
  }
}

void main();
