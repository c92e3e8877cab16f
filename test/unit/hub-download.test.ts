// Hub ids: downloaded through @xenova/transformers' hub client (with progress) from a hub
// served on loopback (HF_ENDPOINT, as Python's huggingface_hub reads it), cached, then loaded
// offline from the cache; an unreachable hub gives an error that says what to do instead.

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { initBackend } from '../../src/trainer/backend/tensorflow';
import { loadSentenceModel, type LoadProgress } from '../../src/trainer/model/load-sentence-model';
import { temporaryFolder, writeTinyModel } from '../helpers/tiny-model';

const workspace = temporaryFolder();
const requests: string[] = [];
let server: http.Server;
let endpoint: string;
let unreachable: string;

/** An address where nothing listens: a port just bound and released. */
async function closedPortEndpoint(): Promise<string> {
  const probe = http.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return `http://127.0.0.1:${port}`;
}

before(async () => {
  await initBackend();
  const modelFolder = await writeTinyModel(path.join(workspace.folder, 'served'));
  // Serves GET /<owner>/<name>/resolve/main/<file> from the generated folder, as the hub does.
  server = http.createServer((request, response) => {
    requests.push(request.url ?? '');
    const match = /^\/thaw-test\/tiny-bert\/resolve\/main\/(.+)$/.exec(request.url ?? '');
    const file = match === null ? undefined : path.join(modelFolder, decodeURIComponent(match[1]));
    if (file === undefined || !existsSync(file)) {
      response.writeHead(404).end();
      return;
    }
    const body = readFileSync(file);
    response.writeHead(200, { 'content-length': body.length }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  unreachable = await closedPortEndpoint();
  process.env.THAW_CACHE = path.join(workspace.folder, 'cache');
});

after(async () => {
  await new Promise((resolve) => server.close(resolve));
  workspace.cleanup();
});

test('a hub id downloads with progress into the cache, then loads from the cache alone', async () => {
  process.env.HF_ENDPOINT = endpoint;
  const events: LoadProgress[] = [];
  const model = await loadSentenceModel('thaw-test/tiny-bert', { onProgress: (event) => events.push(event) });
  await model.dispose();
  const downloads = events.filter((event) => event.stage === 'download');
  const weights = downloads.filter((event) => event.file === 'model.safetensors').at(-1);
  assert.ok(weights !== undefined && weights.total > 0 && weights.loaded === weights.total, 'model.safetensors progress reaches its size');
  assert.ok(requests.some((url) => url.endsWith('/resolve/main/config.json')));
  assert.ok(existsSync(path.join(process.env.THAW_CACHE!, 'hub', 'thaw-test', 'tiny-bert', '1_Pooling', 'config.json')));

  requests.length = 0;
  process.env.HF_ENDPOINT = unreachable;
  const cached = await loadSentenceModel('thaw-test/tiny-bert');
  await cached.dispose();
  assert.deepEqual(requests, [], 'no request once cached');
});

test('an unreachable hub: the error names the model and says to use a local folder', async () => {
  process.env.HF_ENDPOINT = unreachable;
  await assert.rejects(loadSentenceModel('sentence-transformers/paraphrase-MiniLM-L6-v2'), (error: Error) => {
    assert.ok(error.message.startsWith(`"sentence-transformers/paraphrase-MiniLM-L6-v2" is not a local folder, and downloading config.json from ${unreachable}/ failed`), error.message);
    assert.match(error.message, /ECONNREFUSED/);
    assert.match(error.message, /give a local model folder instead/);
    return true;
  });
});

test('a hub id the hub does not have is reported as such', async () => {
  process.env.HF_ENDPOINT = endpoint;
  await assert.rejects(loadSentenceModel('thaw-test/no-such-model'), /the hub has no config.json for "thaw-test\/no-such-model"/);
});
