// Experiments on a tiny generated model and the demo data that ships with Thaw: small enough
// that a whole training scenario runs in seconds.

import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { writeTinyModel } from './tiny-model';

export const DEMO_DATA = path.resolve(__dirname, '../../../demo/data');

export const DEMO_TASKS = {
  a: { name: 'question type', train: path.join(DEMO_DATA, 'questions-train.csv'), validation: path.join(DEMO_DATA, 'questions-validation.csv') },
  b: { name: 'sentiment', train: path.join(DEMO_DATA, 'reviews-train.csv'), validation: path.join(DEMO_DATA, 'reviews-validation.csv') },
};

/** The demo data's texts, for a vocabulary that covers them. */
export function demoCorpus(): string[] {
  return Object.values(DEMO_TASKS).flatMap((task) => readFileSync(task.train, 'utf8').split('\n'));
}

/**
 * Writes a small model (2 layers, hidden 128) into `folder`/model and returns its path. Wider
 * than the parity tests' model: random features of 32 dimensions are too few to learn the
 * demo tasks from.
 */
export async function tinyDemoModel(folder: string): Promise<string> {
  return writeTinyModel(path.join(folder, 'model'), {
    shape: { layers: 2, hidden: 128, attentionHeads: 4, intermediate: 256, maxPositions: 64 },
    tokenizer: { kind: 'corpus', lines: demoCorpus(), vocabularySize: 3000 },
    overwrite: true,
  });
}

/** Writes `<name>.thaw.json` in `folder` over the demo tasks; `settings` override the defaults. */
export function writeExperiment(folder: string, name: string, model: string, settings: Record<string, unknown>): string {
  const file = path.join(folder, `${name}.thaw.json`);
  const experiment = { name, model, tasks: DEMO_TASKS, batchSize: 16, seed: 42, output: path.join(folder, 'runs'), ...settings };
  writeFileSync(file, `${JSON.stringify(experiment, null, 2)}\n`);
  return file;
}
