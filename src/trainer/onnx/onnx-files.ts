// The ONNX files of a model folder, where transformers.js looks for them: onnx/model.onnx
// (float32) and onnx/model_quantized.onnx (int8, its default), both with last_hidden_state as
// transformers.js' feature-extraction pipeline expects, plus Thaw's onnx/heads.onnx.

import * as path from 'node:path';
import type { BertConfig } from '../../core/model/bert-config';
import { writeFileAtomic } from '../../core/io/atomic-write';
import { buildEncoderModel } from './bert-graph';
import { buildHeadsModel, type OnnxHead } from './heads-graph';
import { quantizeDynamic } from './quantize';

export const ONNX_FOLDER = 'onnx';
export const ONNX_MODEL_FILE = path.join(ONNX_FOLDER, 'model.onnx');
export const ONNX_QUANTIZED_FILE = path.join(ONNX_FOLDER, 'model_quantized.onnx');
export const ONNX_HEADS_FILE = path.join(ONNX_FOLDER, 'heads.onnx');

export interface OnnxExport {
  readonly config: BertConfig;
  /** Encoder weights by Hugging Face name (encoderWeightArrays or parameterWeightArrays). */
  readonly weights: ReadonlyMap<string, Float32Array>;
  /** Heads to write to onnx/heads.onnx; none, no file. */
  readonly heads?: readonly OnnxHead[];
}

/**
 * Writes the encoder (float32 and quantized) and the heads under `folder`/onnx/, each file
 * atomically. Returns the paths written.
 *
 * @example await writeOnnxFiles('models/minilm', { config: folder.config, weights: encoderWeightArrays(folder) })
 */
export async function writeOnnxFiles(folder: string, files: OnnxExport): Promise<string[]> {
  // Pooling is left to the reader (transformers.js pools itself); OrtEncoder builds its own pooled graph.
  const encoder = buildEncoderModel(files.config, files.weights);
  const outputs: [string, Uint8Array][] = [
    [ONNX_MODEL_FILE, encoder],
    [ONNX_QUANTIZED_FILE, quantizeDynamic(encoder)],
  ];
  if (files.heads !== undefined && files.heads.length > 0) outputs.push([ONNX_HEADS_FILE, buildHeadsModel(files.heads, files.config.hidden_size)]);
  for (const [file, bytes] of outputs) await writeFileAtomic(path.join(folder, file), bytes);
  return outputs.map(([file]) => path.join(folder, file));
}
