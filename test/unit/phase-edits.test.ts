// Edits of the experiment file from the Model view and the panel: written into the selected
// phase, comments and layout kept, by the rules of DECISIONS.md. Each expected text is spelt
// out in full, so any change to what the user's file gets is seen here.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse } from 'jsonc-parser';
import { addRecipePhase, compactFrozenList, editPhase, phaseNamesOf } from '../../src/core/experiment/phase-edits';
import { changedRange, inlineJson, setJsoncValue } from '../../src/core/experiment/jsonc-edit';
import { phaseGroupSettings } from '../../src/core/experiment/phase-view';
import { allGroupNames, type GroupName } from '../../src/core/vocabulary/groups';

const GROUPS = allGroupNames(2); // embeddings, layer.0, layer.1, task_a_head, task_b_head

const FILE = `{
  // my experiment
  "model": "models/minilm",
  "phases": [
    { "name": "warm-up", "epochs": 3, "frozen": ["encoder"], "lr": { "heads": 0.0123 } }, // probe first
    {
      "name": "fine-tune", // then everything
      "epochs": 1,
      "lr": { "encoder": 2e-5, "heads": 1e-3 }
    }
  ]
}
`;

const phaseOf = (text: string, name: string) => (parse(text) as { phases: { name: string; frozen?: string[]; lr?: Record<string, number> }[] }).phases.find((phase) => phase.name === name)!;
const settingsOf = (text: string, name: string) => {
  const phase = phaseOf(text, name);
  return phaseGroupSettings({ frozen: phase.frozen ?? [], lr: phase.lr ?? {} }, GROUPS);
};

test('the view of a phase: frozen set through aliases, rates from a group key or its alias', () => {
  assert.deepEqual(settingsOf(FILE, 'warm-up'), [
    { group: 'embeddings', frozen: true },
    { group: 'layer.0', frozen: true },
    { group: 'layer.1', frozen: true },
    { group: 'task_a_head', frozen: false, learningRate: 0.0123, learningRateFrom: 'alias' },
    { group: 'task_b_head', frozen: false, learningRate: 0.0123, learningRateFrom: 'alias' },
  ]);
});

test('thawing layer.0 of the warm-up writes per-layer frozen names and the recipe rate layer.0 lacked; comments stay', () => {
  const { text } = editPhase(FILE, 'warm-up', GROUPS, { kind: 'freeze', target: 'layer.0', frozen: false });
  assert.equal(
    text,
    FILE.replace('"frozen": ["encoder"], "lr": { "heads": 0.0123 }', '"frozen": ["embeddings", "layer.1"], "lr": { "heads": 0.0123, "layer.0": 0.00002 }'),
  );
  assert.match(text, /\/\/ my experiment/);
  assert.match(text, /\/\/ probe first/);
});

test('freezing layer.0 of the fine-tune adds a frozen list to a multi-line phase and keeps its rate', () => {
  const { text } = editPhase(FILE, 'fine-tune', GROUPS, { kind: 'freeze', target: 'layer.0', frozen: true });
  assert.equal(text, FILE.replace('"lr": { "encoder": 2e-5, "heads": 1e-3 }\n', '"lr": { "encoder": 2e-5, "heads": 1e-3 },\n      "frozen": ["layer.0"]\n'));
  // Thawing it again gives back the rates it had: freezing keeps the rate.
  const thawed = editPhase(text, 'fine-tune', GROUPS, { kind: 'freeze', target: 'layer.0', frozen: false }).text;
  assert.deepEqual(phaseOf(thawed, 'fine-tune'), { name: 'fine-tune', epochs: 1, lr: { encoder: 2e-5, heads: 1e-3 }, frozen: [] });
});

test('frozen is written with an alias when the alias is wholly covered', () => {
  const all = new Set<GroupName>(GROUPS);
  assert.deepEqual(compactFrozenList(all, GROUPS, []), ['encoder', 'heads']);
  assert.deepEqual(compactFrozenList(new Set(['layer.1', 'task_b_head']), GROUPS, ['layer.7']), ['layer.1', 'task_b_head', 'layer.7'], 'names the model lacks are kept');
  const frozenEverything = editPhase(FILE, 'warm-up', GROUPS, { kind: 'freeze', target: 'heads', frozen: true }).text;
  assert.deepEqual(phaseOf(frozenEverything, 'warm-up').frozen, ['encoder', 'heads']);
  assert.equal(phaseOf(frozenEverything, 'warm-up').lr?.heads, 0.0123, 'the heads keep their rate while frozen');
});

test("the encoder row's rate replaces the per-layer keys it would be hidden behind; layer decay writes per-layer keys", () => {
  const decayed = editPhase(FILE, 'fine-tune', GROUPS, { kind: 'layerDecay', base: 1e-4, factor: 0.5 }).text;
  assert.deepEqual(phaseOf(decayed, 'fine-tune').lr, { encoder: 2e-5, heads: 1e-3, 'layer.1': 1e-4, 'layer.0': 5e-5, embeddings: 2.5e-5 });
  const flat = editPhase(decayed, 'fine-tune', GROUPS, { kind: 'learningRate', target: 'encoder', rate: 3e-5 }).text;
  assert.deepEqual(phaseOf(flat, 'fine-tune').lr, { encoder: 3e-5, heads: 1e-3 });
  assert.throws(() => editPhase(FILE, 'fine-tune', GROUPS, { kind: 'learningRate', target: 'layer.0', rate: -1 }), RangeError);
});

test('a scenario sets the frozen groups; thawed groups without a rate get the recipe default under their alias', () => {
  const { text } = editPhase(FILE, 'warm-up', GROUPS, { kind: 'frozenGroups', frozen: ['task_a_head'] });
  assert.deepEqual(phaseOf(text, 'warm-up'), { name: 'warm-up', epochs: 3, frozen: ['task_a_head'], lr: { heads: 0.0123, encoder: 2e-5 } });
});

test('a preset is replaced by its phases on the first edit, with a notice', () => {
  const preset = '{\n  "model": "m", // the model\n  "preset": "recipe"\n}\n';
  const result = editPhase(preset, 'warm-up', GROUPS, { kind: 'freeze', target: 'layer.0', frozen: false });
  assert.match(result.notice ?? '', /preset "recipe" was replaced by its phases/);
  assert.deepEqual(phaseNamesOf(result.text), ['warm-up', 'fine-tune']);
  assert.match(result.text, /\/\/ the model/);
  assert.ok(!/"preset"/.test(result.text));
  assert.deepEqual(phaseOf(result.text, 'warm-up').frozen, ['embeddings', 'layer.1']);
});

test('a file without a warm-up or fine-tune phase gets the recipe one, in its place', () => {
  const only = '{\n  "phases": [\n    { "name": "fine-tune", "epochs": 1, "lr": { "encoder": 1e-5, "heads": 1e-3 } }\n  ]\n}\n';
  const withWarmUp = addRecipePhase(only, 'warm-up').text;
  assert.deepEqual(phaseNamesOf(withWarmUp), ['warm-up', 'fine-tune']);
  assert.deepEqual(phaseOf(withWarmUp, 'warm-up'), { name: 'warm-up', epochs: 3, frozen: ['encoder'], lr: { heads: 1e-2 } });
  assert.match(withWarmUp, /\n {4}\{ "name": "warm-up", "epochs": 3, "frozen": \["encoder"\], "lr": \{ "heads": 0.01 \} \},\n {4}\{ "name": "fine-tune"/);
  const none = '{ "name": "x", "phases": [{ "name": "train", "epochs": 1, "lr": { "heads": 1e-3 } }] }';
  assert.deepEqual(phaseNamesOf(addRecipePhase(none, 'fine-tune').text), ['train', 'fine-tune']);
  assert.equal(addRecipePhase(withWarmUp, 'warm-up').text, withWarmUp, 'a phase that is there is not added again');
});

test('an invalid file refuses edits with its line; one changed range covers every edit', () => {
  assert.throws(() => editPhase('{\n  "phases": [\n    { "name": ', 'warm-up', GROUPS, { kind: 'freeze', target: 'encoder', frozen: true }), /line 3: not valid JSON/);
  assert.throws(() => editPhase(FILE, 'nope', GROUPS, { kind: 'freeze', target: 'encoder', frozen: true }), /no phase named "nope"/);
  assert.deepEqual(changedRange('abcXYZdef', 'abc12def'), { offset: 3, length: 3, text: '12' });
  assert.equal(inlineJson({ a: [1, 'b'], c: {} }), '{ "a": [1, "b"], "c": {} }');
  assert.equal(setJsoncValue('{}', ['lr', 'heads'], 1), '{ "lr": { "heads": 1 } }');
});
