// A WordPiece tokenizer built from a text corpus, written as the same files a BERT model
// folder has (tokenizer.json, tokenizer_config.json, special_tokens_map.json, vocab.txt), so
// generated models need no download. Words are split as BERT's basic tokenizer splits them
// (lower case, accents stripped, punctuation on its own); every character seen gets a token,
// alone and as a "##" continuation, so any corpus word can be spelt; then the most frequent
// whole words fill the vocabulary.

export const SPECIAL_TOKENS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'] as const;

/** BERT's basic tokenization: lower case, no accents, whitespace and punctuation split. */
export function basicTokens(text: string): string[] {
  const normalized = text.normalize('NFD').replace(/\p{Mn}/gu, '').toLowerCase();
  // BERT counts all ASCII non-alphanumerics as punctuation, and Unicode's P categories.
  return normalized.split(/\s+/u).flatMap((word) => word.split(/([\p{P}!-/:-@[-`{-~])/u)).filter((token) => token.length > 0);
}

/**
 * The vocabulary for `corpus` lines, at most `maxSize` entries: special tokens, characters,
 * "##" characters, then whole words by falling frequency (ties alphabetical).
 *
 * @example buildVocabulary(['Hello world!'], 100) // ['[PAD]', ..., '!', 'd', 'e', ..., '##!', ..., 'hello', 'world']
 */
export function buildVocabulary(corpus: readonly string[], maxSize: number): string[] {
  const wordCounts = new Map<string, number>();
  const characters = new Set<string>();
  for (const line of corpus) {
    for (const word of basicTokens(line)) {
      wordCounts.set(word, (wordCounts.get(word) ?? 0) + 1);
      for (const character of word) characters.add(character);
    }
  }
  const sortedCharacters = [...characters].sort();
  const vocabulary: string[] = [...SPECIAL_TOKENS, ...sortedCharacters, ...sortedCharacters.map((character) => `##${character}`)];
  if (vocabulary.length > maxSize) {
    throw new Error(`a vocabulary of ${maxSize} cannot hold the ${characters.size} distinct characters of the corpus twice plus ${SPECIAL_TOKENS.length} special tokens`);
  }
  const known = new Set(vocabulary);
  const words = [...wordCounts.entries()].filter(([word]) => !known.has(word)).sort(([a, countA], [b, countB]) => countB - countA || (a < b ? -1 : 1));
  for (const [word] of words) {
    if (vocabulary.length >= maxSize) break;
    vocabulary.push(word);
  }
  return vocabulary;
}

/** The four tokenizer files of a BERT uncased model folder, for `vocabulary`. */
export function tokenizerFiles(vocabulary: readonly string[], modelMaxLength: number): Record<string, string> {
  const id = (token: string): number => vocabulary.indexOf(token);
  const special = (token: string): Record<string, unknown> => ({ id: id(token), content: token, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });
  const tokenizerJson = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SPECIAL_TOKENS.map(special),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } }],
      pair: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } }, { SpecialToken: { id: '[SEP]', type_id: 1 } },
      ],
      special_tokens: {
        '[CLS]': { id: '[CLS]', ids: [id('[CLS]')], tokens: ['[CLS]'] },
        '[SEP]': { id: '[SEP]', ids: [id('[SEP]')], tokens: ['[SEP]'] },
      },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab: Object.fromEntries(vocabulary.map((token, index) => [token, index])),
    },
  };
  const tokenizerConfig = {
    tokenizer_class: 'BertTokenizer',
    do_lower_case: true,
    do_basic_tokenize: true,
    tokenize_chinese_chars: true,
    strip_accents: null,
    unk_token: '[UNK]', sep_token: '[SEP]', pad_token: '[PAD]', cls_token: '[CLS]', mask_token: '[MASK]',
    model_max_length: modelMaxLength,
  };
  const specialTokensMap = { unk_token: '[UNK]', sep_token: '[SEP]', pad_token: '[PAD]', cls_token: '[CLS]', mask_token: '[MASK]' };
  return {
    'tokenizer.json': JSON.stringify(tokenizerJson),
    'tokenizer_config.json': `${JSON.stringify(tokenizerConfig, null, 2)}\n`,
    'special_tokens_map.json': `${JSON.stringify(specialTokensMap, null, 2)}\n`,
    'vocab.txt': `${vocabulary.join('\n')}\n`,
  };
}
