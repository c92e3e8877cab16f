import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FreezeState, type GroupInfo } from '../../src/extension/freeze-state';
import { planPhase } from '../../src/extension/phase-plan';

const GROUPS: GroupInfo[] = [
  { group: 'embeddings', parameterCount: 100 },
  { group: 'layer.0', parameterCount: 10 },
  { group: 'layer.1', parameterCount: 10 },
  { group: 'task_a_head', parameterCount: 3 },
  { group: 'task_b_head', parameterCount: 2 },
];

test('freezing the encoder freezes its children; a partly frozen encoder says so; counts follow', () => {
  const state = new FreezeState(GROUPS);
  let changes = 0;
  state.onDidChange(() => changes++);
  assert.equal(state.encoderFreeze(), 'trainable');
  assert.equal(state.trainableParameters(), 125);
  state.setFrozen('encoder', true);
  assert.deepEqual(state.frozenGroups(), ['embeddings', 'layer.0', 'layer.1']);
  assert.equal(state.encoderFreeze(), 'frozen');
  assert.equal(state.trainableParameters(), 5);
  state.setFrozen('layer.1', false);
  assert.equal(state.encoderFreeze(), 'partial');
  assert.equal(state.trainableParameters(), 15);
  assert.equal(changes, 2);
});

test('learning rates per group or alias; invalid ones are refused; state round-trips through JSON', () => {
  const state = new FreezeState(GROUPS);
  assert.equal(state.learningRate('layer.0'), 2e-5);
  assert.equal(state.learningRate('task_b_head'), 1e-3);
  state.setLearningRate('heads', 5e-4);
  state.setLearningRate('layer.0', 1e-5);
  assert.throws(() => state.setLearningRate('layer.1', -1), RangeError);
  assert.throws(() => state.setLearningRate('layer.1', Number.NaN), RangeError);
  assert.throws(() => state.setLearningRate('layer.1', 2), RangeError);
  state.setFrozen('task_a_head', true);
  const restored = new FreezeState(GROUPS, JSON.parse(JSON.stringify(state.toJSON())) as never);
  assert.deepEqual(restored.toJSON(), state.toJSON());
  assert.deepEqual(new FreezeState(GROUPS, { frozen: ['layer.9', 'layer.0'], learningRates: { 'layer.9': 1, 'layer.1': -3 } }).toJSON().frozen, ['layer.0'], 'unknown groups and bad rates in saved state are dropped');
});

test('planned phases: warm-up freezes the encoder, fine-tune thaws it, nonsense is refused', () => {
  const state = new FreezeState(GROUPS);
  const warmUp = planPhase('warm-up', state, 2);
  assert.ok('phase' in warmUp);
  assert.deepEqual(warmUp.phase, { name: 'warm-up', epochs: 2, frozen: ['embeddings', 'layer.0', 'layer.1'], lr: { task_a_head: 1e-3, task_b_head: 1e-3 } });
  const fineTune = planPhase('fine-tune', state, 1);
  assert.ok('phase' in fineTune && fineTune.phase.frozen!.length === 0);
  state.setFrozen('layer.0', true);
  const partial = planPhase('fine-tune', state, 1);
  assert.ok('phase' in partial && partial.phase.frozen!.join() === 'layer.0', 'a layer frozen by hand stays frozen');
  state.setFrozen('heads', true);
  assert.match((planPhase('warm-up', state, 1) as { refused: string }).refused, /both are frozen/);
  state.setFrozen('encoder', true);
  assert.match((planPhase('current', state, 1) as { refused: string }).refused, /Everything is frozen/);
});
