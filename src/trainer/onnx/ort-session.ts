// One ONNX Runtime inference session created from model bytes in memory, with a thread count
// Thaw chooses and a dispose() that makes later use an error rather than a crash.

import { availableParallelism } from 'node:os';
import type { InferenceSession, Tensor } from 'onnxruntime-node';
import { collectDroppedSessions } from './native-memory';
import { loadOnnxRuntime, type OnnxRuntime } from './onnx-runtime';

export interface OrtSessionOptions {
  /** Threads for one operator (intra-op). Default: every core this process may use. */
  readonly threads?: number;
}

export class OrtSession {
  private session: InferenceSession | undefined;

  private constructor(
    session: InferenceSession,
    readonly ort: OnnxRuntime,
    readonly runtimeVersion: string,
    readonly threads: number,
  ) {
    this.session = session;
  }

  /**
   * A session over `model` (ONNX bytes; no file is written). Throws with loadOnnxRuntime's
   * message when ONNX Runtime cannot load here.
   */
  static async create(model: Uint8Array, options: OrtSessionOptions = {}): Promise<OrtSession> {
    const runtime = loadOnnxRuntime();
    if ('error' in runtime) throw new Error(runtime.error);
    const threads = options.threads ?? availableParallelism();
    if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`threads must be a positive integer, got ${threads}`);
    const session = await runtime.ort.InferenceSession.create(model, {
      intraOpNumThreads: threads,
      // Operators run one after another (executionMode 'sequential'); a second pool would only compete for the same cores.
      interOpNumThreads: 1,
      executionMode: 'sequential',
      // ORT's default: constant folding and fusions. The graphs are written in the forms its LayerNorm, GELU and
      // MatMulIntegerToFloat fusions match (not observable here: onnxruntime-node 1.14 cannot save the optimized model).
      graphOptimizationLevel: 'all',
      executionProviders: ['cpu'],
    });
    return new OrtSession(session, runtime.ort, runtime.version, threads);
  }

  /** e.g. `onnxruntime 1.14.0 (2 threads)` */
  get description(): string {
    return `onnxruntime ${this.runtimeVersion} (${this.threads} thread${this.threads === 1 ? '' : 's'})`;
  }

  get disposed(): boolean {
    return this.session === undefined;
  }

  /** The named outputs for `feeds`. */
  async run(feeds: Readonly<Record<string, Tensor>>, outputs: readonly string[]): Promise<Record<string, Tensor>> {
    if (this.session === undefined) throw new Error('this ONNX Runtime session was disposed; create a new one');
    // onnxruntime-node 1.14 keys fetched outputs by the model's output order, not by the names
    // asked for (fetching only `sentence_embedding` returns it as `last_hidden_state`), so
    // every output is fetched and the wanted ones are picked by name.
    const results = await this.session.run(feeds);
    const missing = outputs.filter((name) => results[name] === undefined);
    if (missing.length > 0) throw new Error(`the model has no output ${missing.join(', ')} (it has ${this.session.outputNames.join(', ')})`);
    return Object.fromEntries(outputs.map((name) => [name, results[name]]));
  }

  /**
   * Releases the session; later run() calls throw, a second dispose() does nothing.
   * ORT 1.14's InferenceSession has no release() (later versions have one), so this calls the
   * internal handler's dispose(). In onnxruntime-node 1.14 that is a no-op: the native session
   * is freed when its JS object is garbage-collected, which this then brings about (see
   * native-memory.ts).
   */
  async dispose(): Promise<void> {
    if (this.session === undefined) return;
    await disposeHandler(this.session);
    // No local keeps the session alive past this line, so the collection can finalize it.
    this.session = undefined;
    await collectDroppedSessions();
  }
}

/** InferenceSession's internal handler, the only part of 1.14 that has a dispose(). */
async function disposeHandler(session: InferenceSession): Promise<void> {
  const { handler } = session as unknown as { handler?: { dispose?: () => Promise<void> } };
  await handler?.dispose?.();
}
