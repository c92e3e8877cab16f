import { parseArgs } from 'node:util';
import { UsageError } from '../../core/errors';
import { EXPORT_FORMATS, exportModel, type ExportFormat } from '../export/export-model';
import { ProgressLine } from './progress-line';

const HELP = `Usage: thaw export SOURCE --out DIR [--format all|sentence-transformers|onnx] [--force]

Writes SOURCE (a run folder: its latest checkpoint; a checkpoint folder; or a model folder) as
one folder that both worlds load as it is:
  DIR/            sentence-transformers and transformers (BertModel): config.json,
                  model.safetensors, heads.safetensors (labels in its metadata), the tokenizer,
                  modules.json, 1_Pooling/, and README.md, the model card
  DIR/onnx/       transformers.js: model.onnx (float32), model_quantized.onnx (int8, its
                  default), heads.onnx (pooled embedding -> each head's logits)
--format sentence-transformers leaves out onnx/; --format onnx writes only what transformers.js
needs. DIR must not exist or be empty; --force replaces it. The same checkpoint gives the same
bytes. Prints the folder on stdout.
`;

export async function runExportCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      format: { type: 'string' },
      force: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  if (positionals.length !== 1) throw new UsageError(`expected one SOURCE (a run, checkpoint or model folder), got ${positionals.length}; see thaw export --help`);
  if (values.out === undefined) throw new UsageError('--out DIR is required; see thaw export --help');
  const format = values.format ?? 'all';
  if (!(EXPORT_FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be one of ${EXPORT_FORMATS.join(', ')}, got "${format}"`);

  const progress = new ProgressLine();
  const started = Date.now();
  // The extension's Cancel (SIGTERM) or Ctrl+C: stop, and leave nothing half-written.
  const abort = new AbortController();
  const stop = () => abort.abort();
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  const result = await exportModel({
    source: positionals[0],
    out: values.out,
    format: format as ExportFormat,
    force: values.force === true,
    onProgress: (message) => progress.done(`thaw export: ${message}`),
    signal: abort.signal,
  });
  progress.done(`thaw export: wrote ${result.files.length} files into ${result.folder} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  process.stdout.write(`${result.folder}\n`);
}
