// The host's view of a model: its groups come from config.json (a folder, the hub cache, or
// config.json alone fetched from a hub served on loopback), so a 3- or 12-layer model shows as
// many layers as it has, and the same snapshot picks the phase to show.

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { parseExperimentText } from '../../src/core/experiment/load-experiment';
import { readModelGroups } from '../../src/core/model/model-groups';
import { hubCacheFolder } from '../../src/core/model/hub-paths';
import { buildSnapshot } from '../../src/extension/experiment/build-snapshot';
import { DEMO_TASKS } from '../helpers/tiny-experiment';
import { temporaryFolder } from '../helpers/tiny-model';

const workspace = temporaryFolder();
const requests: string[] = [];
let server: http.Server;

const config = (layers: number) => ({ model_type: 'bert', vocab_size: 100, hidden_size: 8, num_hidden_layers: layers, num_attention_heads: 2, intermediate_size: 16, max_position_embeddings: 32 });

before(async () => {
  server = http.createServer((request, response) => {
    requests.push(request.url ?? '');
    if (request.url === '/thaw-test/twelve/resolve/main/config.json') response.writeHead(200).end(JSON.stringify(config(12)));
    else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  process.env.HF_ENDPOINT = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  process.env.THAW_CACHE = path.join(workspace.folder, 'cache');
});

after(() => {
  server.close();
  workspace.cleanup();
});

const experiment = (model: string) =>
  parseExperimentText(JSON.stringify({ model, tasks: DEMO_TASKS, phases: [{ name: 'warm-up', epochs: 1, frozen: ['encoder'], lr: { heads: 1e-2 } }, { name: 'fine-tune', epochs: 1, lr: { encoder: 1e-5, heads: 1e-3 } }] }), path.join(workspace.folder, 'thaw.json'));

test('a 3-layer model folder gives embeddings, 3 layers and both heads, counted from its config and labels', async () => {
  const folder = path.join(workspace.folder, 'three');
  mkdirSync(folder);
  writeFileSync(path.join(folder, 'config.json'), JSON.stringify(config(3)));
  const groups = await readModelGroups(experiment(folder), { fetchFromHub: false, readDatasets: true });
  assert.deepEqual(groups.groups.map((info) => info.group), ['embeddings', 'layer.0', 'layer.1', 'layer.2', 'task_a_head', 'task_b_head']);
  // Embeddings: word 100x8 + positions 32x8 + types 2x8 + LayerNorm 2x8. A layer: 4 of 8x8+8, LayerNorms 2x16, 8->16->8 FFN.
  assert.equal(groups.groups[0].parameterCount, 800 + 256 + 16 + 16);
  assert.equal(groups.groups[1].parameterCount, 4 * 72 + 32 + (16 * 8 + 16) + (8 * 16 + 8));
  // The demo's question types have 6 labels, its reviews 2: a head is labels x hidden + labels.
  assert.equal(groups.groups[4].parameterCount, 6 * 8 + 6);
  assert.equal(groups.groups[5].parameterCount, 2 * 8 + 2);
  const untrusted = await readModelGroups(experiment(folder), { fetchFromHub: false, readDatasets: false });
  assert.equal(untrusted.groups[4].parameterCount, 0, 'no dataset is read when that is not allowed');
});

test('an uncached 12-layer hub model: config.json alone is fetched into the hub cache, and 12 layers show', async () => {
  const groups = await readModelGroups(experiment('thaw-test/twelve'), { fetchFromHub: true, readDatasets: false });
  assert.equal(groups.numLayers, 12);
  assert.equal(groups.groups.filter((info) => info.group.startsWith('layer.')).length, 12);
  assert.deepEqual(requests, ['/thaw-test/twelve/resolve/main/config.json']);
  assert.ok(existsSync(path.join(hubCacheFolder('thaw-test/twelve'), 'config.json')));
  await readModelGroups(experiment('thaw-test/twelve'), { fetchFromHub: true, readDatasets: false });
  assert.equal(requests.length, 1, 'the second read comes from the cache');
  await assert.rejects(readModelGroups(experiment('thaw-test/missing'), { fetchFromHub: true, readDatasets: false }), /the hub has no config.json for "thaw-test\/missing" \(HTTP 404/);
  await assert.rejects(readModelGroups(experiment('thaw-test/missing'), { fetchFromHub: false, readDatasets: false }), /missing: a model folder needs config.json/);
});

test('the snapshot shows the first phase that has not run, or the one chosen; an invalid file shows its line', () => {
  const file = path.join(workspace.folder, 'thaw.json');
  const text = JSON.stringify({ model: 'm', tasks: { a: { name: 'q', train: 'a.csv' } }, phases: [{ name: 'warm-up', epochs: 1, frozen: ['encoder'], lr: { heads: 0.0123 } }, { name: 'fine-tune', epochs: 1, lr: { encoder: 1e-5, heads: 1e-3 } }] });
  const model = { numLayers: 1, groups: [{ group: 'embeddings', parameterCount: 1 }, { group: 'layer.0', parameterCount: 1 }, { group: 'task_a_head', parameterCount: 1 }] } as const;
  const fresh = buildSnapshot({ file, text, model, runs: [] });
  assert.equal(fresh.selectedPhase, 'warm-up');
  assert.deepEqual(fresh.settings.find((setting) => setting.group === 'task_a_head'), { group: 'task_a_head', frozen: false, learningRate: 0.0123, learningRateFrom: 'alias' });
  const ran = buildSnapshot({ file, text, model, runs: [{ folder: '/r', experimentFile: file, completedPhases: [{ name: 'warm-up', index: 0 }] }] });
  assert.equal(ran.selectedPhase, 'fine-tune');
  assert.deepEqual(ran.phases, [{ name: 'warm-up', hasRun: true }, { name: 'fine-tune', hasRun: false }]);
  const otherFile = buildSnapshot({ file, text, model, runs: [{ folder: '/r', experimentFile: '/elsewhere/thaw.json', completedPhases: [{ name: 'warm-up', index: 0 }] }] });
  assert.equal(otherFile.selectedPhase, 'warm-up', 'runs of another file do not count');
  assert.equal(buildSnapshot({ file, text, model, runs: [], chosenPhase: 'fine-tune' }).selectedPhase, 'fine-tune');
  const broken = buildSnapshot({ file, text: '{\n  "model": "m",\n  "tasks": ', runs: [] });
  assert.deepEqual(broken.problem?.line, 3);
  assert.deepEqual(broken.settings, []);
  const wrongKey = buildSnapshot({ file, text: '{\n  "model": "m",\n  "tasks": { "a": { "name": "q", "train": "a.csv" } },\n  "phases": [\n    { "name": "w", "epochs": 1,\n      "lr": { "layer.0": 7 } }\n  ]\n}', runs: [] });
  assert.match(wrongKey.problem?.message ?? '', /phases\.0\.lr\.layer\.0: must be <= 1/);
  assert.equal(wrongKey.problem?.line, 6, 'a schema error points at its key, dots in the key and all');
  const keptRate = '{\n  "model": "m",\n  "tasks": { "a": { "name": "q", "train": "a.csv" } },\n  "phases": [\n    { "name": "w", "epochs": 1, "frozen": ["encoder"],\n      "lr": {\n        "encoder": 0.5,\n        "heads": 0.01 } }\n  ]\n}';
  assert.deepEqual(buildSnapshot({ file, text: keptRate, model, runs: [] }).ignoredRates, [{ message: 'encoder is frozen in phase w; its rate 0.5 is ignored', line: 7 }]);
  assert.deepEqual(fresh.ignoredRates, [], 'a rate that reaches a training group is no warning');
});
