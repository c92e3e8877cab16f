// The `thaw` command line as users and the extension run it: a real child process, real files.

import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, truncateSync, cpSync } from 'node:fs';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { loadTokenizer } from '../../src/trainer/model/tokenizer';
import { ReferenceBert } from '../reference/bert-reference';
import { TINY_CORPUS, temporaryFolder } from '../helpers/tiny-model';
import { runThawCommand, type CommandResult } from '../helpers/thaw-child';

const workspace = temporaryFolder();
after(() => workspace.cleanup());

function thaw(...args: string[]): Promise<CommandResult> {
  return runThawCommand(args);
}

const file = (name: string, content: string | Buffer): string => {
  const target = path.join(workspace.folder, name);
  writeFileSync(target, content);
  return target;
};

const corpus = file('corpus.txt', `${TINY_CORPUS.join('\n')}\n`);
const TINY = ['--layers', '2', '--hidden', '32', '--heads', '4', '--intermediate', '64', '--max-positions', '64', '--corpus', corpus, '--vocab-size', '300'];

async function initModel(name: string, ...extra: string[]): Promise<string> {
  const out = path.join(workspace.folder, name);
  const result = await thaw('init-model', '--out', out, '--seed', '5', ...TINY, ...extra);
  assert.equal(result.code, 0, result.stderr);
  return out;
}

const SENTENCES = ['How many legs does a spider have?', 'Not bad at all, though the ending dragged.', 'Zebra crossings, oddly enough!'];

test('init-model then embed: one JSON line per sentence, equal to the reference', async () => {
  const model = await initModel('model');
  const input = file('sentences.txt', `${SENTENCES.join('\n')}\n`);
  const result = await thaw('embed', '--model', model, input);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stderr, /encoder: onnxruntime/);
  const lines = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as { text: string; embedding: number[] });
  assert.deepEqual(lines.map((line) => line.text), SENTENCES);

  // The reference needs token ids; the tokenizer is checked on its own elsewhere.
  const tokenizer = await loadTokenizer(model);
  const reference = new ReferenceBert(model);
  lines.forEach(({ text, embedding }) => {
    assert.equal(embedding.length, 32);
    const expected = reference.meanPooled(tokenizer.tokenize(text, 128));
    embedding.forEach((value, i) => assert.ok(Math.abs(value - expected[i]) < 1e-4, `${text}[${i}]`));
  });
});

test('init-model is reproducible: same seed, same bytes; another seed, other weights', async () => {
  const a = readFileSync(path.join(await initModel('seed-a'), 'model.safetensors'));
  const b = readFileSync(path.join(await initModel('seed-b'), 'model.safetensors'));
  assert.ok(a.equals(b));
  const c = await thaw('init-model', '--out', path.join(workspace.folder, 'seed-c'), '--seed', '6', ...TINY);
  assert.equal(c.code, 0);
  assert.ok(!a.equals(readFileSync(path.join(workspace.folder, 'seed-c', 'model.safetensors'))));
});

test('a float16 model folder embeds', async () => {
  const model = await initModel('half', '--dtype', 'f16');
  const result = await thaw('embed', '--model', model, file('one.txt', 'Hello there\n'));
  assert.equal(result.code, 0, result.stderr);
  assert.equal((JSON.parse(result.stdout) as { embedding: number[] }).embedding.length, 32);
});

test('bad input: a clear one-line error naming the file, a non-zero exit, nothing on stdout', async () => {
  const model = await initModel('for-errors');
  const cases: { args: string[]; code: number; message: RegExp }[] = [
    { args: ['embed', '--model', model, file('empty.txt', '')], code: 1, message: /empty\.txt: is empty/ },
    { args: ['embed', '--model', model, file('latin1.txt', Buffer.from('ok\ncaf\xe9\n', 'latin1'))], code: 1, message: /latin1\.txt: line 2: not UTF-8 text/ },
    { args: ['embed', '--model', model, file('blank-line.txt', 'one\n\nthree\n')], code: 1, message: /blank-line\.txt: line 2 is empty/ },
    { args: ['embed', '--model', model, path.join(workspace.folder, 'absent.txt')], code: 1, message: /absent\.txt: file does not exist/ },
    { args: ['embed', '--model', path.join(workspace.folder, 'no-model'), file('a.txt', 'a\n')], code: 1, message: /no-model: model folder does not exist/ },
    { args: ['embed', file('b.txt', 'b\n')], code: 2, message: /--model is required/ },
    { args: ['embed', '--model', model, '--max-seq-length', '1000', file('c.txt', 'c\n')], code: 2, message: /--max-seq-length must be an integer from 2 to 64/ },
    { args: ['embed', '--modle', model], code: 2, message: /Unknown option '--modle'/ },
    { args: ['init-model', '--out', model, ...TINY], code: 1, message: /already holds a model/ },
    { args: ['init-model', '--out', path.join(workspace.folder, 'x'), '--hidden', '30', '--heads', '4', '--corpus', corpus], code: 2, message: /--hidden \(30\) must be a multiple of --heads \(4\)/ },
    { args: ['frobnicate'], code: 2, message: /unknown command "frobnicate"/ },
  ];
  for (const { args, code, message } of cases) {
    const result = await thaw(...args);
    assert.equal(result.code, code, `${args.join(' ')}: ${result.stderr}`);
    assert.match(result.stderr, message);
    assert.equal(result.stdout, '', args.join(' '));
    assert.ok(!result.stderr.includes('    at '), `no stack trace for ${args.join(' ')}`);
  }
  const broken = path.join(workspace.folder, 'broken');
  cpSync(model, broken, { recursive: true });
  truncateSync(path.join(broken, 'model.safetensors'), 1000);
  const result = await thaw('embed', '--model', broken, file('d.txt', 'd\n'));
  assert.equal(result.code, 1);
  assert.match(result.stderr, /broken\/model\.safetensors: truncated/);
});
