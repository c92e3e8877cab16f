// Benchmark: one forward + backward pass (loss and every gradient) of a task batch on the ONNX
// training graph, paraphrase-MiniLM-L6-v2's shape with random weights, every group trainable,
// dropout at every site. Median of the timed runs after one warm-up, per thread count, with the
// process's peak RSS after each. Anchors: tfjs-wasm fwd+bwd ~4,225 ms, PyTorch ~600 ms
// (fwd+bwd+AdamW), batch 16 x 64. The cores are shared, so each run also times the inference
// encoder (forward only) on the same batch, interleaved: their ratio says more than either time
// when other work competes, and the load average is printed. Prints one JSON object.
//
//   npm run build && flock /tmp/thaw-bench.lock node out/test/bench/ort-step.bench.js [--batch 16 --length 64 --runs 7 --threads 1,2 --no-forward]

import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import seedrandom from 'seedrandom';
import { parseBertConfig } from '../../src/core/model/bert-config';
import { encoderWeightSpecs, headWeightSpecs } from '../../src/core/model/bert-weights';
import { allGroupNames } from '../../src/core/vocabulary/groups';
import { MINILM_SHAPE } from '../../src/trainer/init/generate-model-folder';
import { OrtEncoder } from '../../src/trainer/onnx/ort-encoder';
import { dropoutMask } from '../../src/trainer/model/dropout-masks';
import { dropoutMaskSize } from '../../src/trainer/onnx-training/dropout-sites';
import { OrtTrainingStep } from '../../src/trainer/onnx-training/ort-training-step';
import { printReport } from './print-report';

const { values } = parseArgs({
  options: {
    batch: { type: 'string', default: '16' },
    length: { type: 'string', default: '64' },
    runs: { type: 'string', default: '7' },
    threads: { type: 'string', default: '1,2' },
    // Without the interleaved inference encoder, for a peak RSS of the training step alone (run one thread count per process).
    'no-forward': { type: 'boolean', default: false },
  },
});
const batchSize = Number(values.batch);
const length = Number(values.length);
const runs = Number(values.runs);
const CLASSES = 6;

const config = parseBertConfig(
  {
    vocab_size: 30522,
    hidden_size: MINILM_SHAPE.hidden,
    num_hidden_layers: MINILM_SHAPE.layers,
    num_attention_heads: MINILM_SHAPE.attentionHeads,
    intermediate_size: MINILM_SHAPE.intermediate,
    max_position_embeddings: MINILM_SHAPE.maxPositions,
  },
  'bench',
);

function randomWeights(): Map<string, Float32Array> {
  const random = seedrandom('ort-step-bench');
  const weights = new Map<string, Float32Array>();
  for (const spec of [...encoderWeightSpecs(config), ...headWeightSpecs('task_a_head', CLASSES, config.hidden_size)]) {
    const values = new Float32Array(spec.shape.reduce((product, size) => product * size, 1));
    if (spec.init === 'ones') values.fill(1);
    else if (spec.init === 'normal') for (let i = 0; i < values.length; i++) values[i] = 0.04 * (random() - 0.5) * Math.sqrt(3);
    weights.set(spec.name, values);
  }
  return weights;
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main(): Promise<void> {
  const weights = randomWeights();
  const random = seedrandom('ort-step-bench-batch');
  // Full-length rows but for a few padded ones, as a length-bucketed batch is.
  const inputIds = Int32Array.from({ length: batchSize * length }, () => 1000 + Math.floor(random() * 29000));
  const attentionMask = Int32Array.from({ length: batchSize * length }, (_, index) => (index % length < length - (Math.floor(index / length) % 4) * 3 ? 1 : 0));
  const labels = Array.from({ length: batchSize }, (_, row) => row % CLASSES);
  const results: Record<string, unknown>[] = [];
  for (const threads of values.threads.split(',').map(Number)) {
    const created = performance.now();
    const step = await OrtTrainingStep.create(config, { trainable: allGroupNames(config.num_hidden_layers), heads: new Map([['task_a_head', CLASSES]]) }, { threads });
    const sessionMs = Math.round(performance.now() - created);
    const sites = step.dropoutSites('task_a_head');
    const masks = new Map(sites.map((site) => [site.input, dropoutMask({ seed: 1, step: 0, stream: 'bench' }, site.input, dropoutMaskSize(site, config, batchSize, length), site.rate)]));
    const batch = { batchSize, length, inputIds, attentionMask };
    const task = { head: 'task_a_head' as const, batch, labels, lossWeight: 1, masks };
    const encoder = values['no-forward'] ? undefined : await OrtEncoder.create(config, weights, { threads });
    const times: number[] = [];
    const forwardTimes: number[] = [];
    for (let run = 0; run <= runs; run++) {
      const forwardStart = performance.now();
      await encoder?.pooled(batch);
      const start = performance.now();
      await step.gradients(task, weights);
      if (run > 0) {
        times.push(performance.now() - start);
        forwardTimes.push(start - forwardStart);
      }
    }
    await Promise.all([step.dispose(), encoder?.dispose()]);
    results.push({
      threads,
      sessionMs,
      medianMs: Math.round(median(times)),
      minMs: Math.round(Math.min(...times)),
      runsMs: times.map(Math.round),
      ...(encoder === undefined ? {} : { inferenceForwardMedianMs: Math.round(median(forwardTimes)), trainingOverForward: Number((median(times) / median(forwardTimes)).toFixed(2)) }),
      loadAverage1m: Number(loadavg()[0].toFixed(1)),
      peakRssMiBSoFar: Math.round(process.resourceUsage().maxRSS / 1024),
    });
  }
  printReport({ shape: 'paraphrase-MiniLM-L6-v2 (random weights)', batch: `${batchSize} x ${length}`, trainable: 'every group', anchors: { tfjsWasmFwdBwdMs: 4225, pytorchFwdBwdAdamWMs: 600 }, results });
}

void main();
