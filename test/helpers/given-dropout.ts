// A DropoutPlan that applies given masks instead of drawing them, so that tfjs and the ONNX
// training graph can be compared on one dropout draw. Test-only: it relies on the order in which
// BertEncoder calls apply() within a group (embeddings once; per layer the attention
// probabilities, the attention output, the FFN output; a head once), and checks each mask's
// shape against the activation it multiplies.

import type { Tensor } from '@tensorflow/tfjs';
import { tf } from '../../src/trainer/backend/tensorflow';
import type { GroupName } from '../../src/core/vocabulary/groups';
import { DropoutPlan } from '../../src/trainer/model/dropout';
import type { DropoutSite } from '../../src/trainer/onnx-training/dropout-sites';

const LAYER_SITES = ['attention.self.dropout', 'attention.output.dropout', 'output.dropout'];

function siteInput(group: GroupName, call: number): string {
  if (group.startsWith('layer.')) return `encoder.${group}.${LAYER_SITES[call]}`;
  return `${group}.dropout`;
}

export class GivenDropoutMasks extends DropoutPlan {
  private readonly calls = new Map<GroupName, number>();
  private readonly sites: ReadonlyMap<string, DropoutSite>;

  constructor(
    sites: readonly DropoutSite[],
    private readonly masks: ReadonlyMap<string, Float32Array>,
  ) {
    super(new Set(sites.map((site) => site.group)));
    this.sites = new Map(sites.map((site) => [site.input, site]));
  }

  override apply<T extends Tensor>(group: GroupName, x: T, rate: number): T {
    if (rate === 0) return x;
    const call = this.calls.get(group) ?? 0;
    this.calls.set(group, call + 1);
    const input = siteInput(group, call);
    const site = this.sites.get(input);
    if (site === undefined) return x;
    if (site.rate !== rate) throw new Error(`dropout site ${input}: rate ${rate} in tfjs, ${site.rate} in the site list`);
    const mask = this.masks.get(input);
    if (mask === undefined || mask.length !== x.size) throw new Error(`dropout site ${input}: no mask of ${x.size} values`);
    return tf.mul(x, tf.tensor(mask, x.shape, 'float32'));
  }
}
