// A DropoutPlan that applies given masks instead of drawing them, so that tfjs and the ONNX
// training graph can be compared on one dropout draw. Test-only: it checks each mask's rate and
// shape against the activation it multiplies.

import type { Tensor } from '@tensorflow/tfjs';
import { tf } from '../../src/trainer/backend/tensorflow';
import type { GroupName } from '../../src/core/vocabulary/groups';
import { DropoutPlan } from '../../src/trainer/model/dropout';
import type { DropoutSite } from '../../src/trainer/onnx-training/dropout-sites';

export class GivenDropoutMasks extends DropoutPlan {
  private readonly sites: ReadonlyMap<string, DropoutSite>;

  constructor(
    sites: readonly DropoutSite[],
    private readonly masks: ReadonlyMap<string, Float32Array>,
  ) {
    super(new Set(sites.map((site) => site.group)));
    this.sites = new Map(sites.map((site) => [site.input, site]));
  }

  override apply<T extends Tensor>(_group: GroupName, input: string, x: T, rate: number): T {
    if (rate === 0) return x;
    const site = this.sites.get(input);
    if (site === undefined) return x;
    if (site.rate !== rate) throw new Error(`dropout site ${input}: rate ${rate} in tfjs, ${site.rate} in the site list`);
    const mask = this.masks.get(input);
    if (mask === undefined || mask.length !== x.size) throw new Error(`dropout site ${input}: no mask of ${x.size} values`);
    return tf.mul(x, tf.tensor(mask, x.shape, 'float32'));
  }
}
