import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { UsageError } from '../../core/errors';
import { MINILM_SHAPE, generateModelFolder, type TokenizerSource } from '../init/generate-model-folder';
import { readTextLines } from '../../core/io/read-text-lines';
import { integerOption } from './options';

const HELP = `Usage: thaw init-model --out DIR [--layers L] [--hidden H] [--heads A] [--intermediate I]
                       [--seed S] (--tokenizer FOLDER | --corpus FILE [--vocab-size N])
                       [--max-positions P] [--max-seq-length N] [--dtype f32|f16] [--force]

Writes a model folder in Hugging Face / sentence-transformers layout (config.json,
model.safetensors, tokenizer files, 1_Pooling/) with seeded random weights: BERT's
initialization, normal(0, 0.02), LayerNorm ones and zeros. The shape defaults to
paraphrase-MiniLM-L6-v2's (6 layers, hidden 384, 12 heads, intermediate 1536).

The tokenizer is copied from --tokenizer FOLDER (a folder with tokenizer.json), or built as a
WordPiece vocabulary of at most --vocab-size entries (default 8000) from --corpus FILE, one
text a line.
`;

export async function runInitModelCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      out: { type: 'string' },
      layers: { type: 'string' },
      hidden: { type: 'string' },
      heads: { type: 'string' },
      intermediate: { type: 'string' },
      seed: { type: 'string' },
      tokenizer: { type: 'string' },
      corpus: { type: 'string' },
      'vocab-size': { type: 'string' },
      'max-positions': { type: 'string' },
      'max-seq-length': { type: 'string' },
      dtype: { type: 'string' },
      force: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  if (values.out === undefined) throw new UsageError(`--out is required\n\n${HELP}`);
  if ((values.tokenizer === undefined) === (values.corpus === undefined)) throw new UsageError(`give exactly one of --tokenizer and --corpus\n\n${HELP}`);
  if (values.dtype !== undefined && !['f32', 'f16'].includes(values.dtype)) throw new UsageError(`--dtype must be f32 or f16, got "${values.dtype}"`);
  const optional = (name: keyof typeof values, fallback: number, min: number, max?: number): number =>
    values[name] === undefined ? fallback : integerOption(values[name] as string, name, min, max);

  const shape = {
    layers: optional('layers', MINILM_SHAPE.layers, 1, 48),
    hidden: optional('hidden', MINILM_SHAPE.hidden, 1, 8192),
    attentionHeads: optional('heads', MINILM_SHAPE.attentionHeads, 1, 256),
    intermediate: optional('intermediate', MINILM_SHAPE.intermediate, 1, 32768),
    maxPositions: optional('max-positions', MINILM_SHAPE.maxPositions, 2, 8192),
  };
  if (shape.hidden % shape.attentionHeads !== 0) throw new UsageError(`--hidden (${shape.hidden}) must be a multiple of --heads (${shape.attentionHeads})`);
  const tokenizer: TokenizerSource =
    values.tokenizer !== undefined
      ? { kind: 'folder', folder: values.tokenizer }
      : { kind: 'corpus', lines: await readTextLines(values.corpus!), vocabularySize: optional('vocab-size', 8000, 16, 1_000_000) };
  const seed = optional('seed', 42, 0);
  const config = await generateModelFolder({
    out: values.out,
    shape,
    seed,
    tokenizer,
    maxSeqLength: optional('max-seq-length', 128, 2, shape.maxPositions),
    dtype: values.dtype === 'f16' ? 'F16' : 'F32',
    overwrite: values.force ?? false,
  });
  process.stderr.write(
    `thaw: wrote ${path.resolve(values.out)}: ${config.num_hidden_layers} layers, hidden ${config.hidden_size}, ` +
      `${config.num_attention_heads} heads, intermediate ${config.intermediate_size}, vocabulary ${config.vocab_size}, seed ${seed}\n`,
  );
}
