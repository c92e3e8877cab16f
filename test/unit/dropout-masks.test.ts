import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dropoutMask } from '../../src/trainer/model/dropout-masks';

const key = { seed: 42, step: 7, stream: 'a' };
const site = 'encoder.layer.0.attention.self.dropout';

test('a mask repeats for the same seed, step, stream and site', () => {
  assert.deepEqual(dropoutMask(key, site, 4096, 0.1), dropoutMask({ ...key }, site, 4096, 0.1));
});

test('a mask differs with the seed, the step, the stream and the site', () => {
  const base = dropoutMask(key, site, 4096, 0.5);
  const others = [
    dropoutMask({ ...key, seed: 43 }, site, 4096, 0.5),
    dropoutMask({ ...key, step: 8 }, site, 4096, 0.5),
    dropoutMask({ ...key, stream: 'b' }, site, 4096, 0.5),
    dropoutMask(key, 'encoder.layer.1.attention.self.dropout', 4096, 0.5),
  ];
  for (const other of others) {
    const differing = base.filter((value, index) => value !== other[index]).length;
    // Independent masks at rate 0.5 differ in about half the places.
    assert.ok(differing > 1800 && differing < 2300, `${differing} of 4096 differ`);
  }
});

test('the keep rate is about 1 - p, and kept values are scaled by 1 / (1 - p)', () => {
  for (const rate of [0.1, 0.3, 0.5]) {
    const mask = dropoutMask(key, site, 200_000, rate);
    const kept = mask.filter((value) => value !== 0);
    // Binomial standard deviation sqrt(n p (1 - p)) / n < 0.0012; allow 4 of them.
    assert.ok(Math.abs(kept.length / mask.length - (1 - rate)) < 0.005, `rate ${rate}: kept ${kept.length / mask.length}`);
    assert.ok(kept.every((value) => value === Math.fround(1 / (1 - rate))));
  }
  assert.ok(dropoutMask(key, site, 1000, 0).every((value) => value === 1));
});

test('neighbouring positions are not correlated', () => {
  const mask = dropoutMask(key, site, 100_000, 0.5);
  let same = 0;
  for (let index = 1; index < mask.length; index++) if ((mask[index] === 0) === (mask[index - 1] === 0)) same++;
  assert.ok(Math.abs(same / (mask.length - 1) - 0.5) < 0.01, `${same} neighbours agree`);
});
