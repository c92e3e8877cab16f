// Loading and saving model folders: bit-identical round trips, float16 folders, Hugging Face
// naming variants, and one clear error per kind of bad folder.

import assert from 'node:assert/strict';
import { cpSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { initBackend } from '../../src/trainer/backend/tensorflow';
import { ThawError } from '../../src/core/errors';
import { loadSentenceModel } from '../../src/trainer/model/load-sentence-model';
import { parseSafetensors, serializeSafetensors, type TensorToWrite } from '../../src/trainer/model/safetensors';
import { saveModelFolder } from '../../src/trainer/model/save-model-folder';
import type { SentenceModel } from '../../src/trainer/model/sentence-model';
import { TINY_SHAPE, temporaryFolder, writeTinyModel } from '../helpers/tiny-model';

const workspace = temporaryFolder();
let original: string;

before(async () => {
  await initBackend();
  original = await writeTinyModel(path.join(workspace.folder, 'original'));
});
after(() => workspace.cleanup());

const HEADS = { task_a_head: { labels: ['human', 'location', 'numeric'] }, task_b_head: { labels: ['negative', 'positive'] } };

async function withModel<T>(folder: string, use: (model: SentenceModel) => T | Promise<T>, heads = {}): Promise<T> {
  const model = await loadSentenceModel(folder, { heads });
  try {
    return await use(model);
  } finally {
    await model.dispose();
  }
}

function weightsOf(model: SentenceModel): Map<string, Buffer> {
  return new Map(model.parameters.all.map((parameter) => [parameter.name, Buffer.from((parameter.variable.dataSync() as Float32Array).buffer)]));
}

/** A copy of the original folder, changed by `edit`, for one bad-input case. */
function variant(name: string, edit: (folder: string) => void): string {
  const folder = path.join(workspace.folder, name);
  cpSync(original, folder, { recursive: true });
  edit(folder);
  return folder;
}

function rewriteWeights(folder: string, change: (tensors: TensorToWrite[]) => TensorToWrite[]): void {
  const file = path.join(folder, 'model.safetensors');
  const parsed = parseSafetensors(readFileSync(file), file);
  writeFileSync(file, serializeSafetensors(change([...parsed.tensors.values()].map((tensor) => ({ ...tensor, bytes: new Uint8Array(tensor.bytes) }))), { format: 'pt' }));
}

async function assertLoadFails(folder: string, file: string, pattern: RegExp): Promise<void> {
  await assert.rejects(loadSentenceModel(folder), (error: unknown) => {
    assert.ok(error instanceof ThawError, `expected a ThawError, got ${String(error)}`);
    assert.match(error.message, pattern);
    assert.ok(error.message.includes(file), `"${error.message}" should name ${file}`);
    return true;
  });
}

test('groups: embeddings, each layer, both heads; every weight in exactly one', async () => {
  await withModel(original, (model) => {
    const summaries = model.parameters.summaries();
    assert.deepEqual(summaries.map((summary) => summary.group), ['embeddings', 'layer.0', 'layer.1', 'task_a_head', 'task_b_head']);
    const { hidden, intermediate } = TINY_SHAPE;
    // Per layer: Q, K, V, attention output (h*h + h each), FFN in (i*h + i), FFN out (h*i + h), two LayerNorms (2h each).
    const perLayer = 4 * (hidden * hidden + hidden) + (intermediate * hidden + intermediate) + (hidden * intermediate + hidden) + 4 * hidden;
    assert.equal(summaries[1].parameterCount, perLayer);
    assert.equal(summaries[3].parameterCount, 3 * hidden + 3);
    assert.equal(summaries[4].parameterCount, 2 * hidden + 2);
    assert.equal(summaries.reduce((sum, summary) => sum + summary.parameterCount, 0), model.parameters.parameterCount());
    assert.ok(model.parameters.get('encoder.layer.1.attention.self.query.weight')?.group === 'layer.1');
  }, HEADS);
});

test('load, save, load gives bit-identical weights, heads with their labels, and the pooler kept', async () => {
  const saved = path.join(workspace.folder, 'saved');
  const first = await withModel(original, async (model) => {
    await saveModelFolder(model, saved);
    return weightsOf(model);
  }, HEADS);
  const second = await withModel(saved, (model) => {
    assert.deepEqual([...model.parts.heads.entries()], Object.entries(HEADS));
    return weightsOf(model);
  });
  assert.deepEqual([...second.keys()].sort(), [...first.keys()].sort());
  for (const [name, bytes] of first) assert.ok(bytes.equals(second.get(name)!), `${name} changed in the round trip`);
  const tensors = parseSafetensors(readFileSync(path.join(saved, 'model.safetensors')), 'saved').tensors;
  const originalPooler = parseSafetensors(readFileSync(path.join(original, 'model.safetensors')), 'original').tensors.get('pooler.dense.weight')!;
  assert.ok(Buffer.from(tensors.get('pooler.dense.weight')!.bytes).equals(Buffer.from(originalPooler.bytes)));
  assert.ok(!tensors.has('task_a_head.weight'), 'heads live in heads.safetensors, not in the encoder file');
  for (const file of ['tokenizer.json', 'tokenizer_config.json', 'vocab.txt', 'modules.json', 'sentence_bert_config.json', '1_Pooling/config.json']) {
    assert.ok(readFileSync(path.join(saved, file)).length > 0, file);
  }
  const config = JSON.parse(readFileSync(path.join(saved, 'config.json'), 'utf8')) as Record<string, unknown>;
  assert.deepEqual(config.architectures, ['BertModel']);
});

test('a float16 folder loads: each weight is its float32 value rounded to half precision', async () => {
  const halfFolder = await writeTinyModel(path.join(workspace.folder, 'half'), { dtype: 'F16' });
  const full = await withModel(original, weightsOf);
  const half = await withModel(halfFolder, weightsOf);
  for (const [name, bytes] of full) {
    const exact = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
    const rounded = new Float32Array(half.get(name)!.buffer, half.get(name)!.byteOffset, exact.length);
    // Half precision keeps 11 significant bits: relative error <= 2^-11, or 2^-25 near zero.
    exact.forEach((value, i) => assert.ok(Math.abs(rounded[i] - value) <= Math.abs(value) * 2 ** -11 + 2 ** -25, `${name}[${i}]`));
  }
});

test("BertFor... checkpoints: a bert. prefix and LayerNorm's gamma/beta names load the same weights", async () => {
  const renamed = variant('renamed', (folder) =>
    rewriteWeights(folder, (tensors) =>
      tensors.map((tensor) => ({ ...tensor, name: `bert.${tensor.name.replace(/LayerNorm\.weight$/, 'LayerNorm.gamma').replace(/LayerNorm\.bias$/, 'LayerNorm.beta')}` })),
    ),
  );
  const expected = await withModel(original, weightsOf);
  const actual = await withModel(renamed, weightsOf);
  for (const [name, bytes] of expected) assert.ok(bytes.equals(actual.get(name)!), name);
});

test('bad folders: one clear error naming the file', async () => {
  await assertLoadFails(path.join(workspace.folder, 'nowhere'), 'nowhere', /model folder does not exist/);
  await assertLoadFails(variant('no-config', (f) => rmSync(path.join(f, 'config.json'))), 'config.json', /missing: a model folder needs config.json/);
  await assertLoadFails(variant('bad-json', (f) => writeFileSync(path.join(f, 'config.json'), '{"hidden_size": 32,')), 'config.json', /not valid JSON/);
  await assertLoadFails(
    variant('bad-value', (f) => writeFileSync(path.join(f, 'config.json'), JSON.stringify({ ...JSON.parse(readFileSync(path.join(original, 'config.json'), 'utf8')), num_hidden_layers: 'six' }))),
    'config.json',
    /num_hidden_layers/,
  );
  await assertLoadFails(
    variant('bad-act', (f) => writeFileSync(path.join(f, 'config.json'), JSON.stringify({ ...JSON.parse(readFileSync(path.join(original, 'config.json'), 'utf8')), hidden_act: 'relu' }))),
    'config.json',
    /hidden_act/,
  );
  await assertLoadFails(variant('no-weights', (f) => rmSync(path.join(f, 'model.safetensors'))), 'model.safetensors', /missing/);
  await assertLoadFails(variant('truncated', (f) => truncateSync(path.join(f, 'model.safetensors'), 5000)), 'model.safetensors', /truncated/);
  await assertLoadFails(
    variant('corrupt', (f) => {
      const file = path.join(f, 'model.safetensors');
      const bytes = readFileSync(file);
      bytes.fill(0xff, 8, 40);
      writeFileSync(file, bytes);
    }),
    'model.safetensors',
    /corrupt/,
  );
  await assertLoadFails(
    variant('wrong-shape', (f) => rewriteWeights(f, (tensors) => tensors.map((t) => (t.name === 'encoder.layer.0.output.dense.bias' ? { ...t, shape: [t.shape[0] / 2, 2] } : t)))),
    'model.safetensors',
    /"encoder.layer.0.output.dense.bias" has shape \[16, 2\], config.json implies \[32\]/,
  );
  await assertLoadFails(
    variant('missing-tensor', (f) => rewriteWeights(f, (tensors) => tensors.filter((t) => t.name !== 'encoder.layer.1.attention.self.key.weight'))),
    'model.safetensors',
    /missing tensor "encoder.layer.1.attention.self.key.weight"/,
  );
  await assertLoadFails(
    variant('int-weight', (f) => rewriteWeights(f, (tensors) => tensors.map((t) => (t.name === 'embeddings.LayerNorm.bias' ? { ...t, dtype: 'I32' } : t)))),
    'model.safetensors',
    /dtype I32; a weight must be one of/,
  );
  await assertLoadFails(
    variant('unknown-dtype', (f) => {
      const file = path.join(f, 'model.safetensors');
      writeFileSync(file, readFileSync(file).toString('latin1').replace('"dtype":"F32"', '"dtype":"Q32"'), 'latin1');
    }),
    'model.safetensors',
    /unknown dtype "Q32"/,
  );
  await assertLoadFails(
    variant('cls-pooling', (f) => writeFileSync(path.join(f, '1_Pooling', 'config.json'), JSON.stringify({ pooling_mode_cls_token: true, pooling_mode_mean_tokens: false }))),
    '1_Pooling',
    /mean over tokens; this folder asks for pooling_mode_cls_token/,
  );
});

test('a head saved for other labels is refused rather than silently remapped', async () => {
  const saved = path.join(workspace.folder, 'with-heads');
  await withModel(original, (model) => saveModelFolder(model, saved), HEADS);
  await assert.rejects(
    loadSentenceModel(saved, { heads: { task_b_head: { labels: ['positive', 'negative'] } } }),
    /heads.safetensors: task_b_head was trained for labels \[negative, positive\], the data has \[positive, negative\]/,
  );
});
