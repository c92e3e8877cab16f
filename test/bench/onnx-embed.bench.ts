// Benchmark: pooled sentence embeddings of a paraphrase-MiniLM-L6-v2-shaped model (random
// weights, the real tokenizer from ../shared/) on ONNX Runtime, float32 and quantized, against
// the tfjs encoder on the same batches. Length-bucketed batches as `thaw embed` makes them.
// Prints one JSON object.
//
//   npm run bench:onnx       (-- --sentences N --batch N --threads N --tfjs-sentences N)

import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { lengthBucketedBatches, padBatch, type PaddedBatch } from '../../src/trainer/data/padded-batch';
import { MINILM_SHAPE, generateModelFolder } from '../../src/trainer/init/generate-model-folder';
import { readModelFolder } from '../../src/trainer/model/model-folder';
import { loadTokenizer } from '../../src/trainer/model/tokenizer';
import { encoderWeightArrays } from '../../src/trainer/model/weight-arrays';
import { buildEncoderModel } from '../../src/trainer/onnx/bert-graph';
import { OrtEncoder } from '../../src/trainer/onnx/ort-encoder';
import { quantizeDynamic } from '../../src/trainer/onnx/quantize';
import { sharedFolder, sharedTexts } from '../helpers/shared-data';
import { temporaryFolder } from '../helpers/tiny-model';
import { printReport } from './print-report';

const { values } = parseArgs({
  options: {
    sentences: { type: 'string', default: '256' },
    batch: { type: 'string', default: '32' },
    threads: { type: 'string' },
    'tfjs-sentences': { type: 'string', default: '64' },
  },
});

/** Sentences per second over all batches, after one untimed warm-up batch. */
async function throughput(batches: readonly PaddedBatch[], embed: (batch: PaddedBatch) => Promise<unknown>): Promise<{ sentencesPerSecond: number; ms: number }> {
  await embed(batches[0]);
  const start = performance.now();
  for (const batch of batches) await embed(batch);
  const ms = performance.now() - start;
  const sentences = batches.reduce((sum, batch) => sum + batch.batchSize, 0);
  return { sentencesPerSecond: Math.round((1000 * sentences) / ms), ms: Math.round(ms) };
}

async function main(): Promise<void> {
  const shared = sharedFolder();
  if (shared === undefined) throw new Error('needs ../shared/ (the MiniLM tokenizer and datasets)');
  const workspace = temporaryFolder('thaw-bench-');
  try {
    const folderPath = path.join(workspace.folder, 'minilm-shape');
    await generateModelFolder({ out: folderPath, shape: MINILM_SHAPE, seed: 1, tokenizer: { kind: 'folder', folder: path.join(shared, 'models', 'minilm-tokenizer') } });
    const count = Number(values.sentences);
    const texts = [...sharedTexts(path.join(shared, 'datasets', 'trec', 'train.csv'), count / 2), ...sharedTexts(path.join(shared, 'datasets', 'mr', 'train.csv'), count / 2)];
    const tokenizer = await loadTokenizer(folderPath);
    const tokenized = texts.map((text) => tokenizer.tokenize(text, 128));
    const batchesOf = (ids: number[][]): PaddedBatch[] =>
      lengthBucketedBatches(ids.map((sequence) => sequence.length), Number(values.batch)).map((indices) => padBatch(indices.map((index) => ids[index]), tokenizer.padTokenId));
    const batches = batchesOf(tokenized);

    const folder = await readModelFolder(folderPath);
    const threads = values.threads === undefined ? undefined : Number(values.threads);
    let start = performance.now();
    const model = buildEncoderModel(folder.config, encoderWeightArrays(folder), { pooled: true });
    const buildMs = performance.now() - start;
    start = performance.now();
    const quantized = quantizeDynamic(model);
    const quantizeMs = performance.now() - start;
    start = performance.now();
    const full = await OrtEncoder.fromModel(model, folder.config, { threads });
    const sessionMs = performance.now() - start;
    const fullFigures = await throughput(batches, (batch) => full.pooled(batch));
    await full.dispose();
    const small = await OrtEncoder.fromModel(quantized, folder.config, { threads });
    const quantizedFigures = await throughput(batches, (batch) => small.pooled(batch));
    const description = small.description;
    await small.dispose();

    // tfjs last and on fewer sentences: it is the slow reference, and loading it is part of what ORT saves.
    const { initBackend, tf } = await import('../../src/trainer/backend/tensorflow.js');
    const { loadSentenceModel } = await import('../../src/trainer/model/load-sentence-model.js');
    const backend = await initBackend();
    const sentenceModel = await loadSentenceModel(folderPath);
    const tfjsBatches = batchesOf(tokenized.slice(0, Number(values['tfjs-sentences'])));
    const tfjsFigures = await throughput(tfjsBatches, async (batch) => {
      const pooled = tf.tidy(() => sentenceModel.embed(sentenceModel.inputsFor(batch)));
      await pooled.data();
      pooled.dispose();
    });
    await sentenceModel.dispose();

    printReport({
      shape: { ...MINILM_SHAPE, vocabularySize: folder.config.vocab_size },
      sentences: texts.length,
      batchSize: Number(values.batch),
      meanTokens: Number((tokenized.reduce((sum, ids) => sum + ids.length, 0) / tokenized.length).toFixed(1)),
      engine: description,
      buildOnnxMs: Math.round(buildMs),
      quantizeMs: Math.round(quantizeMs),
      createSessionMs: Math.round(sessionMs),
      modelMB: { float32: Number((model.byteLength / 1e6).toFixed(1)), quantized: Number((quantized.byteLength / 1e6).toFixed(1)) },
      ortFloat32: fullFigures,
      ortQuantized: quantizedFigures,
      tfjs: { backend: backend.description, sentences: tfjsBatches.reduce((sum, batch) => sum + batch.batchSize, 0), ...tfjsFigures },
    });
  } finally {
    workspace.cleanup();
  }
}

void main();
