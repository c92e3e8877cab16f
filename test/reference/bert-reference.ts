// An independent reference for Thaw's encoder: BERT written from the published formulas
// (Devlin et al. 2019; Hugging Face's BertModel: post-LayerNorm, exact GELU, mean pooling as
// sentence-transformers) in plain float64 loops over one unpadded sentence. It shares no code
// with src/: it reads config.json and F32 model.safetensors with its own few lines, and uses
// no TensorFlow.js, so a mistake in the engine cannot hide in both.

import { readFileSync } from 'node:fs';
import * as path from 'node:path';

type Matrix = Float64Array; // row-major

interface ReferenceConfig {
  hidden_size: number;
  num_hidden_layers: number;
  num_attention_heads: number;
  intermediate_size: number;
  layer_norm_eps: number;
}

function readF32Safetensors(file: string): Map<string, { shape: number[]; values: Float64Array }> {
  const bytes = readFileSync(file);
  const headerLength = Number(bytes.readBigUInt64LE(0));
  const header = JSON.parse(bytes.subarray(8, 8 + headerLength).toString('utf8')) as Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }>;
  const tensors = new Map<string, { shape: number[]; values: Float64Array }>();
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__' || entry.dtype !== 'F32') continue;
    const start = 8 + headerLength + entry.data_offsets[0];
    const count = (entry.data_offsets[1] - entry.data_offsets[0]) / 4;
    const values = new Float64Array(count);
    for (let i = 0; i < count; i++) values[i] = bytes.readFloatLE(start + 4 * i);
    tensors.set(name, { shape: entry.shape, values });
  }
  return tensors;
}

/** erf by its Maclaurin series; for |x| > 4, 1 - erf(|x|) < 1.6e-8, so ±1 is within that. */
export function erf(x: number): number {
  if (Math.abs(x) > 4) return Math.sign(x);
  let term = x;
  let sum = x;
  for (let n = 1; n < 200; n++) {
    term *= (-x * x) / n;
    const next = term / (2 * n + 1);
    sum += next;
    if (Math.abs(next) < 1e-17) break;
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}

export class ReferenceBert {
  private readonly config: ReferenceConfig;
  private readonly weights: Map<string, { shape: number[]; values: Float64Array }>;

  constructor(folder: string) {
    this.config = JSON.parse(readFileSync(path.join(folder, 'config.json'), 'utf8')) as ReferenceConfig;
    this.weights = readF32Safetensors(path.join(folder, 'model.safetensors'));
  }

  private w(name: string): Float64Array {
    const tensor = this.weights.get(name);
    if (tensor === undefined) throw new Error(`reference: no ${name}`);
    return tensor.values;
  }

  /** [embeddings output, layer 1 output, ..., layer N output], each [tokens x hidden]. */
  hiddenStates(ids: readonly number[]): Matrix[] {
    const { hidden_size: hidden, num_hidden_layers: layers } = this.config;
    const tokens = ids.length;
    const word = this.w('embeddings.word_embeddings.weight');
    const position = this.w('embeddings.position_embeddings.weight');
    const tokenType = this.w('embeddings.token_type_embeddings.weight');
    let x: Matrix = new Float64Array(tokens * hidden);
    for (let t = 0; t < tokens; t++) {
      for (let h = 0; h < hidden; h++) {
        x[t * hidden + h] = word[ids[t] * hidden + h] + position[t * hidden + h] + tokenType[h];
      }
    }
    x = this.layerNorm(x, tokens, 'embeddings.LayerNorm');
    const states = [x];
    for (let layer = 0; layer < layers; layer++) {
      x = this.layer(x, tokens, `encoder.layer.${layer}`);
      states.push(x);
    }
    return states;
  }

  /** The mean of the last hidden state's token vectors. */
  meanPooled(ids: readonly number[]): Float64Array {
    const last = this.hiddenStates(ids).at(-1)!;
    const hidden = this.config.hidden_size;
    const pooled = new Float64Array(hidden);
    for (let t = 0; t < ids.length; t++) for (let h = 0; h < hidden; h++) pooled[h] += last[t * hidden + h] / ids.length;
    return pooled;
  }

  private layer(x: Matrix, tokens: number, prefix: string): Matrix {
    const { hidden_size: hidden, num_attention_heads: heads, intermediate_size: intermediate } = this.config;
    const size = hidden / heads;
    const q = this.linear(x, tokens, hidden, hidden, `${prefix}.attention.self.query`);
    const k = this.linear(x, tokens, hidden, hidden, `${prefix}.attention.self.key`);
    const v = this.linear(x, tokens, hidden, hidden, `${prefix}.attention.self.value`);
    const context = new Float64Array(tokens * hidden);
    for (let head = 0; head < heads; head++) {
      for (let t = 0; t < tokens; t++) {
        const scores = new Float64Array(tokens);
        for (let s = 0; s < tokens; s++) {
          let dot = 0;
          for (let d = 0; d < size; d++) dot += q[t * hidden + head * size + d] * k[s * hidden + head * size + d];
          scores[s] = dot / Math.sqrt(size);
        }
        const max = Math.max(...scores);
        let total = 0;
        for (let s = 0; s < tokens; s++) total += (scores[s] = Math.exp(scores[s] - max));
        for (let s = 0; s < tokens; s++) {
          const p = scores[s] / total;
          for (let d = 0; d < size; d++) context[t * hidden + head * size + d] += p * v[s * hidden + head * size + d];
        }
      }
    }
    const attentionOut = this.linear(context, tokens, hidden, hidden, `${prefix}.attention.output.dense`);
    for (let i = 0; i < attentionOut.length; i++) attentionOut[i] += x[i];
    const attended = this.layerNorm(attentionOut, tokens, `${prefix}.attention.output.LayerNorm`);
    const inner = this.linear(attended, tokens, hidden, intermediate, `${prefix}.intermediate.dense`);
    for (let i = 0; i < inner.length; i++) inner[i] = 0.5 * inner[i] * (1 + erf(inner[i] / Math.SQRT2));
    const out = this.linear(inner, tokens, intermediate, hidden, `${prefix}.output.dense`);
    for (let i = 0; i < out.length; i++) out[i] += attended[i];
    return this.layerNorm(out, tokens, `${prefix}.output.LayerNorm`);
  }

  /** y = x W^T + b, W stored [out, in] as in PyTorch. */
  private linear(x: Matrix, tokens: number, inputs: number, outputs: number, prefix: string): Matrix {
    const weight = this.w(`${prefix}.weight`);
    const bias = this.w(`${prefix}.bias`);
    const y = new Float64Array(tokens * outputs);
    for (let t = 0; t < tokens; t++) {
      for (let o = 0; o < outputs; o++) {
        let sum = bias[o];
        for (let i = 0; i < inputs; i++) sum += x[t * inputs + i] * weight[o * inputs + i];
        y[t * outputs + o] = sum;
      }
    }
    return y;
  }

  private layerNorm(x: Matrix, tokens: number, prefix: string): Matrix {
    const hidden = this.config.hidden_size;
    const gamma = this.w(`${prefix}.weight`);
    const beta = this.w(`${prefix}.bias`);
    const y = new Float64Array(x.length);
    for (let t = 0; t < tokens; t++) {
      let mean = 0;
      for (let h = 0; h < hidden; h++) mean += x[t * hidden + h] / hidden;
      let variance = 0;
      for (let h = 0; h < hidden; h++) variance += (x[t * hidden + h] - mean) ** 2 / hidden;
      for (let h = 0; h < hidden; h++) {
        y[t * hidden + h] = ((x[t * hidden + h] - mean) / Math.sqrt(variance + this.config.layer_norm_eps)) * gamma[h] + beta[h];
      }
    }
    return y;
  }
}
