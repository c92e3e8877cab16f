import { parseArgs } from 'node:util';
import { UsageError } from '../../core/errors';
import { readTextLines } from '../../core/io/read-text-lines';
import { embedSentences } from '../embed-sentences';
import { chooseEncoderEngine } from '../encoder/encoder-engine';
import { loadEmbeddingModel } from '../encoder/load-embedding-model';
import { describeLoadProgress } from '../model/model-source';
import { integerOption, threadsOption } from './options';
import { ProgressLine } from './progress-line';

const HELP = `Usage: thaw embed --model DIR_OR_HUB_ID FILE [--max-seq-length N] [--batch-size N] [--threads N]

Prints one JSON line per line of FILE: {"text": ..., "embedding": [...]}, the mean-pooled,
unnormalized sentence embedding (inference mode). --max-seq-length defaults to the model
folder's (128 for paraphrase-MiniLM-L6-v2). The encoder runs on ONNX Runtime with --threads
threads (default: every core); where ONNX Runtime does not load, or with THAW_ENCODER=tfjs,
on TensorFlow.js.
`;

export async function runEmbedCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      model: { type: 'string' },
      'max-seq-length': { type: 'string' },
      'batch-size': { type: 'string' },
      threads: { type: 'string' },
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
  const threads = threadsOption(values.threads);
  const texts = await readTextLines(positionals[0]);

  const progress = new ProgressLine();
  const engine = chooseEncoderEngine({ threads });
  if (engine.name === 'tfjs' && engine.fallback !== undefined) process.stderr.write(`thaw: ${engine.fallback}\n`);
  const model = await loadEmbeddingModel(values.model, engine, (event) => progress.update(describeLoadProgress(event)));
  try {
    progress.done(`thaw: encoder: ${model.encoder.description}`);
    const maxSeqLength = values['max-seq-length'] === undefined ? model.maxSeqLength : integerOption(values['max-seq-length'], 'max-seq-length', 2, model.maxPositions);
    const embeddings = await embedSentences(model, texts, {
      batchSize,
      maxSeqLength,
      onProgress: (done, total) => progress.update(`embedding ${done}/${total} sentences`),
    });
    progress.done(`embedded ${texts.length} sentences (max ${maxSeqLength} tokens)`);
    const lines = texts.map((text, index) => JSON.stringify({ text, embedding: Array.from(embeddings[index]) }));
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await model.encoder.dispose();
  }
}
