// Messages crossing a process boundary are validated on arrival: a well-formed event passes,
// anything else is refused with a reason (and the host logs and drops it).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseHostToTrainer, parseTrainerEvent } from '../../src/protocol/trainer-events';

const STEP = {
  type: 'step', time: '2026-11-27T09:00:00.000Z', phase: 'warm-up', phaseIndex: 0, step: 3, totalSteps: 40, globalStep: 3,
  loss: { a: 1.25, b: 0.69 }, learningRates: { 'layer.0': 0, task_a_head: 1e-3 }, elapsedMs: 1200,
};

test('a valid step event passes and comes back unchanged', () => {
  const parsed = parseTrainerEvent(STEP);
  assert.ok(parsed.ok);
  assert.deepEqual(parsed.value, STEP);
});

test('malformed events are refused with the offending field named', () => {
  const cases: [unknown, RegExp][] = [
    [{ ...STEP, type: 'explode' }, /type/],
    [{ ...STEP, loss: { c: 1 } }, /loss/],
    [{ ...STEP, loss: { a: Number.NaN } }, /loss\.a/],
    [{ ...STEP, learningRates: { 'layer.x': 1 } }, /learningRates/],
    [{ ...STEP, step: -1 }, /step/],
    [{ ...STEP, extra: true }, /extra|Unrecognized/],
    [{ ...STEP, time: 'yesterday' }, /time/],
    ['{"type":"step"}', /expected object/i],
    [null, /expected object/i],
  ];
  for (const [value, pattern] of cases) {
    const parsed = parseTrainerEvent(value);
    assert.ok(!parsed.ok, JSON.stringify(value));
    assert.match(parsed.error, pattern);
  }
});

test('the host may only send "stop"', () => {
  assert.ok(parseHostToTrainer({ type: 'stop' }).ok);
  assert.ok(!parseHostToTrainer({ type: 'stop', now: true }).ok);
  assert.ok(!parseHostToTrainer({ type: 'rm -rf' }).ok);
});
