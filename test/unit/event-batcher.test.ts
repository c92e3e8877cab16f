// The batcher with node:test's mocked clock: time moves only when the test ticks it, so the
// limits are checked exactly and nothing waits.

import assert from 'node:assert/strict';
import { afterEach, beforeEach, mock, test } from 'node:test';
import { EventBatcher } from '../../src/extension/panel/event-batcher';

const INTERVAL = 100;

beforeEach(() => mock.timers.enable({ apis: ['setTimeout'] }));
afterEach(() => mock.timers.reset());

function recordingBatcher() {
  const sent: { at: number; batch: number[] }[] = [];
  let now = 0;
  const batcher = new EventBatcher<number>((batch) => sent.push({ at: now, batch }), INTERVAL);
  const tick = (milliseconds: number) => {
    now += milliseconds;
    mock.timers.tick(milliseconds);
  };
  return { sent, batcher, tick };
}

test('nothing is sent before the interval; then one message carries every event since the first', () => {
  const { sent, batcher, tick } = recordingBatcher();
  for (let event = 0; event < 1000; event++) batcher.add(event);
  tick(INTERVAL - 1);
  assert.equal(sent.length, 0);
  tick(1);
  assert.equal(sent.length, 1);
  assert.deepEqual(sent[0].batch, Array.from({ length: 1000 }, (_, index) => index));
  tick(10 * INTERVAL);
  assert.equal(sent.length, 1, 'no empty messages when nothing new arrived');
});

test('a steady stream: at most one send per interval, every event once, in order', () => {
  const { sent, batcher, tick } = recordingBatcher();
  // An event every 7 ms for 2 seconds.
  let next = 0;
  for (let elapsed = 0; elapsed < 2000; elapsed += 7) {
    batcher.add(next++);
    tick(7);
  }
  tick(INTERVAL);
  assert.deepEqual(sent.flatMap((message) => message.batch), Array.from({ length: next }, (_, index) => index));
  for (let index = 1; index < sent.length; index++) {
    assert.ok(sent[index].at - sent[index - 1].at >= INTERVAL, `sends ${index - 1} and ${index} were ${sent[index].at - sent[index - 1].at} ms apart`);
  }
  // 2 s of events, one send per 100 ms (each interval starts at its first event, so a little less).
  assert.ok(sent.length >= 18 && sent.length <= 21, `${sent.length} sends`);
});

test('flush() sends what is pending at once, and the timer it replaces sends nothing more', () => {
  const { sent, batcher, tick } = recordingBatcher();
  batcher.add(1);
  batcher.add(2);
  tick(30);
  batcher.flush();
  assert.deepEqual(sent, [{ at: 30, batch: [1, 2] }]);
  tick(INTERVAL);
  assert.equal(sent.length, 1, 'the old timer was cleared');
  batcher.flush();
  assert.equal(sent.length, 1, 'flushing nothing sends nothing');
  batcher.add(3);
  tick(INTERVAL);
  assert.deepEqual(sent[1], { at: 30 + 2 * INTERVAL, batch: [3] });
});

test('dispose() drops what is pending and sends nothing after', () => {
  const { sent, batcher, tick } = recordingBatcher();
  batcher.add(1);
  tick(50);
  batcher.dispose();
  tick(10 * INTERVAL);
  assert.deepEqual(sent, []);
  batcher.flush();
  assert.deepEqual(sent, [], 'the disposed events are gone, not merely delayed');
});
