// The official ONNX checker (full_check, with shape inference) accepts every model Thaw
// builds: the encoder with and without pooling, both quantized forms, and the heads.

import { after, before, test } from 'node:test';
import { readModelFolder, type ModelFolder } from '../../src/trainer/model/model-folder';
import { encoderWeightArrays } from '../../src/trainer/model/weight-arrays';
import { buildEncoderModel } from '../../src/trainer/onnx/bert-graph';
import { buildHeadsModel } from '../../src/trainer/onnx/heads-graph';
import { quantizeDynamic } from '../../src/trainer/onnx/quantize';
import { checkOnnxModel, onnxCheckerSkip } from '../helpers/onnx-checker';
import { temporaryFolder, writeTinyModel } from '../helpers/tiny-model';

const skip = onnxCheckerSkip();
const workspace = temporaryFolder();
let folder: ModelFolder;
let weights: Map<string, Float32Array>;

before(async () => {
  folder = await readModelFolder(await writeTinyModel(workspace.folder));
  weights = encoderWeightArrays(folder);
});

after(() => workspace.cleanup());

test('the checker accepts the encoder, with and without pooling', { skip }, () => {
  checkOnnxModel(buildEncoderModel(folder.config, weights), workspace.folder, 'encoder.onnx');
  checkOnnxModel(buildEncoderModel(folder.config, weights, { pooled: true }), workspace.folder, 'encoder-pooled.onnx');
});

test('the checker accepts both quantized encoders', { skip }, () => {
  const model = buildEncoderModel(folder.config, weights, { pooled: true });
  checkOnnxModel(quantizeDynamic(model), workspace.folder, 'encoder-uint8.onnx');
  checkOnnxModel(quantizeDynamic(model, { weightType: 'int8' }), workspace.folder, 'encoder-int8.onnx');
});

test('the checker accepts the heads model', { skip }, () => {
  const hidden = folder.config.hidden_size;
  const heads = buildHeadsModel(
    [
      { name: 'task_a_head', labels: ['x', 'y', 'z'], weight: new Float32Array(3 * hidden).fill(0.1), bias: new Float32Array(3) },
      { name: 'task_b_head', labels: ['no', 'yes'], weight: new Float32Array(2 * hidden).fill(-0.1), bias: new Float32Array(2) },
    ],
    hidden,
  );
  checkOnnxModel(heads, workspace.folder, 'heads.onnx');
});
