// `thaw train` failing as a user sees it: each failure one line on stderr, no stack trace,
// exit 1 (2 for a wrong command line); a completed run is never resumed; anything unexpected
// still one line, with the path of a log holding the stack.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { initBackend } from '../../src/trainer/backend/tensorflow';
import { CLI, runThaw } from '../helpers/thaw-child';
import { temporaryFolder } from '../helpers/tiny-model';
import { tinyDemoModel, writeExperiment } from '../helpers/tiny-experiment';

const workspace = temporaryFolder();
let model: string;
let environment: NodeJS.ProcessEnv;

before(async () => {
  await initBackend();
  model = await tinyDemoModel(workspace.folder);
  environment = { ...process.env, THAW_CACHE: path.join(workspace.folder, 'cache') };
});
after(() => workspace.cleanup());

function thaw(args: string[], env = environment): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env }, (error, stdout, stderr) => resolve({ code: error === null ? 0 : (error.code as number), stdout, stderr }));
  });
}

const SHORT = { phases: [{ name: 'heads', steps: 3, frozen: ['encoder'], lr: { heads: 1e-2 } }] };

test('--resume of a completed run: exit 1, "already completed", nothing appended', async () => {
  const run = runThaw([writeExperiment(workspace.folder, 'done', model, SHORT)], environment);
  assert.equal(await run.exited, 0, run.stderr());
  const start = run.events.find((event) => event.type === 'run-start');
  assert.ok(start?.type === 'run-start');
  assert.equal(start.runId, path.basename(start.runFolder), 'a run id is a name, not a path');
  const before = readFileSync(path.join(start.runFolder, 'events.jsonl'));
  const result = await thaw(['train', '--resume', start.runFolder]);
  assert.equal(result.code, 1);
  assert.equal(result.stderr.trim(), `thaw train: ${start.runFolder}: already completed; nothing to resume (fork it into a new run with thaw train FILE --from RUN)`);
  assert.ok(readFileSync(path.join(start.runFolder, 'events.jsonl')).equals(before));
});

test('a wrong command line exits 2 with one line; a missing experiment exits 1', async () => {
  const file = writeExperiment(workspace.folder, 'cli', model, SHORT);
  const cases: { args: string[]; code: number; message: RegExp }[] = [
    { args: ['train', '--resume', workspace.folder, '--phase', 'heads'], code: 2, message: /--resume continues a run as it was started; it takes no --phase/ },
    { args: ['train', file, '--max-steps', '0'], code: 2, message: /--max-steps must be an integer from 1/ },
    { args: ['train', file, '--preset', 'warm'], code: 2, message: /--preset must be one of/ },
    { args: ['train', path.join(workspace.folder, 'absent.thaw.json')], code: 1, message: /absent\.thaw\.json: experiment file does not exist/ },
    { args: ['train', '--resume', path.join(workspace.folder, 'no-run')], code: 1, message: /no-run: run folder does not exist/ },
  ];
  for (const { args, code, message } of cases) {
    const result = await thaw(args);
    assert.equal(result.code, code, `${args.join(' ')}: ${result.stderr}`);
    assert.match(result.stderr, message);
    assert.ok(!result.stderr.includes('    at '), `no stack trace for ${args.join(' ')}`);
  }
});

test('an unexpected error is one line naming a log file that holds the stack', async () => {
  // An unknown THAW_ENCODER is reported by the encoder module as a plain Error.
  const input = path.join(workspace.folder, 'one.txt');
  writeFileSync(input, 'hello\n');
  const result = await thaw(['embed', '--model', model, input], { ...environment, THAW_ENCODER: 'abacus' });
  assert.equal(result.code, 1);
  const lines = result.stderr.trim().split('\n');
  assert.equal(lines.length, 1, result.stderr);
  const match = /^thaw embed: unexpected error: encoder "abacus" is not one of onnxruntime, tfjs \(THAW_ENCODER\) \(the stack is in (.+\.log)\)$/.exec(lines[0]);
  assert.ok(match, lines[0]);
  assert.ok(existsSync(match[1]));
  assert.match(readFileSync(match[1], 'utf8'), /\n {4}at /);
});

test('an unexpected error during a run: one line with the log path, and a run-end all the same', async () => {
  // A file where the embedding cache's folder should be: an error Thaw has no message for.
  const cache = path.join(workspace.folder, 'blocked-cache');
  mkdirSync(cache);
  writeFileSync(path.join(cache, 'embeddings'), 'not a folder');
  const run = runThaw([writeExperiment(workspace.folder, 'unexpected', model, SHORT)], { ...environment, THAW_CACHE: cache });
  assert.equal(await run.exited, 1);
  const line = run.stderr().trim().split('\n').at(-1)!;
  const match = /^thaw train: unexpected error: .*embeddings.* \(the stack is in (.+\.log)\)$/.exec(line);
  assert.ok(match, line);
  assert.ok(!run.stderr().includes('    at '), 'no stack trace on stderr');
  const start = run.events.find((event) => event.type === 'run-start');
  assert.ok(start?.type === 'run-start');
  assert.equal(path.dirname(match[1]), start.runFolder, 'the log is kept with the run');
  const end = run.events.at(-1);
  assert.ok(end?.type === 'run-end' && end.status === 'failed' && end.reason === 'unexpected error' && end.resumable === true);
});
