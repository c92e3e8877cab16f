import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildPhaseSchedule, epochBatches, type PhaseSchedule, type Sampling } from '../../src/trainer/data/batch-schedule';

/** Every step and every epoch end of a schedule, as arrays. */
function expand(schedule: PhaseSchedule) {
  const steps = [...schedule.stepsFrom(0)];
  const epochEnds = steps.flatMap((_, index) => (schedule.epochEndingAt(index + 1) === undefined ? [] : [index + 1]));
  return { steps, epochEnds };
}

const lengthsA = Array.from({ length: 100 }, (_, i) => 3 + ((i * 37) % 60));
const lengthsB = Array.from({ length: 40 }, (_, i) => 5 + ((i * 11) % 20));
const tasks = [
  { task: 'a' as const, lengths: lengthsA },
  { task: 'b' as const, lengths: lengthsB },
];

test('an epoch covers every example once, in batches of similar length, the same for the same seed', () => {
  const batches = epochBatches(lengthsA, 8, 's');
  assert.deepEqual(batches.flat().sort((x, y) => x - y), [...lengthsA.keys()]);
  assert.deepEqual(epochBatches(lengthsA, 8, 's'), batches);
  assert.notDeepEqual(epochBatches(lengthsA, 8, 't'), batches);
  // Length bucketing: padding to each batch's longest wastes far less than random batches would.
  const padded = batches.reduce((sum, batch) => sum + batch.length * Math.max(...batch.map((i) => lengthsA[i])), 0);
  const real = lengthsA.reduce((sum, length) => sum + length, 0);
  assert.ok(padded / real < 1.1, `padding overhead ${padded / real}`);
});

function countByTask(sampling: Sampling, epochs = 1) {
  const schedule = expand(buildPhaseSchedule({ tasks, sampling, temperature: 2, batchSize: 8, seed: 'x', epochs }));
  const counts = { a: 0, b: 0 };
  for (const step of schedule.steps) for (const batch of step.batches) counts[batch.task] += batch.indices.length;
  return { schedule, counts };
}

test('proportional and round-robin: each epoch sees every example of every task once', () => {
  for (const sampling of ['proportional', 'round-robin'] as const) {
    const { schedule, counts } = countByTask(sampling, 2);
    assert.deepEqual(counts, { a: 200, b: 80 }, sampling);
    assert.equal(schedule.steps.length, 2 * (13 + 5));
    assert.deepEqual(schedule.epochEnds, [18, 36]);
  }
  const roundRobin = countByTask('round-robin').schedule.steps.slice(0, 4).map((step) => step.batches[0].task);
  assert.deepEqual(roundRobin, ['a', 'b', 'a', 'b']);
});

test('joint: every step has a batch of each task; temperature favours the larger task less than its share', () => {
  const joint = countByTask('joint').schedule;
  assert.equal(joint.steps.length, 13);
  assert.ok(joint.steps.every((step) => step.batches.map((batch) => batch.task).join() === 'a,b'));
  const long = expand(buildPhaseSchedule({ tasks, sampling: 'temperature', temperature: 1e9, batchSize: 8, seed: 'x', steps: 2000 }));
  const shareA = long.steps.filter((step) => step.batches[0].task === 'a').length / 2000;
  assert.ok(Math.abs(shareA - 0.5) < 0.05, `T -> infinity is uniform: ${shareA}`);
});

test('steps instead of epochs: exactly that many steps, epoch ends marked', () => {
  const schedule = expand(buildPhaseSchedule({ tasks, sampling: 'proportional', temperature: 2, batchSize: 8, seed: 'x', steps: 25 }));
  assert.equal(schedule.steps.length, 25);
  assert.deepEqual(schedule.epochEnds, [18, 25]);
});

test('stepsFrom(k) continues exactly where the whole schedule is at step k, epochs later too', () => {
  const schedule = buildPhaseSchedule({ tasks, sampling: 'proportional', temperature: 2, batchSize: 8, seed: 'x', epochs: 3 });
  const whole = [...schedule.stepsFrom(0)];
  assert.equal(whole.length, schedule.totalSteps);
  for (const start of [1, 17, 18, 40, 53]) assert.deepEqual([...schedule.stepsFrom(start)], whole.slice(start), `from ${start}`);
});

test('1.5 million rows: planned without a call-stack overflow, huge epoch counts only counted', () => {
  const lengths = Array.from({ length: 1_500_000 }, (_, i) => 3 + (i % 40));
  const schedule = buildPhaseSchedule({ tasks: [{ task: 'a', lengths }], sampling: 'proportional', temperature: 2, batchSize: 16, seed: 'x', epochs: 1 });
  let steps = 0;
  for (const step of schedule.stepsFrom(0)) steps += step.batches.length;
  assert.equal(steps, 93_750);
  const endless = buildPhaseSchedule({ tasks: [{ task: 'a', lengths: lengthsA }], sampling: 'proportional', temperature: 2, batchSize: 8, seed: 'x', epochs: 1e12 });
  assert.equal(endless.totalSteps, 13e12);
  assert.equal(endless.stepsFrom(0).next().done, false);
});

test('no task to train on: an empty schedule, in steps or epochs', () => {
  for (const length of [{ steps: 5 }, { epochs: 3 }]) {
    const schedule = buildPhaseSchedule({ tasks: [], sampling: 'joint', temperature: 2, batchSize: 8, seed: 'x', ...length });
    assert.equal(schedule.totalSteps, 0);
    assert.deepEqual([...schedule.stepsFrom(0)], []);
  }
});
