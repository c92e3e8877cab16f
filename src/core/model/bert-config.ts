// config.json of a BERT model folder, validated. Only what Thaw's BERT implements is
// accepted: a value it would silently compute differently (another activation, relative
// positions) is an error, not a surprise in the embeddings.

import { z } from 'zod';
import { ThawError } from '../errors';

const positiveInteger = z.number().int().positive();

const BertConfigSchema = z
  .looseObject({
    model_type: z.literal('bert').optional(),
    vocab_size: positiveInteger,
    hidden_size: positiveInteger,
    num_hidden_layers: positiveInteger,
    num_attention_heads: positiveInteger,
    intermediate_size: positiveInteger,
    // "gelu" in Hugging Face's BERT is the exact erf form; the tanh approximations differ.
    hidden_act: z.literal('gelu').default('gelu'),
    hidden_dropout_prob: z.number().min(0).max(1).default(0.1),
    attention_probs_dropout_prob: z.number().min(0).max(1).default(0.1),
    max_position_embeddings: positiveInteger.default(512),
    type_vocab_size: positiveInteger.default(2),
    layer_norm_eps: z.number().positive().default(1e-12),
    initializer_range: z.number().positive().default(0.02),
    pad_token_id: z.number().int().min(0).default(0),
    position_embedding_type: z.literal('absolute').default('absolute'),
  })
  .refine((config) => config.hidden_size % config.num_attention_heads === 0, {
    message: 'hidden_size must be a multiple of num_attention_heads',
    path: ['hidden_size'],
  });

/** A validated BERT config; unknown keys are kept so that writing it back loses nothing. */
export type BertConfig = z.infer<typeof BertConfigSchema>;

/** Validates parsed config.json content; `file` names it in the error. */
export function parseBertConfig(json: unknown, file: string): BertConfig {
  const result = BertConfigSchema.safeParse(json);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(top level)'}: ${issue.message}`);
    throw new ThawError(`invalid BERT config: ${problems.join('; ')}`, file);
  }
  return result.data;
}

export function headSize(config: BertConfig): number {
  return config.hidden_size / config.num_attention_heads;
}
