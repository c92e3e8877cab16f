// Dynamic quantization of the ONNX encoder (quantize.ts): the weight codes round-trip within
// half a step, every MatMul over a weight becomes MatMulInteger and every embedding table bytes,
// ONNX Runtime runs it, and pooled embeddings stay within cosine 0.99 of float32 on a tiny model.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { onnx } from 'onnx-proto';
import { padBatch, type PaddedBatch } from '../../src/trainer/data/padded-batch';
import { readModelFolder, type ModelFolder } from '../../src/trainer/model/model-folder';
import { loadTokenizer } from '../../src/trainer/model/tokenizer';
import { encoderWeightArrays } from '../../src/trainer/model/weight-arrays';
import { buildEncoderModel } from '../../src/trainer/onnx/bert-graph';
import { OrtEncoder } from '../../src/trainer/onnx/ort-encoder';
import { quantizeAsymmetric, quantizeDynamic, quantizeSymmetric } from '../../src/trainer/onnx/quantize';
import { cosine } from '../helpers/compare-arrays';
import { TINY_CORPUS, temporaryFolder, writeTinyModel } from '../helpers/tiny-model';

const workspace = temporaryFolder();
let folder: ModelFolder;
let model: Uint8Array;
let batch: PaddedBatch;

before(async () => {
  const path = await writeTinyModel(workspace.folder);
  folder = await readModelFolder(path);
  model = buildEncoderModel(folder.config, encoderWeightArrays(folder), { pooled: true });
  const tokenizer = await loadTokenizer(path);
  batch = padBatch(TINY_CORPUS.slice(0, 4).map((text) => tokenizer.tokenize(text, 48)), tokenizer.padTokenId);
});

after(() => workspace.cleanup());

test('weight codes round-trip within half a step, and zero is exact', () => {
  const values = Float32Array.from([-0.31, -0.02, 0, 0.004, 0.12, 0.5]);
  const asymmetric = quantizeAsymmetric(values);
  values.forEach((value, index) => assert.ok(Math.abs((asymmetric.values[index] - asymmetric.zeroPoint) * asymmetric.scale - value) <= asymmetric.scale / 2 + 1e-7));
  assert.equal(asymmetric.values[2], asymmetric.zeroPoint);
  const symmetric = quantizeSymmetric(values);
  assert.equal(symmetric.zeroPoint, 0);
  values.forEach((value, index) => assert.ok(Math.abs(symmetric.values[index] * symmetric.scale - value) <= symmetric.scale / 2 + 1e-7));
  assert.deepEqual([symmetric.values[5], symmetric.values[2]], [127, 0]);
});

test('every MatMul over a weight becomes MatMulInteger, every embedding Gather reads bytes; attention products stay float', () => {
  const quantized = onnx.ModelProto.decode(quantizeDynamic(model));
  const count = (opType: string): number => quantized.graph!.node!.filter((node) => node.opType === opType).length;
  const layers = folder.config.num_hidden_layers;
  assert.equal(count('MatMulInteger'), 6 * layers);
  assert.equal(count('DynamicQuantizeLinear'), 6 * layers);
  assert.equal(count('MatMul'), 2 * layers, 'query x key and probabilities x value');
  assert.equal(count('DequantizeLinear'), 3, 'word, position and token type embeddings');
  const names = quantized.graph!.initializer!.map((tensor) => tensor.name);
  for (const name of ['encoder.layer.0.attention.self.query.weight', 'embeddings.word_embeddings.weight']) {
    assert.ok(names.includes(`${name}_quantized`), `${name} is stored as bytes`);
    assert.ok(!names.includes(name), `the float ${name} is dropped`);
  }
  assert.ok(names.includes('embeddings.LayerNorm.weight'), 'vectors stay float');
  const withoutGather = onnx.ModelProto.decode(quantizeDynamic(model, { gather: false }));
  assert.ok(withoutGather.graph!.initializer!.some((tensor) => tensor.name === 'embeddings.word_embeddings.weight'), 'gather: false keeps the tables float');
});

for (const weightType of ['uint8', 'int8'] as const) {
  test(`the ${weightType}-quantized encoder runs in ONNX Runtime within cosine 0.99 of float32`, async () => {
    const quantized = quantizeDynamic(model, { weightType });
    assert.ok(Buffer.from(quantized).equals(Buffer.from(quantizeDynamic(model, { weightType }))), 'reproducible bytes');
    const full = await OrtEncoder.fromModel(model, folder.config, { threads: 1 });
    const small = await OrtEncoder.fromModel(quantized, folder.config, { threads: 1 });
    try {
      const expected = await full.pooled(batch);
      const actual = await small.pooled(batch);
      const hidden = folder.config.hidden_size;
      for (let row = 0; row < batch.batchSize; row++) {
        const similarity = cosine(actual, expected, row * hidden, hidden);
        assert.ok(similarity > 0.99, `row ${row}: cosine ${similarity}`);
      }
    } finally {
      await full.dispose();
      await small.dispose();
    }
  });
}
