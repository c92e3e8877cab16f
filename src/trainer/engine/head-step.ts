// A head's loss and gradients over pooled sentence embeddings, in JS: the ONNX Runtime engine's
// step while the encoder is frozen and its outputs come from the embedding cache, where running
// the training graph would recompute the encoder the cache exists to skip. As the graph's head:
// dropout (a given mask) on the pooled rows, x W^T + b, mean softmax cross-entropy, times the
// loss weight.

export interface HeadBatch {
  /** Pooled embeddings, row-major [rows, hidden]. */
  readonly pooled: Float32Array;
  readonly rows: number;
  readonly hidden: number;
  /** The head's weight [classes, hidden] (Hugging Face layout) and bias [classes]. */
  readonly weight: Float32Array;
  readonly bias: Float32Array;
  readonly labels: ArrayLike<number>;
  readonly lossWeight: number;
  /** A scaled dropout mask [rows, hidden], or none. */
  readonly mask?: Float32Array;
}

export interface HeadGradients {
  readonly taskLoss: number;
  readonly loss: number;
  /** d loss / d weight and d loss / d bias. */
  readonly weight: Float32Array;
  readonly bias: Float32Array;
}

/** @example const { loss, weight, bias } = headGradients({ pooled, rows: 16, hidden: 384, weight, bias, labels, lossWeight: 1 }) */
export function headGradients(batch: HeadBatch): HeadGradients {
  const { rows, hidden, weight, bias, labels, lossWeight, mask } = batch;
  const classes = bias.length;
  const x = mask === undefined ? batch.pooled : batch.pooled.map((value, index) => value * mask[index]);
  const dLogits = new Float64Array(rows * classes);
  let lossSum = 0;
  for (let row = 0; row < rows; row++) {
    const logits = new Float64Array(classes);
    for (let c = 0; c < classes; c++) {
      let sum = bias[c];
      for (let k = 0; k < hidden; k++) sum += x[row * hidden + k] * weight[c * hidden + k];
      logits[c] = sum;
    }
    const largest = Math.max(...logits);
    let total = 0;
    for (let c = 0; c < classes; c++) total += Math.exp(logits[c] - largest);
    const label = labels[row];
    lossSum += Math.log(total) + largest - logits[label];
    for (let c = 0; c < classes; c++) dLogits[row * classes + c] = ((Math.exp(logits[c] - largest) / total - (c === label ? 1 : 0)) / rows) * lossWeight;
  }
  const weightGradient = new Float32Array(classes * hidden);
  const biasGradient = new Float32Array(classes);
  for (let c = 0; c < classes; c++) {
    let biasSum = 0;
    for (let row = 0; row < rows; row++) biasSum += dLogits[row * classes + c];
    biasGradient[c] = biasSum;
    for (let k = 0; k < hidden; k++) {
      let sum = 0;
      for (let row = 0; row < rows; row++) sum += dLogits[row * classes + c] * x[row * hidden + k];
      weightGradient[c * hidden + k] = sum;
    }
  }
  const taskLoss = Math.fround(lossSum / rows);
  return { taskLoss, loss: Math.fround(taskLoss * lossWeight), weight: weightGradient, bias: biasGradient };
}
