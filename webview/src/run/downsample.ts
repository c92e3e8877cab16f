// Pure helpers for drawing long training curves. A run can log far more steps than a chart has
// pixels; drawing them all makes every frame slower without showing anything more. No DOM here,
// so the unit tests run them under plain Node.

/** Missing, NaN and infinite values cannot be drawn, so they are skipped. */
function isDrawable(value: number | undefined): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/**
 * The indices, in order, of the points to draw from `ys[from..to)` so that at most `maxPoints`
 * remain: the first and last drawable points, and between them the lowest and the highest point of
 * each bucket, so that a one-step loss spike survives however far the chart is zoomed out.
 * With no more drawable points than `maxPoints`, all of them are kept.
 *
 * @example minMaxIndices([5, 1, 9, 2, 7, 3], 4) // [0, 1, 2, 5]: first, bucket min and max, last
 */
export function minMaxIndices(ys: ArrayLike<number>, maxPoints: number, from = 0, to = ys.length): number[] {
  const drawable: number[] = [];
  for (let index = Math.max(0, from); index < Math.min(to, ys.length); index++) {
    if (isDrawable(ys[index])) drawable.push(index);
  }
  // Fewer than two points could not keep both ends.
  const limit = Math.max(2, Math.floor(maxPoints));
  if (drawable.length <= limit) return drawable;

  const interiorCount = drawable.length - 2;
  const bucketCount = Math.floor((limit - 2) / 2);
  const kept = [drawable[0]];
  for (let bucket = 0; bucket < bucketCount; bucket++) {
    const start = 1 + Math.floor((bucket * interiorCount) / bucketCount);
    const end = 1 + Math.floor(((bucket + 1) * interiorCount) / bucketCount);
    let lowest = drawable[start];
    let highest = lowest;
    for (let position = start + 1; position < end; position++) {
      const index = drawable[position];
      if (ys[index] < ys[lowest]) lowest = index;
      if (ys[index] > ys[highest]) highest = index;
    }
    // In x order, so the line still goes left to right through the bucket.
    if (lowest !== highest) kept.push(Math.min(lowest, highest), Math.max(lowest, highest));
    else kept.push(lowest);
  }
  kept.push(drawable[drawable.length - 1]);
  return kept;
}

/**
 * At most `maxPoints` points of a curve, keeping the first and last points and each bucket's
 * minimum and maximum (see {@link minMaxIndices}). Points whose y is missing or NaN are skipped.
 *
 * @example downsampleMinMax(steps, losses, 2000) // what a 1000-pixel-wide chart can show
 */
export function downsampleMinMax(xs: ArrayLike<number>, ys: ArrayLike<number>, maxPoints: number): { xs: number[]; ys: number[] } {
  const indices = minMaxIndices(ys, maxPoints);
  return { xs: indices.map((index) => xs[index]), ys: indices.map((index) => ys[index]) };
}

/**
 * TensorBoard's smoothing: an exponential moving average with `weight` in [0, 1), debiased so the
 * first points are not pulled towards 0 (the average starts at 0). A NaN value is passed through
 * as NaN and does not move the average, so one diverged step does not erase the rest of the curve.
 *
 * @example exponentialMovingAverage([1, 3], 0.5) // [1, 2.333...]
 */
export function exponentialMovingAverage(values: ArrayLike<number>, weight: number): number[] {
  if (!(weight >= 0 && weight < 1)) throw new RangeError(`smoothing weight must be in [0, 1), got ${weight}`);
  const smoothed: number[] = new Array<number>(values.length);
  let average = 0;
  let averagedCount = 0;
  for (let index = 0; index < values.length; index++) {
    const value = values[index];
    if (!isDrawable(value)) {
      smoothed[index] = typeof value === 'number' ? value : NaN;
      continue;
    }
    average = average * weight + (1 - weight) * value;
    averagedCount++;
    smoothed[index] = average / (1 - weight ** averagedCount);
  }
  return smoothed;
}
