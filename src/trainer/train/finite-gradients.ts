// A gradient with an Inf or NaN, or one whose norm overflows float32, would poison the weights
// and the optimizer's moments for good; the run stops before the update instead.

import type { NamedTensorMap } from '@tensorflow/tfjs';
import { tf } from '../backend/tensorflow';
import type { GroupName, NamedParameter } from '../model/parameter-groups';

/** The groups whose squared gradient norm is not finite, in one read from the backend. */
export function nonFiniteGradientGroups(gradients: NamedTensorMap, trainable: readonly NamedParameter[]): GroupName[] {
  const groups = [...new Set(trainable.map((parameter) => parameter.group))];
  const withGradients = groups
    .map((group) => ({ group, tensors: trainable.filter((parameter) => parameter.group === group).flatMap((parameter) => gradients[parameter.variable.name] ?? []) }))
    .filter(({ tensors }) => tensors.length > 0);
  if (withGradients.length === 0) return [];
  const norms = tf.tidy(() => tf.stack(withGradients.map(({ tensors }) => tf.addN(tensors.map((tensor) => tf.sum(tf.square(tensor)))))));
  const values = norms.dataSync();
  norms.dispose();
  return withGradients.filter((_, index) => !Number.isFinite(values[index])).map(({ group }) => group);
}
