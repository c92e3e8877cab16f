// onnx/ of an exported folder, where transformers.js looks for it: the encoder in float32
// (model.onnx), the same with int8 matrix products (model_quantized.onnx, transformers.js'
// default), and the heads over the pooled embedding (heads.onnx). The builders give the same
// bytes for the same weights.

import type { BertConfig } from '../../core/model/bert-config';
import { buildEncoderModel } from '../onnx/bert-graph';
import { buildHeadsModel } from '../onnx/heads-graph';
import { quantizeDynamic } from '../onnx/quantize';
import type { ExportFiles, ExportedWeights } from './sentence-transformers-files';

export const ONNX_MODEL = 'onnx/model.onnx';
export const ONNX_QUANTIZED_MODEL = 'onnx/model_quantized.onnx';
export const ONNX_HEADS_MODEL = 'onnx/heads.onnx';

/** The onnx/ files; `report` hears of each before it is built (the encoder takes seconds). */
export function onnxFiles(config: BertConfig, weights: ExportedWeights, report: (message: string) => void): ExportFiles {
  const files: ExportFiles = new Map();
  report(`building ${ONNX_MODEL} (float32)`);
  // last_hidden_state only, as transformers.js' feature-extraction pipeline reads it and pools itself.
  const encoder = buildEncoderModel(config, weights.encoder);
  files.set(ONNX_MODEL, encoder);
  report(`quantizing it to ${ONNX_QUANTIZED_MODEL} (int8)`);
  files.set(ONNX_QUANTIZED_MODEL, quantizeDynamic(encoder));
  if (weights.heads.length > 0) {
    report(`building ${ONNX_HEADS_MODEL} (${weights.heads.map((head) => head.name).join(', ')})`);
    files.set(ONNX_HEADS_MODEL, buildHeadsModel(weights.heads, config.hidden_size));
  }
  return files;
}
