// Dropout masks from one counter-based generator (DECISIONS: "Dropout masks"), shared by both
// training engines: a mask is a pure function of (seed, step, stream, site) and each value of a
// position in it, so tfjs and ONNX Runtime apply the same masks and a resumed run draws what an
// uninterrupted one would have, with no generator state to save. The hash is MurmurHash3's
// 32-bit finalizer, twice per position, four positions at a time in WebAssembly SIMD
// (kernels/array-kernels.wat): ~10 M values a MiniLM batch.

import { arrayKernels } from '../kernels/array-kernels';

/** Which masks: the run's seed, the global step, and the stream (the task batch) within the step. */
export interface DropoutKey {
  readonly seed: number;
  readonly step: number;
  /** Separates the task batches of one step (e.g. the task key), which draw independently. */
  readonly stream: string;
}

/**
 * A scaled mask of `size` values for one dropout site (its graph input name, e.g.
 * `encoder.layer.0.attention.self.dropout`): 1 / (1 - rate) where kept, else 0; kept with
 * probability 1 - rate.
 *
 * @example dropoutMask({ seed: 42, step: 7, stream: 'a' }, 'embeddings.dropout', 16 * 64 * 384, 0.1)
 */
export function dropoutMask(key: DropoutKey, site: string, size: number, rate: number): Float32Array {
  if (!(rate >= 0 && rate < 1)) throw new RangeError(`dropout rate must be in [0, 1), got ${rate}`);
  const mask = new Float32Array(size);
  const text = `${key.seed}:${key.step}:${key.stream}:${site}`;
  const first = stringHash(text, 0x243f6a88);
  const second = stringHash(text, 0x85a308d3);
  // u = (h >>> 8) / 2^24 in [0, 1); kept where u >= rate, as tf.dropout keeps where its uniform
  // draw >= rate: for the integer h >>> 8, where it reaches ceil(rate * 2^24).
  arrayKernels().dropoutMask(mask, first, second, Math.ceil(rate * 16777216), 1 / (1 - rate));
  return mask;
}

/** MurmurHash3's fmix32: a bijection of 32-bit words with full avalanche. */
function finalize(word: number): number {
  let h = word;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** FNV-1a over UTF-16 code units from `basis`, then finalized. */
function stringHash(text: string, basis: number): number {
  let h = basis >>> 0;
  for (let index = 0; index < text.length; index++) h = Math.imul(h ^ text.charCodeAt(index), 0x01000193);
  return finalize(h >>> 0);
}
