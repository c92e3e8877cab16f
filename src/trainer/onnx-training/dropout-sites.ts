// Where dropout acts in a training step, and the masks' shapes. The masks are graph inputs, drawn
// outside the graph, so that both engines can apply the same ones (DECISIONS: one counter-based
// generator) and a resumed run repeats them. As Thaw's DropoutPlan: a site exists only in a group
// that trains this phase and only with a rate above 0; frozen groups run as in inference.

import type { BertConfig } from '../../core/model/bert-config';
import type { GroupName, HeadName } from '../../core/vocabulary/groups';

/** What a mask covers: token vectors [batch, length, hidden], attention probabilities [batch, heads, length, length], or pooled sentences [batch, hidden]. */
export type DropoutActivation = 'tokens' | 'attention' | 'sentence';

export interface DropoutSite {
  /** The graph input, named after Hugging Face's dropout module: `encoder.layer.0.attention.self.dropout`. */
  readonly input: string;
  readonly group: GroupName;
  readonly rate: number;
  readonly activation: DropoutActivation;
}

/** The head's rate, as SentenceModel.headLogits: classifier_dropout, else hidden_dropout_prob. */
export function headDropoutRate(config: BertConfig): number {
  const classifier: unknown = config.classifier_dropout;
  return typeof classifier === 'number' ? classifier : config.hidden_dropout_prob;
}

/**
 * The dropout sites of one task's step, in forward order.
 *
 * @example dropoutSites(config, 'task_a_head', new Set(['layer.5', 'task_a_head'])).map((site) => site.input)
 * // ['encoder.layer.5.attention.self.dropout', 'encoder.layer.5.attention.output.dropout', 'encoder.layer.5.output.dropout', 'task_a_head.dropout']
 */
export function dropoutSites(config: BertConfig, head: HeadName, trainable: ReadonlySet<GroupName>): DropoutSite[] {
  const candidates: DropoutSite[] = [{ input: 'embeddings.dropout', group: 'embeddings', rate: config.hidden_dropout_prob, activation: 'tokens' }];
  for (let index = 0; index < config.num_hidden_layers; index++) {
    const group: GroupName = `layer.${index}`;
    const prefix = `encoder.layer.${index}`;
    candidates.push(
      { input: `${prefix}.attention.self.dropout`, group, rate: config.attention_probs_dropout_prob, activation: 'attention' },
      { input: `${prefix}.attention.output.dropout`, group, rate: config.hidden_dropout_prob, activation: 'tokens' },
      { input: `${prefix}.output.dropout`, group, rate: config.hidden_dropout_prob, activation: 'tokens' },
    );
  }
  candidates.push({ input: `${head}.dropout`, group: head, rate: headDropoutRate(config), activation: 'sentence' });
  return candidates.filter((site) => site.rate > 0 && trainable.has(site.group));
}

/** A site's mask shape for a batch. */
export function dropoutMaskShape(site: DropoutSite, config: BertConfig, batchSize: number, length: number): number[] {
  switch (site.activation) {
    case 'tokens':
      return [batchSize, length, config.hidden_size];
    case 'attention':
      return [batchSize, config.num_attention_heads, length, length];
    case 'sentence':
      return [batchSize, config.hidden_size];
  }
}

/** A site's mask size for a batch: the values dropoutMaskShape holds. */
export function dropoutMaskSize(site: DropoutSite, config: BertConfig, batchSize: number, length: number): number {
  return dropoutMaskShape(site, config, batchSize, length).reduce((product, extent) => product * extent, 1);
}
