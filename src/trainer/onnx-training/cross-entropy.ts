// Softmax cross-entropy averaged over the batch, as tf.losses.softmaxCrossEntropy (no label
// smoothing, no weights), times the task's loss weight, and its gradient w.r.t. the logits.

import type { GraphBuilder } from '../onnx/graph-builder';

export interface CrossEntropyResult {
  /** The scalar mean cross-entropy of the batch. */
  readonly taskLoss: string;
  /** taskLoss * lossWeight: what the step's total sums over tasks. */
  readonly loss: string;
  readonly logProbabilities: string;
}

export interface CrossEntropyOutputs {
  readonly taskLoss: string;
  readonly loss: string;
}

/** `labels` is one-hot (or any distribution) float [batch, classes]; `lossWeight` a float scalar. */
export function crossEntropyForward(builder: GraphBuilder, logits: string, labels: string, lossWeight: string, outputs: CrossEntropyOutputs): CrossEntropyResult {
  return builder.scoped('cross_entropy', () => {
    const logProbabilities = builder.op('LogSoftmax', [logits], { attributes: { axis: -1 } });
    const rows = builder.op('ReduceSum', [builder.op('Mul', [labels, logProbabilities]), builder.int64([-1])], { attributes: { keepdims: 0 } });
    const taskLoss = builder.op('Neg', [builder.op('ReduceMean', [rows], { attributes: { axes: [0], keepdims: 0 } })], { output: outputs.taskLoss });
    const loss = builder.op('Mul', [taskLoss, lossWeight], { output: outputs.loss });
    return { taskLoss, loss, logProbabilities };
  });
}

/** d(lossWeight * mean CE)/dlogits = (softmax(logits) - labels) * lossWeight / batch. */
export function crossEntropyBackward(builder: GraphBuilder, saved: CrossEntropyResult, labels: string, lossWeight: string): string {
  return builder.scoped('cross_entropy_grad', () => {
    const batch = builder.op('Cast', [builder.op('Gather', [builder.op('Shape', [labels]), builder.int64([0], true)], { attributes: { axis: 0 } })], { attributes: { to: 1 } });
    const difference = builder.op('Sub', [builder.op('Exp', [saved.logProbabilities]), labels]);
    return builder.op('Mul', [difference, builder.op('Div', [lossWeight, batch])]);
  });
}
