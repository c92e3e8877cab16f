import { parseArgs } from 'node:util';
import { initBackend } from '../backend/tensorflow';
import { UsageError } from '../../core/errors';
import { embedSentences } from '../embed-sentences';
import { readTextLines } from '../../core/io/read-text-lines';
import { describeLoadProgress, loadSentenceModel } from '../model/load-sentence-model';
import { integerOption } from './options';
import { ProgressLine } from './progress-line';

const HELP = `Usage: thaw embed --model DIR_OR_HUB_ID FILE [--max-seq-length N] [--batch-size N]

Prints one JSON line per line of FILE: {"text": ..., "embedding": [...]}, the mean-pooled,
unnormalized sentence embedding (inference mode). --max-seq-length defaults to the model
folder's (128 for paraphrase-MiniLM-L6-v2).
`;

export async function runEmbedCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      model: { type: 'string' },
      'max-seq-length': { type: 'string' },
      'batch-size': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  if (values.model === undefined) throw new UsageError(`--model is required\n\n${HELP}`);
  if (positionals.length !== 1) throw new UsageError(`expected one input FILE, got ${positionals.length}\n\n${HELP}`);
  const batchSize = values['batch-size'] === undefined ? 32 : integerOption(values['batch-size'], 'batch-size', 1, 4096);
  const texts = await readTextLines(positionals[0]);

  const progress = new ProgressLine();
  process.stderr.write(`thaw: ${(await initBackend()).description}\n`);
  const model = await loadSentenceModel(values.model, { onProgress: (event) => progress.update(describeLoadProgress(event)) });
  try {
    const maxSeqLength = values['max-seq-length'] === undefined ? model.maxSeqLength : integerOption(values['max-seq-length'], 'max-seq-length', 2, model.config.max_position_embeddings);
    const embeddings = await embedSentences(model, texts, {
      batchSize,
      maxSeqLength,
      onProgress: (done, total) => progress.update(`embedding ${done}/${total} sentences`),
    });
    progress.done(`embedded ${texts.length} sentences (max ${maxSeqLength} tokens)`);
    const lines = texts.map((text, index) => JSON.stringify({ text, embedding: Array.from(embeddings[index]) }));
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await model.dispose();
  }
}
