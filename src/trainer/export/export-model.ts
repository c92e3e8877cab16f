// `thaw export`: a run's checkpoint, a checkpoint or a model folder as one folder that Python
// (sentence-transformers, transformers) and transformers.js load as it is. Nothing here starts
// TensorFlow.js: the weights go from file to file.

import * as path from 'node:path';
import { readModelFolder } from '../model/model-folder';
import { resolveExportSource } from './export-source';
import { modelCard } from './model-card';
import { onnxFiles } from './onnx-files';
import { readRunHistory } from './run-history';
import { exportedWeights, sentenceTransformersFiles, tokenizerFiles, type ExportFiles } from './sentence-transformers-files';
import { checkExportTarget, writeExportFolder } from './write-export-folder';

export const EXPORT_FORMATS = ['all', 'sentence-transformers', 'onnx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportOptions {
  readonly source: string;
  readonly out: string;
  readonly format: ExportFormat;
  /** Replace a non-empty --out. */
  readonly force: boolean;
  readonly onProgress?: (message: string) => void;
  /** Stops the export before it renames its folder into place; nothing is left behind. */
  readonly signal?: AbortSignal;
}

export interface ExportResult {
  readonly folder: string;
  /** What was exported: the checkpoint or model folder. */
  readonly modelFolder: string;
  readonly files: readonly string[];
}

/**
 * Exports SOURCE into the folder `out`; the same checkpoint gives the same bytes.
 *
 * @example await exportModel({ source: 'runs/20261201-091500-demo', out: 'exported', format: 'all', force: false })
 */
export async function exportModel(options: ExportOptions): Promise<ExportResult> {
  const report = options.onProgress ?? (() => undefined);
  await checkExportTarget(options.out, options.force, options.source);
  const source = await resolveExportSource(options.source);
  report(`reading ${source.modelFolder}`);
  const folder = await readModelFolder(source.modelFolder);
  const history = source.run === undefined ? undefined : await readRunHistory(source.run.folder, source.run.position, folder.config.num_hidden_layers);
  const maxSeqLength = Math.min(history?.maxSeqLength ?? folder.maxSeqLength, folder.config.max_position_embeddings);
  const weights = exportedWeights(folder);

  const sentenceTransformers = options.format !== 'onnx';
  const onnx = options.format !== 'sentence-transformers';
  const files: ExportFiles = sentenceTransformers
    ? await sentenceTransformersFiles(folder, weights, maxSeqLength)
    : new Map([['config.json', `${JSON.stringify({ ...folder.config, model_type: 'bert', architectures: ['BertModel'] }, null, 2)}\n`], ...(await tokenizerFiles(folder.path, maxSeqLength))]);
  if (onnx) for (const [file, contents] of onnxFiles(folder.config, weights, report)) files.set(file, contents);
  files.set(
    'README.md',
    modelCard({
      folderName: path.basename(path.resolve(options.out)),
      sourceName: path.basename(source.modelFolder),
      hiddenSize: folder.config.hidden_size,
      numLayers: folder.config.num_hidden_layers,
      maxSeqLength,
      heads: weights.heads,
      onnx,
      sentenceTransformers,
      ...(history === undefined ? {} : { history }),
    }),
  );
  report(`writing ${files.size} files into ${path.resolve(options.out)}`);
  await writeExportFolder(options.out, files, options.signal);
  return { folder: path.resolve(options.out), modelFolder: source.modelFolder, files: [...files.keys()].sort() };
}
