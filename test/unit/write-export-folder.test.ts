// The exported folder appears whole or not at all: an abort between two files leaves neither
// the folder nor its hidden staging sibling, and --force swaps the old folder for the new one.

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { checkExportTarget, writeExportFolder } from '../../src/trainer/export/write-export-folder';
import { temporaryFolder } from '../helpers/tiny-model';

const workspace = temporaryFolder('thaw-export-folder-');
after(() => workspace.cleanup());

const files = () => new Map<string, string>([['a.json', '{}\n'], ['onnx/model.onnx', 'bytes']]);

test('an aborted export leaves nothing, not even its staging folder', async () => {
  const target = path.join(workspace.folder, 'aborted');
  const abort = new AbortController();
  abort.abort();
  await assert.rejects(writeExportFolder(target, files(), abort.signal), /stopped; nothing was written/);
  assert.deepEqual(readdirSync(workspace.folder), []);
});

test('a new folder is written whole; --force replaces a non-empty one, which is refused without it', async () => {
  const target = path.join(workspace.folder, 'out');
  await writeExportFolder(target, files());
  assert.equal(readFileSync(path.join(target, 'onnx', 'model.onnx'), 'utf8'), 'bytes');
  mkdirSync(path.join(workspace.folder, 'made-by-mkdir'));
  assert.equal(statSync(target).mode & 0o777, statSync(path.join(workspace.folder, 'made-by-mkdir')).mode & 0o777, 'the umask, not 0700');
  rmSync(path.join(workspace.folder, 'made-by-mkdir'), { recursive: true });
  await assert.rejects(checkExportTarget(target, false, '/elsewhere'), /--out is not empty/);
  writeFileSync(path.join(target, 'old.txt'), 'old');
  await checkExportTarget(target, true, '/elsewhere');
  await writeExportFolder(target, new Map([['b.json', '[]\n']]));
  assert.deepEqual(readdirSync(target), ['b.json']);
  assert.deepEqual(readdirSync(workspace.folder), ['out']);
  const empty = path.join(workspace.folder, 'empty');
  mkdirSync(empty);
  await checkExportTarget(empty, false, '/elsewhere');
  await writeExportFolder(empty, files());
  assert.ok(existsSync(path.join(empty, 'a.json')));
});
