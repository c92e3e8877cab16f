// `thaw export` of a short recipe run on a tiny model: the folder's layout is sentence-
// transformers', it loads back into Thaw bit for bit, transformers.js and ONNX Runtime give
// Thaw's embeddings and head logits from onnx/, the same checkpoint gives the same bytes, and
// bad input fails in one line with nothing written.

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { encoderWeightSpecs, poolerWeightSpecs } from '../../src/core/model/bert-weights';
import { parseBertConfig } from '../../src/core/model/bert-config';
import { initBackend, tf } from '../../src/trainer/backend/tensorflow';
import { embedSentences } from '../../src/trainer/embed-sentences';
import { tfjsEmbeddingModel } from '../../src/trainer/encoder/tfjs-encoder';
import { loadSentenceModel } from '../../src/trainer/model/load-sentence-model';
import { parseSafetensors } from '../../src/trainer/model/safetensors';
import { SENTENCE_EMBEDDING } from '../../src/trainer/onnx/bert-graph';
import { OrtSession } from '../../src/trainer/onnx/ort-session';
import { checkOnnxModel, onnxCheckerSkip } from '../helpers/onnx-checker';
import { cosine, embedWithTransformersJs, maxAbsDifference, onnxMetadata } from '../helpers/transformers-js';
import { checkpointFolder, readLatest } from '../../src/trainer/train/checkpoint-files';
import { temporaryFolder } from '../helpers/tiny-model';
import { DEMO_TASKS, tinyDemoModel, writeExperiment } from '../helpers/tiny-experiment';
import { runThawCommand, type CommandResult } from '../helpers/thaw-child';

const workspace = temporaryFolder('thaw-export-');
let environment: NodeJS.ProcessEnv;
let run: string;
let checkpoint: string;
/** `thaw export RUN --out` of the recipe run, format all. */
let exported: string;
/** The checkpoint's embeddings of SENTENCES by `thaw embed`. */
let thawEmbeddings: number[][];

const SENTENCES = ['Where is the Atacama Desert?', 'The soup was cold and the service slow.', 'An absolutely wonderful little hotel!', 'Who wrote it?'];
/** The experiment's max length, unlike the model folder's 48. */
const MAX_SEQ_LENGTH = 40;

function thaw(...args: string[]): Promise<CommandResult> {
  return runThawCommand(args, environment);
}

async function exportOk(...args: string[]): Promise<string> {
  const result = await thaw('export', ...args);
  assert.equal(result.code, 0, result.stderr);
  return result.stdout.trim();
}

/** Every file under `folder` (relative, `/`-separated), sorted. */
function filesUnder(folder: string, prefix = ''): string[] {
  return readdirSync(folder, { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? filesUnder(path.join(folder, entry.name), `${prefix}${entry.name}/`) : [`${prefix}${entry.name}`]))
    .sort();
}

const readJsonFile = (file: string): Record<string, unknown> => JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;

before(async () => {
  const model = await tinyDemoModel(workspace.folder);
  environment = { ...process.env, THAW_CACHE: path.join(workspace.folder, 'cache') };
  const file = writeExperiment(workspace.folder, 'recipe', model, {
    maxSeqLength: MAX_SEQ_LENGTH,
    phases: [
      { name: 'warm-up', steps: 4, frozen: ['encoder'], lr: { heads: 1e-2 } },
      { name: 'fine-tune', steps: 4, lr: { encoder: 1e-4, heads: 1e-3 }, schedule: { warmupSteps: 2, decay: 'linear' } },
    ],
  });
  const result = await thaw('train', file);
  assert.equal(result.code, 0, result.stderr);
  const runs = path.join(workspace.folder, 'runs');
  run = path.join(runs, readdirSync(runs).filter((name) => !name.startsWith('.'))[0]);
  checkpoint = checkpointFolder(run, (await readLatest(run))!.folder);
  exported = path.join(workspace.folder, 'exported');
  assert.equal(await exportOk(run, '--out', exported), exported);
  const input = path.join(workspace.folder, 'sentences.txt');
  writeFileSync(input, `${SENTENCES.join('\n')}\n`);
  const embedded = await thaw('embed', '--model', checkpoint, input, '--max-seq-length', String(MAX_SEQ_LENGTH));
  assert.equal(embedded.code, 0, embedded.stderr);
  thawEmbeddings = embedded.stdout.trim().split('\n').map((line) => (JSON.parse(line) as { embedding: number[] }).embedding);
});
after(() => workspace.cleanup());

test('the root is a sentence-transformers folder: Transformer + mean Pooling, the training max length, heads with labels, a model card', () => {
  assert.deepEqual(filesUnder(exported), [
    '1_Pooling/config.json',
    'README.md',
    'config.json',
    'config_sentence_transformers.json',
    'heads.safetensors',
    'model.safetensors',
    'modules.json',
    'onnx/heads.onnx',
    'onnx/model.onnx',
    'onnx/model_quantized.onnx',
    'sentence_bert_config.json',
    'special_tokens_map.json',
    'tokenizer.json',
    'tokenizer_config.json',
    'vocab.txt',
  ]);
  assert.deepEqual(readJsonFile(path.join(exported, 'modules.json')), [
    { idx: 0, name: '0', path: '', type: 'sentence_transformers.models.Transformer' },
    { idx: 1, name: '1', path: '1_Pooling', type: 'sentence_transformers.models.Pooling' },
  ]);
  const config = parseBertConfig(readJsonFile(path.join(exported, 'config.json')), 'config.json');
  assert.equal(config.model_type, 'bert');
  assert.deepEqual(config.architectures, ['BertModel']);
  assert.deepEqual(readJsonFile(path.join(exported, '1_Pooling', 'config.json')), {
    word_embedding_dimension: config.hidden_size,
    pooling_mode_cls_token: false,
    pooling_mode_mean_tokens: true,
    pooling_mode_max_tokens: false,
    pooling_mode_mean_sqrt_len_tokens: false,
  });
  assert.equal(readJsonFile(path.join(exported, 'sentence_bert_config.json')).max_seq_length, MAX_SEQ_LENGTH);
  assert.equal(readJsonFile(path.join(exported, 'tokenizer_config.json')).model_max_length, MAX_SEQ_LENGTH);
  assert.equal((readJsonFile(path.join(exported, 'config_sentence_transformers.json')).__version__ as Record<string, unknown>).sentence_transformers, '2.0.0');
  assert.deepEqual(readFileSync(path.join(exported, 'tokenizer.json')), readFileSync(path.join(checkpoint, 'tokenizer.json')));

  const card = readFileSync(path.join(exported, 'README.md'), 'utf8');
  for (const expected of [
    `from run \`${path.basename(run)}\` at step 8`,
    'Base model: `model` (a local model folder)',
    `| \`task_a_head\` | ${DEMO_TASKS.a.name} |`,
    `| \`task_b_head\` | ${DEMO_TASKS.b.name} |`,
    '| warm-up | 4 | `encoder` | `heads` 0.01 |',
    // Peak rates, not those of step 0, which a warm-up starts at 0.
    '| fine-tune | 4 | nothing | `encoder` 1e-4; `heads` 1e-3 (warm-up 2 steps, linear decay) |',
    '## Validation',
    'SentenceTransformer("exported")',
    'safe_open("exported/heads.safetensors", "pt")',
    "pipeline('feature-extraction', 'exported')",
    "{ pooling: 'mean' }",
    '`onnx/heads.onnx`',
  ]) {
    assert.ok(card.includes(expected), `the model card says ${expected}:\n${card}`);
  }
});

test('--format sentence-transformers leaves out onnx/; --format onnx writes only what transformers.js needs', async () => {
  const python = path.join(workspace.folder, 'python-only');
  await exportOk(run, '--out', python, '--format', 'sentence-transformers');
  assert.deepEqual(filesUnder(python), filesUnder(exported).filter((file) => !file.startsWith('onnx/')));
  assert.ok(!readFileSync(path.join(python, 'README.md'), 'utf8').includes('onnx/'), 'the card does not mention onnx/');
  const javascript = path.join(workspace.folder, 'js-only');
  await exportOk(run, '--out', javascript, '--format', 'onnx');
  assert.deepEqual(filesUnder(javascript), [
    'README.md',
    'config.json',
    'onnx/heads.onnx',
    'onnx/model.onnx',
    'onnx/model_quantized.onnx',
    'special_tokens_map.json',
    'tokenizer.json',
    'tokenizer_config.json',
    'vocab.txt',
  ]);
  assert.ok(!readFileSync(path.join(javascript, 'README.md'), 'utf8').includes('SentenceTransformer('), 'the card has no Python section');
});

test("transformers.js' feature-extraction pipeline on DIR gives the checkpoint's embeddings (float32 within 1e-4; int8 cosine >= 0.99)", async () => {
  const float32 = await embedWithTransformersJs(exported, SENTENCES, false);
  const difference = maxAbsDifference(float32, thawEmbeddings);
  assert.ok(difference <= 1e-4, `onnx/model.onnx differs from Thaw by ${difference}`);
  const int8 = await embedWithTransformersJs(exported, SENTENCES, true);
  const cosines = int8.map((vector, index) => cosine(vector, thawEmbeddings[index]));
  const worst = Math.min(...cosines);
  process.stderr.write(`# float32 max |difference| ${difference.toExponential(2)}; int8 cosine min ${worst.toFixed(7)} over ${SENTENCES.length} sentences (hidden 128, 2 layers)\n`);
  assert.ok(worst >= 0.99, `onnx/model_quantized.onnx: cosine ${worst}`);
});

test("onnx/heads.onnx in ONNX Runtime gives the trainer's head logits within 1e-5, with the labels in its metadata", async () => {
  await initBackend();
  const model = await loadSentenceModel(checkpoint);
  const session = await OrtSession.create(readFileSync(path.join(exported, 'onnx', 'heads.onnx')), { threads: 1 });
  try {
    const pooled = await embedSentences(tfjsEmbeddingModel(model), SENTENCES, { maxSeqLength: MAX_SEQ_LENGTH });
    const flat = Float32Array.from(pooled.flatMap((vector) => [...vector]));
    const input = new session.ort.Tensor('float32', flat, [SENTENCES.length, model.config.hidden_size]);
    const outputs = await session.run({ [SENTENCE_EMBEDDING]: input }, ['task_a_head_logits', 'task_b_head_logits']);
    const metadata = onnxMetadata(readFileSync(path.join(exported, 'onnx', 'heads.onnx')));
    for (const head of ['task_a_head', 'task_b_head'] as const) {
      const expected = tf.tidy(() => model.headLogits(head, tf.tensor2d(flat, [SENTENCES.length, model.config.hidden_size])).dataSync());
      const actual = outputs[`${head}_logits`].data as Float32Array;
      assert.equal(actual.length, expected.length);
      const difference = Math.max(...Array.from(actual, (value, index) => Math.abs(value - expected[index])));
      assert.ok(difference <= 1e-5, `${head}: logits differ by ${difference}`);
      assert.deepEqual(JSON.parse(metadata[`${head}.labels`]), model.parts.heads.get(head)?.labels);
    }
  } finally {
    await session.dispose();
    await model.dispose();
  }
});

test('onnx/*.onnx pass the ONNX checker (full_check)', { skip: onnxCheckerSkip() }, () => {
  const checked = path.join(workspace.folder, 'checked');
  mkdirSync(checked);
  for (const name of ['model.onnx', 'model_quantized.onnx', 'heads.onnx']) checkOnnxModel(readFileSync(path.join(exported, 'onnx', name)), checked, name);
});

test("model.safetensors holds BertModel's names (no bert. prefix, the pooler present) and the checkpoint's exact weights", () => {
  const mine = parseSafetensors(readFileSync(path.join(exported, 'model.safetensors')), 'exported');
  const original = parseSafetensors(readFileSync(path.join(checkpoint, 'model.safetensors')), 'checkpoint');
  const config = parseBertConfig(readJsonFile(path.join(exported, 'config.json')), 'config.json');
  assert.equal(mine.metadata.format, 'pt', 'transformers needs format pt');
  const expectedNames = [...encoderWeightSpecs(config), ...poolerWeightSpecs(config)].map((spec) => spec.name);
  assert.deepEqual([...mine.tensors.keys()].sort(), [...expectedNames].sort());
  for (const [name, tensor] of mine.tensors) {
    assert.equal(tensor.dtype, 'F32', name);
    assert.deepEqual(Buffer.from(tensor.bytes), Buffer.from(original.tensors.get(name)!.bytes), `${name} is the checkpoint's, bit for bit`);
  }
});

test('heads.safetensors round-trips: the same tensors and labels as the checkpoint', () => {
  const mine = parseSafetensors(readFileSync(path.join(exported, 'heads.safetensors')), 'exported');
  const original = parseSafetensors(readFileSync(path.join(checkpoint, 'heads.safetensors')), 'checkpoint');
  assert.deepEqual([...mine.tensors.keys()].sort(), ['task_a_head.bias', 'task_a_head.weight', 'task_b_head.bias', 'task_b_head.weight']);
  for (const [name, tensor] of mine.tensors) assert.deepEqual(Buffer.from(tensor.bytes), Buffer.from(original.tensors.get(name)!.bytes), name);
  for (const head of ['task_a_head', 'task_b_head']) {
    assert.deepEqual(JSON.parse(mine.metadata[`${head}.labels`]), JSON.parse(original.metadata[`${head}.labels`]), `${head}'s labels`);
  }
});

test("thaw embed --model DIR gives the checkpoint's embeddings exactly", async () => {
  const fromExport = await thaw('embed', '--model', exported, path.join(workspace.folder, 'sentences.txt'));
  assert.equal(fromExport.code, 0, fromExport.stderr);
  assert.deepEqual(
    fromExport.stdout.trim().split('\n').map((line) => (JSON.parse(line) as { embedding: number[] }).embedding),
    thawEmbeddings,
  );
});

test('the same checkpoint gives the same bytes, and a checkpoint folder exports as its run does', async () => {
  // The card's loading examples name the folder: the same name, elsewhere.
  const again = path.join(workspace.folder, 'elsewhere', 'exported');
  await exportOk(checkpoint, '--out', again);
  assert.deepEqual(filesUnder(again), filesUnder(exported));
  for (const file of filesUnder(exported)) assert.ok(readFileSync(path.join(again, file)).equals(readFileSync(path.join(exported, file))), `${file} is the same, byte for byte`);
});

test('bad input: one line, exit 1, nothing written', async () => {
  const notEmpty = path.join(workspace.folder, 'not-empty');
  mkdirSync(notEmpty);
  writeFileSync(path.join(notEmpty, 'keep.txt'), 'mine');
  const junk = path.join(workspace.folder, 'junk');
  mkdirSync(junk);
  writeFileSync(path.join(junk, 'notes.txt'), 'not a model');
  const fresh = path.join(workspace.folder, 'never-written');
  const started = path.join(workspace.folder, 'started-run');
  mkdirSync(path.join(started, 'checkpoints'), { recursive: true });
  writeFileSync(path.join(started, 'experiment.json'), readFileSync(path.join(run, 'experiment.json')));
  const cases: [string[], RegExp][] = [
    [[path.join(workspace.folder, 'missing'), '--out', fresh], /missing: no such run, checkpoint or model folder$/],
    [[junk, '--out', fresh], /junk: not a run folder \(with checkpoints\/\), a checkpoint folder \(with position\.json\) or a model folder \(with config\.json\)$/],
    [[started, '--out', fresh], /started-run: this run has no checkpoint yet: nothing to export$/],
    [[run, '--out', notEmpty], /not-empty: --out is not empty; choose a new folder, or replace it with --force$/],
    [[run, '--out', path.join(run, '..'), '--force'], /--out holds SOURCE; --force would delete what it exports$/],
  ];
  for (const [args, message] of cases) {
    const before = readdirSync(workspace.folder).sort();
    const result = await thaw('export', ...args);
    assert.equal(result.code, 1, result.stderr);
    const lines = result.stderr.trim().split('\n');
    assert.equal(lines.length, 1, result.stderr);
    assert.match(lines[0], /^thaw export: /);
    assert.match(lines[0], message);
    assert.deepEqual(readdirSync(workspace.folder).sort(), before, 'nothing new beside --out');
    assert.ok(!existsSync(fresh));
  }
  assert.deepEqual(readdirSync(notEmpty), ['keep.txt']);
  const usage = await thaw('export', run, '--out', fresh, '--format', 'tflite');
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /--format must be one of all, sentence-transformers, onnx, got "tflite"/);

  await exportOk(run, '--out', notEmpty, '--force', '--format', 'sentence-transformers');
  assert.ok(!existsSync(path.join(notEmpty, 'keep.txt')), '--force replaces the folder');
  assert.deepEqual(readdirSync(workspace.folder).filter((name) => name.startsWith('.')), [], 'no staging folder left');
});
