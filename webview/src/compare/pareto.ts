// The Pareto front of the runs on two accuracies (task A, task B): the runs no other run beats on
// one task without losing on the other. Both axes are maximized. Plain data, no DOM.

export interface TaskPoint {
  readonly x: number;
  readonly y: number;
}

/** `other` is at least as good on both and better on one. */
const dominates = (other: TaskPoint, point: TaskPoint) => other.x >= point.x && other.y >= point.y && (other.x > point.x || other.y > point.y);

/**
 * The points on the front, by x ascending (then y descending), so a line through them draws the
 * front. Equal points are all on it; a point with a NaN coordinate never is.
 *
 * @example paretoFront([{x: 0.9, y: 0.5}, {x: 0.8, y: 0.8}, {x: 0.7, y: 0.7}]) // the first two
 */
export function paretoFront<T extends TaskPoint>(points: readonly T[]): T[] {
  const candidates = points.filter((point) => Number.isFinite(point.x) && Number.isFinite(point.y));
  return candidates.filter((point) => !candidates.some((other) => dominates(other, point))).sort((a, b) => a.x - b.x || b.y - a.y);
}
