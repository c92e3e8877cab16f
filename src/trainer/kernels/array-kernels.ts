// The WebAssembly SIMD kernels of array-kernels.wat, over Float32Arrays of any length: each call
// copies chunks into the module's memory, runs the kernel, and copies the results back. Chunks of
// 16 Ki values keep the four AdamW arrays' scratch (256 KiB) in cache, so the copies cost little
// beside the kernel's own pass over memory, and the callers keep their plain arrays (the engine's
// weights, which ONNX Runtime reads in place, and the optimizer's moments, which go to the state
// files as they are).

import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { ThawError } from '../../core/errors';

/** Values per array per kernel call: a multiple of 4 lanes. */
const CHUNK = 16384;
const BYTES = CHUNK * 4;

/** AdamW's float32 scalars for one parameter's update (array-kernels.wat names each). */
export interface AdamWScalars {
  /** The clipping coefficient the gradient is multiplied by first. */
  readonly scale: number;
  readonly b1: number;
  readonly c1: number;
  readonly b2: number;
  readonly c2: number;
  readonly decay: number;
  readonly correction: number;
  readonly eps: number;
  readonly stepSize: number;
}

// Node's WebAssembly global, typed here: its declarations come with TypeScript's DOM library,
// which the trainer does not load.
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: object };
};

interface KernelExports {
  readonly memory: { readonly buffer: ArrayBuffer; grow(pages: number): number };
  readonly largestFirst: { readonly value: number };
  readonly largestSecond: { readonly value: number };
  adamw(w: number, g: number, m: number, v: number, n: number, ...scalars: number[]): void;
  momentsFinite(g: number, m: number, v: number, n: number, scale: number, b1: number, c1: number, b2: number, c2: number): number;
  squaredSum(x: number, n: number): number;
  dropoutMask(out: number, start: number, n: number, first: number, second: number, threshold: number, kept: number): void;
}

let loaded: ArrayKernels | undefined;

/**
 * @example
 * const largest = arrayKernels().adamw(weight, gradient, firstMoment, secondMoment, scalars);
 */
export function arrayKernels(): ArrayKernels {
  loaded ??= new ArrayKernels(path.join(__dirname, 'array-kernels.wasm'));
  return loaded;
}

export class ArrayKernels {
  private readonly kernels: KernelExports;
  /** Four scratch arrays of CHUNK values at byte offsets 0, BYTES, 2 BYTES, 3 BYTES. */
  private readonly scratch: readonly [Float32Array, Float32Array, Float32Array, Float32Array];

  constructor(file: string) {
    // tsc alone does not write it: a build that skipped the kernel step says so, not ENOENT.
    if (!existsSync(file)) throw new ThawError(`${file} is missing: run "npm run build" (scripts/build-kernels.mjs compiles src/trainer/kernels/*.wat)`);
    const module = new WebAssembly.Module(readFileSync(file));
    this.kernels = new WebAssembly.Instance(module, {}).exports as unknown as KernelExports;
    const { memory } = this.kernels;
    const pages = Math.ceil((4 * BYTES) / 65536);
    if (memory.buffer.byteLength < pages * 65536) memory.grow(pages - memory.buffer.byteLength / 65536);
    // The memory never grows again, so these views stay valid.
    const view = (index: number) => new Float32Array(memory.buffer, index * BYTES, CHUNK);
    this.scratch = [view(0), view(1), view(2), view(3)];
  }

  /**
   * AdamW in place over `weight`, `first` and `second` (the moments) with `gradient` read;
   * returns the new moments' largest |first| and largest second.
   */
  adamw(weight: Float32Array, gradient: Float32Array, first: Float32Array, second: Float32Array, s: AdamWScalars): { largestFirst: number; largestSecond: number } {
    const [w, g, m, v] = this.scratch;
    let largestFirst = 0;
    let largestSecond = 0;
    this.chunks(weight.length, (start, count, lanes) => {
      load(w, weight, start, count, lanes);
      load(g, gradient, start, count, lanes);
      load(m, first, start, count, lanes);
      load(v, second, start, count, lanes);
      this.kernels.adamw(0, BYTES, 2 * BYTES, 3 * BYTES, lanes, s.scale, s.b1, s.c1, s.b2, s.c2, s.decay, s.correction, s.eps, s.stepSize);
      weight.set(w.subarray(0, count), start);
      first.set(m.subarray(0, count), start);
      second.set(v.subarray(0, count), start);
      largestFirst = Math.max(largestFirst, this.kernels.largestFirst.value);
      largestSecond = Math.max(largestSecond, this.kernels.largestSecond.value);
    });
    return { largestFirst, largestSecond };
  }

  /** Whether adamw's new moments would all be finite; `first`/`second` undefined: zero moments (a new state). */
  momentsFinite(gradient: Float32Array, first: Float32Array | undefined, second: Float32Array | undefined, s: Pick<AdamWScalars, 'scale' | 'b1' | 'c1' | 'b2' | 'c2'>): boolean {
    const [g, m, v] = this.scratch;
    let finite = true;
    this.chunks(gradient.length, (start, count, lanes) => {
      if (!finite) return;
      load(g, gradient, start, count, lanes);
      if (first === undefined) m.fill(0, 0, lanes);
      else load(m, first, start, count, lanes);
      if (second === undefined) v.fill(0, 0, lanes);
      else load(v, second, start, count, lanes);
      finite = this.kernels.momentsFinite(0, BYTES, 2 * BYTES, lanes, s.scale, s.b1, s.c1, s.b2, s.c2) === 1;
    });
    return finite;
  }

  /** The sum of squares of `values`, in float64. */
  squaredSum(values: Float32Array): number {
    const [x] = this.scratch;
    let sum = 0;
    this.chunks(values.length, (start, count, lanes) => {
      load(x, values, start, count, lanes);
      sum += this.kernels.squaredSum(0, lanes);
    });
    return sum;
  }

  /** Fills `mask` with dropout-masks.ts's values for its two seeds: `kept` where a position's hash >>> 8 reaches `threshold`, else 0. */
  dropoutMask(mask: Float32Array, first: number, second: number, threshold: number, kept: number): void {
    const [out] = this.scratch;
    this.chunks(mask.length, (start, count, lanes) => {
      this.kernels.dropoutMask(0, start, lanes, first, second, threshold, kept);
      mask.set(out.subarray(0, count), start);
    });
  }

  /** Calls `body` for each chunk of `length` values: its start, its count, and the count rounded up to 4 lanes. */
  private chunks(length: number, body: (start: number, count: number, lanes: number) => void): void {
    for (let start = 0; start < length; start += CHUNK) {
      const count = Math.min(CHUNK, length - start);
      body(start, count, (count + 3) & ~3);
    }
  }
}

/** Copies values[start, start + count) to the front of `into`, zeros up to `lanes`. */
function load(into: Float32Array, values: Float32Array, start: number, count: number, lanes: number): void {
  into.set(values.subarray(start, start + count));
  if (lanes > count) into.fill(0, count, lanes);
}
