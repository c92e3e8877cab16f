// Pooled sentence embeddings of a frozen encoder, computed once and kept on disk. While every
// encoder group is frozen the encoder runs in inference mode, so its output for a text is a
// pure function of (weights, text, max length): the cache key. Warm-up epochs then only run
// the heads. The frozen encoder fills it (ONNX Runtime where it loads); this module never
// loads TensorFlow.js.

import { createHash } from 'node:crypto';
import { existsSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { lengthBucketedBatches, padBatch } from '../data/padded-batch';
import { writeFileAtomic } from '../../core/io/atomic-write';
import type { FrozenEncoder } from '../encoder/frozen-encoder';

const DIGEST_BYTES = 32;

function textDigest(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export class EmbeddingCache {
  private constructor(
    private readonly file: string,
    private readonly hidden: number,
    private readonly entries: Map<string, Float32Array>,
  ) {}

  /** The cache for one encoder state (`encoderHash`) and max length, under `folder`. */
  static async open(folder: string, encoderHash: string, maxSeqLength: number, hidden: number): Promise<EmbeddingCache> {
    const file = path.join(folder, `${encoderHash}-len${maxSeqLength}-h${hidden}.bin`);
    const entries = new Map<string, Float32Array>();
    if (existsSync(file)) {
      const bytes = await fs.readFile(file);
      const record = DIGEST_BYTES + hidden * 4;
      // A file of the wrong size is ignored (and rewritten), never half-trusted.
      if (bytes.length % record === 0) {
        for (let offset = 0; offset < bytes.length; offset += record) {
          const vector = new Float32Array(hidden);
          new Uint8Array(vector.buffer).set(bytes.subarray(offset + DIGEST_BYTES, offset + record));
          entries.set(bytes.subarray(offset, offset + DIGEST_BYTES).toString('hex'), vector);
        }
      }
    }
    return new EmbeddingCache(file, hidden, entries);
  }

  get size(): number {
    return this.entries.size;
  }

  /**
   * Computes the embeddings of the texts not cached yet (inference mode, batched by length)
   * and saves the cache. `tokenIds[i]` are the ids of `texts[i]`. The encoder is opened only
   * when some text is missing (an ONNX Runtime session costs a second to build) and released
   * before this returns.
   */
  async fill(openEncoder: () => Promise<FrozenEncoder>, padTokenId: number, texts: readonly string[], tokenIds: readonly (readonly number[])[], onProgress: (done: number, total: number) => void): Promise<void> {
    const seen = new Set<string>();
    const missing: number[] = [];
    texts.forEach((text, index) => {
      const digest = textDigest(text);
      if (!this.entries.has(digest) && !seen.has(digest)) missing.push(index);
      seen.add(digest);
    });
    if (missing.length === 0) return;
    let done = 0;
    const encoder = await openEncoder();
    try {
      for (const batchIndices of lengthBucketedBatches(missing.map((index) => tokenIds[index].length), 64)) {
        const indices = batchIndices.map((position) => missing[position]);
        const values = await encoder.pooled(padBatch(indices.map((index) => tokenIds[index]), padTokenId));
        indices.forEach((index, row) => this.entries.set(textDigest(texts[index]), values.slice(row * this.hidden, (row + 1) * this.hidden)));
        done += indices.length;
        onProgress(done, missing.length);
      }
    } finally {
      await encoder.dispose();
    }
    await this.save();
  }

  /** Embeddings of `texts` as rows of one matrix [texts.length x hidden]. */
  matrix(texts: readonly string[]): Float32Array {
    const rows = new Float32Array(texts.length * this.hidden);
    texts.forEach((text, index) => {
      const vector = this.entries.get(textDigest(text));
      if (vector === undefined) throw new Error('embedding cache: a text was not filled');
      rows.set(vector, index * this.hidden);
    });
    return rows;
  }

  private async save(): Promise<void> {
    const record = DIGEST_BYTES + this.hidden * 4;
    const bytes = Buffer.alloc(this.entries.size * record);
    let offset = 0;
    for (const [digest, vector] of this.entries) {
      bytes.write(digest, offset, 'hex');
      Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength).copy(bytes, offset + DIGEST_BYTES);
      offset += record;
    }
    await writeFileAtomic(this.file, bytes);
  }
}
