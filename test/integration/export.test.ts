// `thaw export` of a short recipe run on a tiny model: the folder's layout is sentence-
// transformers', it loads back into Thaw bit for bit, the same checkpoint gives the same bytes,
// and bad input fails in one line with nothing written.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { encoderWeightSpecs, poolerWeightSpecs } from '../../src/core/model/bert-weights';
import { parseBertConfig } from '../../src/core/model/bert-config';
import { parseSafetensors } from '../../src/trainer/model/safetensors';
import { checkpointFolder, readLatest } from '../../src/trainer/train/checkpoint-files';
import { temporaryFolder } from '../helpers/tiny-model';
import { DEMO_TASKS, tinyDemoModel, writeExperiment } from '../helpers/tiny-experiment';

const CLI = path.resolve(__dirname, '../../src/trainer/cli/main.js');
const workspace = temporaryFolder('thaw-export-');
let environment: NodeJS.ProcessEnv;
let run: string;
let checkpoint: string;
/** `thaw export RUN --out` of the recipe run, format all. */
let exported: string;
/** The experiment's max length, unlike the model folder's 48. */
const MAX_SEQ_LENGTH = 40;

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

function thaw(...args: string[]): Promise<Result> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env: environment, maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : (error.code as number), stdout, stderr });
    });
  });
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
      { name: 'fine-tune', steps: 4, lr: { encoder: 1e-4, heads: 1e-3 } },
    ],
  });
  const result = await thaw('train', file);
  assert.equal(result.code, 0, result.stderr);
  const runs = path.join(workspace.folder, 'runs');
  run = path.join(runs, readdirSync(runs).filter((name) => !name.startsWith('.'))[0]);
  checkpoint = checkpointFolder(run, (await readLatest(run))!.folder);
  exported = path.join(workspace.folder, 'exported');
  assert.equal(await exportOk(run, '--out', exported, '--format', 'sentence-transformers'), exported);
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
    '| fine-tune | 4 | nothing | `encoder` 1e-4; `heads` 1e-3 |',
    '## Validation',
    'SentenceTransformer("exported")',
    'safe_open("exported/heads.safetensors", "pt")',
  ]) {
    assert.ok(card.includes(expected), `the model card says ${expected}:\n${card}`);
  }
  assert.ok(!card.includes('onnx/'), 'no onnx/ in a sentence-transformers export');
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
  const input = path.join(workspace.folder, 'sentences.txt');
  writeFileSync(input, 'Where is the Atacama Desert?\nThe soup was cold and the service slow.\nAn absolutely wonderful little hotel!\n');
  const fromExport = await thaw('embed', '--model', exported, input);
  const fromCheckpoint = await thaw('embed', '--model', checkpoint, input, '--max-seq-length', String(MAX_SEQ_LENGTH));
  assert.equal(fromExport.code, 0, fromExport.stderr);
  assert.equal(fromCheckpoint.code, 0, fromCheckpoint.stderr);
  assert.equal(fromExport.stdout, fromCheckpoint.stdout);
});

test('the same checkpoint gives the same bytes, and a checkpoint folder exports as its run does', async () => {
  const again = path.join(workspace.folder, 'again');
  await exportOk(checkpoint, '--out', again, '--format', 'sentence-transformers');
  assert.deepEqual(filesUnder(again), filesUnder(exported));
  for (const file of filesUnder(exported)) {
    const expected = readFileSync(path.join(exported, file));
    // The card names the folder in its loading examples.
    if (file === 'README.md') assert.equal(readFileSync(path.join(again, file), 'utf8'), expected.toString('utf8').replaceAll('"exported', '"again'));
    else assert.ok(readFileSync(path.join(again, file)).equals(expected), `${file} is the same, byte for byte`);
  }
});

test('bad input: one line, exit 1, nothing written', async () => {
  const notEmpty = path.join(workspace.folder, 'not-empty');
  mkdirSync(notEmpty);
  writeFileSync(path.join(notEmpty, 'keep.txt'), 'mine');
  const junk = path.join(workspace.folder, 'junk');
  mkdirSync(junk);
  writeFileSync(path.join(junk, 'notes.txt'), 'not a model');
  const fresh = path.join(workspace.folder, 'never-written');
  const cases: [string[], RegExp][] = [
    [[path.join(workspace.folder, 'missing'), '--out', fresh], /missing: no such run, checkpoint or model folder$/],
    [[junk, '--out', fresh], /junk: not a run folder \(with checkpoints\/\), a checkpoint folder \(with position\.json\) or a model folder \(with config\.json\)$/],
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
