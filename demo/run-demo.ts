// The README's main job (`npm run demo`): load paraphrase-MiniLM-L6-v2 from the hub when it is
// reachable, else generate a model of the same shape with random weights (saying so), embed
// the demo sentences, and print their embeddings' sizes and pairwise cosine similarities.
// Until training lands, this is what Thaw's engine does end to end.

import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { initBackend } from '../src/trainer/backend/tensorflow';
import { embedSentences } from '../src/trainer/embed-sentences';
import { messageOf } from '../src/trainer/errors';
import { MINILM_SHAPE, generateModelFolder } from '../src/trainer/init/generate-model-folder';
import { readTextLines } from '../src/trainer/io/read-text-lines';
import { loadSentenceModel } from '../src/trainer/model/load-sentence-model';
import type { SentenceModel } from '../src/trainer/model/sentence-model';

const DEMO = path.resolve(__dirname, '../../demo');
const HUB_MODEL = 'sentence-transformers/paraphrase-MiniLM-L6-v2';

async function pretrainedOrGenerated(): Promise<SentenceModel> {
  try {
    const model = await loadSentenceModel(HUB_MODEL);
    console.error(`model: ${HUB_MODEL} (pretrained, from the hub or its cache)`);
    return model;
  } catch (error) {
    console.error(`model: the hub is not reachable (${messageOf(error).split('. ')[0]}).`);
  }
  const folder = path.join(DEMO, 'out', 'minilm-shape-random');
  if (!existsSync(path.join(folder, 'model.safetensors'))) {
    const corpus = ['questions-train.csv', 'reviews-train.csv'].flatMap((file) => readFileSync(path.join(DEMO, 'data', file), 'utf8').split('\n'));
    await generateModelFolder({ out: folder, shape: MINILM_SHAPE, seed: 42, tokenizer: { kind: 'corpus', lines: corpus, vocabularySize: 30522 } });
  }
  console.error(`model: GENERATED with random weights (MiniLM-L6 shape) in ${path.relative(process.cwd(), folder)}.`);
  console.error('       Similarities below show the pipeline runs; they carry no meaning until the model is pretrained or trained.');
  return loadSentenceModel(folder);
}

async function main(): Promise<void> {
  console.error(`thaw demo: ${(await initBackend()).description}`);
  const model = await pretrainedOrGenerated();
  try {
    const sentences = await readTextLines(path.join(DEMO, 'sentences.txt'));
    const start = performance.now();
    const embeddings = await embedSentences(model, sentences);
    console.log(`${sentences.length} sentences -> ${embeddings[0].length}-dimensional embeddings in ${Math.round(performance.now() - start)} ms\n`);
    console.log('cosine similarity:');
    sentences.forEach((sentence, i) => {
      const row = embeddings.map((other) => cosine(embeddings[i], other).toFixed(2).padStart(6)).join('');
      console.log(`${row}   ${i + 1}. ${sentence}`);
    });
  } finally {
    await model.dispose();
  }
}

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    normA += a[i] ** 2;
    normB += b[i] ** 2;
  }
  return dot / Math.sqrt(normA * normB);
}

main().catch((error: unknown) => {
  console.error(`thaw demo: ${messageOf(error)}`);
  process.exitCode = 1;
});
