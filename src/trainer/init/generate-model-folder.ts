// `thaw init-model`: a model folder of the real layout with seeded random weights (BERT's
// initialization), for tests, benchmarks and demos on machines that cannot download the
// pretrained model.

import { existsSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { ThawError } from '../../core/errors';
import { writeFileAtomic } from '../../core/io/atomic-write';
import { parseBertConfig, type BertConfig } from '../../core/model/bert-config';
import { encoderWeightSpecs, poolerWeightSpecs } from '../../core/model/bert-weights';
import { COMPANION_FILES, POOLING_CONFIG_FILE, WEIGHTS_FILE } from '../model/model-folder';
import { readJson } from '../../core/io/read-json';
import { elementCount, encodeFloats, serializeSafetensors, type TensorToWrite } from '../model/safetensors';
import { meanPoolingConfig } from '../model/save-model-folder';
import { SeededNormal, initialValues } from './seeded-random';
import { buildVocabulary, tokenizerFiles } from './wordpiece-vocab';

export interface ModelShape {
  readonly layers: number;
  readonly hidden: number;
  readonly attentionHeads: number;
  readonly intermediate: number;
  readonly maxPositions: number;
}

/** paraphrase-MiniLM-L6-v2's shape. */
export const MINILM_SHAPE: ModelShape = { layers: 6, hidden: 384, attentionHeads: 12, intermediate: 1536, maxPositions: 512 };

export type TokenizerSource =
  | { readonly kind: 'folder'; readonly folder: string }
  | { readonly kind: 'corpus'; readonly lines: readonly string[]; readonly vocabularySize: number };

export interface GenerateOptions {
  readonly out: string;
  readonly shape: ModelShape;
  readonly seed: number;
  readonly tokenizer: TokenizerSource;
  /** sentence-transformers' max_seq_length for the folder (128 for MiniLM). */
  readonly maxSeqLength?: number;
  readonly dtype?: 'F32' | 'F16';
  /** Replace the model files of a folder that already holds a model. */
  readonly overwrite?: boolean;
}

/**
 * Writes a model folder with seeded random weights; the same options give the same bytes.
 *
 * @example await generateModelFolder({ out: 'tiny', shape: { layers: 2, hidden: 32, attentionHeads: 4, intermediate: 64, maxPositions: 64 }, seed: 1, tokenizer: { kind: 'corpus', lines, vocabularySize: 500 } })
 */
export async function generateModelFolder(options: GenerateOptions): Promise<BertConfig> {
  if (!options.overwrite && existsSync(path.join(options.out, WEIGHTS_FILE))) {
    throw new ThawError('already holds a model; choose another folder or overwrite it explicitly (--force)', options.out);
  }
  const maxSeqLength = Math.min(options.maxSeqLength ?? 128, options.shape.maxPositions);
  const vocabularySize = await writeTokenizer(options.tokenizer, options.out, maxSeqLength);
  const config = parseBertConfig(
    {
      architectures: ['BertModel'],
      model_type: 'bert',
      vocab_size: vocabularySize,
      hidden_size: options.shape.hidden,
      num_hidden_layers: options.shape.layers,
      num_attention_heads: options.shape.attentionHeads,
      intermediate_size: options.shape.intermediate,
      hidden_act: 'gelu',
      hidden_dropout_prob: 0.1,
      attention_probs_dropout_prob: 0.1,
      max_position_embeddings: options.shape.maxPositions,
      type_vocab_size: 2,
      initializer_range: 0.02,
      layer_norm_eps: 1e-12,
      pad_token_id: 0,
      position_embedding_type: 'absolute',
      torch_dtype: options.dtype === 'F16' ? 'float16' : 'float32',
    },
    path.join(options.out, 'config.json'),
  );
  await writeFileAtomic(path.join(options.out, WEIGHTS_FILE), randomWeights(config, options.seed, options.dtype ?? 'F32'));
  await writeFileAtomic(path.join(options.out, 'config.json'), `${JSON.stringify(config, null, 2)}\n`);
  await writeFileAtomic(path.join(options.out, POOLING_CONFIG_FILE), `${JSON.stringify(meanPoolingConfig(config.hidden_size), null, 2)}\n`);
  await writeFileAtomic(path.join(options.out, 'sentence_bert_config.json'), `${JSON.stringify({ max_seq_length: maxSeqLength, do_lower_case: false }, null, 2)}\n`);
  const modules = [
    { idx: 0, name: '0', path: '', type: 'sentence_transformers.models.Transformer' },
    { idx: 1, name: '1', path: '1_Pooling', type: 'sentence_transformers.models.Pooling' },
  ];
  await writeFileAtomic(path.join(options.out, 'modules.json'), `${JSON.stringify(modules, null, 2)}\n`);
  return config;
}

function randomWeights(config: BertConfig, seed: number, dtype: 'F32' | 'F16'): Uint8Array {
  const random = new SeededNormal(seed);
  const specs = [...encoderWeightSpecs(config), ...poolerWeightSpecs(config)];
  const tensors: TensorToWrite[] = specs.map((spec) => {
    const values = initialValues(spec.init, elementCount(spec.shape), config.initializer_range, random);
    // BertEmbeddings' padding_idx row starts at zero, as in Hugging Face's initialization.
    if (spec.name === 'embeddings.word_embeddings.weight') values.fill(0, config.pad_token_id * config.hidden_size, (config.pad_token_id + 1) * config.hidden_size);
    return { name: spec.name, dtype, shape: spec.shape, bytes: encodeFloats(values, dtype) };
  });
  return serializeSafetensors(tensors, { format: 'pt' });
}

/** Writes the tokenizer files and returns the vocabulary size. */
async function writeTokenizer(source: TokenizerSource, out: string, maxSeqLength: number): Promise<number> {
  if (source.kind === 'corpus') {
    if (source.lines.every((line) => line.trim() === '')) throw new ThawError('the corpus for the vocabulary is empty');
    const vocabulary = buildVocabulary(source.lines, source.vocabularySize);
    for (const [file, text] of Object.entries(tokenizerFiles(vocabulary, maxSeqLength))) await writeFileAtomic(path.join(out, file), text);
    return vocabulary.length;
  }
  const tokenizerFile = path.join(source.folder, 'tokenizer.json');
  const tokenizer = (await readJson(tokenizerFile, 'the tokenizer folder needs tokenizer.json')) as { model?: { vocab?: Record<string, number> } };
  const ids = Object.values(tokenizer.model?.vocab ?? {});
  if (ids.length === 0) throw new ThawError('has no model.vocab; Thaw needs a WordPiece tokenizer.json', tokenizerFile);
  for (const file of COMPANION_FILES.filter((name) => name.startsWith('tokenizer') || name === 'special_tokens_map.json' || name === 'vocab.txt')) {
    const from = path.join(source.folder, file);
    if (existsSync(from)) await writeFileAtomic(path.join(out, file), await fs.readFile(from));
  }
  return Math.max(...ids) + 1;
}
