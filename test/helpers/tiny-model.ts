// Small model folders generated with a fixed seed, as transformers.js tests use tiny random
// models: real layout, real tokenizer files, weights nobody has to download.

import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateModelFolder, type GenerateOptions, type ModelShape } from '../../src/trainer/init/generate-model-folder';

/** A few sentences to build the vocabulary from; words outside it still tokenize (by characters). */
export const TINY_CORPUS = [
  'What is the capital city of France?',
  'How many legs does a spider have?',
  'Who wrote the first cookbook for home bakers?',
  'The soup was cold and the service slow.',
  'An absolutely wonderful little hotel, we will come back!',
  'Not bad at all, though the ending dragged.',
  'Where do the swallows go in winter?',
  'Why does bread rise in a warm kitchen?',
];

export const TINY_SHAPE: ModelShape = { layers: 2, hidden: 32, attentionHeads: 4, intermediate: 64, maxPositions: 64 };

/** A fresh temporary folder, removed by the returned cleanup. */
export function temporaryFolder(prefix = 'thaw-test-'): { folder: string; cleanup: () => void } {
  const folder = mkdtempSync(path.join(os.tmpdir(), prefix));
  return { folder, cleanup: () => rmSync(folder, { recursive: true, force: true }) };
}

/** Writes a tiny model folder (2 layers, hidden 32) into `folder`. */
export async function writeTinyModel(folder: string, overrides: Partial<GenerateOptions> = {}): Promise<string> {
  await generateModelFolder({
    out: folder,
    shape: TINY_SHAPE,
    seed: 7,
    tokenizer: { kind: 'corpus', lines: TINY_CORPUS, vocabularySize: 400 },
    maxSeqLength: 48,
    ...overrides,
  });
  return folder;
}
