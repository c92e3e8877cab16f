// The training graph's shape of things: which dropout sites and gradient outputs a phase gets
// (as DropoutPlan and the trainer decide them), the ONNX checker on the graph, and summing two
// task batches' gradients.

import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { parseBertConfig } from '../../src/core/model/bert-config';
import { dropoutSites } from '../../src/trainer/onnx-training/dropout-sites';
import { addGradients } from '../../src/trainer/onnx-training/sum-gradients';
import { WORD_EMBEDDINGS, buildTrainingGraph } from '../../src/trainer/onnx-training/training-graph';
import { scatterAddRows } from '../../src/trainer/onnx-training/word-embedding-gradient';
import { checkOnnxModel, onnxCheckerSkip } from '../helpers/onnx-checker';
import { temporaryFolder } from '../helpers/tiny-model';

const config = parseBertConfig({ vocab_size: 50, hidden_size: 8, num_hidden_layers: 2, num_attention_heads: 2, intermediate_size: 16, max_position_embeddings: 16 }, 'test');
const workspace = temporaryFolder();

after(() => workspace.cleanup());

test('dropout sites only in trainable groups with a rate above 0, in forward order', () => {
  assert.deepEqual(
    dropoutSites(config, 'task_b_head', new Set(['layer.1', 'task_b_head', 'task_a_head'])).map((site) => site.input),
    ['encoder.layer.1.attention.self.dropout', 'encoder.layer.1.attention.output.dropout', 'encoder.layer.1.output.dropout', 'task_b_head.dropout'],
  );
  assert.deepEqual(dropoutSites({ ...config, attention_probs_dropout_prob: 0 }, 'task_a_head', new Set(['layer.0'])).map((site) => site.input), [
    'encoder.layer.0.attention.output.dropout',
    'encoder.layer.0.output.dropout',
  ]);
  assert.deepEqual(
    dropoutSites({ ...config, classifier_dropout: 0.3 }, 'task_a_head', new Set(['task_a_head'])).map((site) => site.rate),
    [0.3],
  );
});

test('gradient outputs for the trainable weights of this head only', () => {
  const graph = buildTrainingGraph({ config, head: 'task_a_head', classes: 3, trainable: new Set(['embeddings', 'task_b_head']) });
  assert.deepEqual(graph.trainableWeights, [WORD_EMBEDDINGS, 'embeddings.position_embeddings.weight', 'embeddings.token_type_embeddings.weight', 'embeddings.LayerNorm.weight', 'embeddings.LayerNorm.bias']);
  assert.equal(graph.weights.length, 5 + 2 * 16 + 2, 'every weight is an input, frozen ones too');
});

test('the ONNX checker accepts the training graph (opset 17)', { skip: onnxCheckerSkip() }, () => {
  const graph = buildTrainingGraph({ config, head: 'task_a_head', classes: 3, trainable: new Set(['embeddings', 'layer.0', 'layer.1', 'task_a_head']) });
  checkOnnxModel(graph.model, workspace.folder, 'training.onnx');
});

test('scatterAddRows sums rows of repeated ids; addGradients sums task batches', () => {
  const table = scatterAddRows([2, 0, 2], Float32Array.of(1, 2, 3, 4, 5, 6), 3, 2);
  assert.deepEqual([...table], [3, 4, 0, 0, 6, 8]);
  assert.throws(() => scatterAddRows([3], Float32Array.of(1, 2), 3, 2), /outside the vocabulary/);
  const total = new Map([['a', Float32Array.of(1, 2)]]);
  addGradients(total, new Map([['a', Float32Array.of(10, 20)], ['b', Float32Array.of(5)]]));
  assert.deepEqual([...total.get('a')!], [11, 22]);
  assert.deepEqual([...total.get('b')!], [5]);
});
