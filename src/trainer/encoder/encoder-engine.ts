// Which engine runs the frozen encoder: ONNX Runtime where it loads (every core by default,
// `--threads N` otherwise), else TensorFlow.js with one message saying why. THAW_ENCODER=tfjs
// asks for tfjs; THAW_ENCODER=onnxruntime makes a failed load an error instead of a fallback.
// This module loads neither engine's tensors: `thaw embed` decides here before loading any.

import * as os from 'node:os';
import type { BertConfig } from '../../core/model/bert-config';
import { ThawError } from '../../core/errors';
import { loadOnnxRuntime } from '../onnx/onnx-runtime';
import { OrtEncoder } from '../onnx/ort-encoder';
import type { FrozenEncoder } from './frozen-encoder';
import { ENGINE_NAMES } from '../../core/vocabulary/engines';

export type EncoderEngine =
  | {
      readonly name: 'onnxruntime';
      /** ONNX Runtime's intraOpNumThreads. */
      readonly threads: number;
      /** For people: "onnxruntime 1.14.0 (2 threads)". */
      readonly description: string;
      /** A session over these weights (Hugging Face names); dispose it when done. */
      open(config: BertConfig, weights: ReadonlyMap<string, Float32Array>): Promise<FrozenEncoder>;
    }
  | {
      readonly name: 'tfjs';
      readonly description: string;
      /** Why ONNX Runtime does not run, when it would have: to be said once. */
      readonly fallback?: string;
    };

/** Every core the process may use. */
export function availableThreads(): number {
  return Math.max(1, os.availableParallelism());
}

/**
 * The frozen encoder's engine for this process: `threads` (default: every core) for ONNX
 * Runtime, `requested` (default: THAW_ENCODER) to force one.
 *
 * @example const engine = chooseEncoderEngine({ threads: 2 }); if (engine.name === 'tfjs' && engine.fallback) console.error(engine.fallback)
 */
export function chooseEncoderEngine(options: { readonly threads?: number; readonly requested?: string } = {}): EncoderEngine {
  const requested = options.requested ?? process.env.THAW_ENCODER;
  if (requested !== undefined && !(ENGINE_NAMES as readonly string[]).includes(requested)) {
    throw new Error(`encoder "${requested}" is not one of ${ENGINE_NAMES.join(', ')} (THAW_ENCODER)`);
  }
  if (requested === 'tfjs') return { name: 'tfjs', description: 'tfjs (chosen explicitly: THAW_ENCODER=tfjs)' };
  const runtime = loadOnnxRuntime();
  if ('error' in runtime) {
    if (requested === 'onnxruntime') throw new ThawError(`THAW_ENCODER=onnxruntime, but ${runtime.error}`);
    return { name: 'tfjs', description: 'tfjs (ONNX Runtime did not load)', fallback: `${runtime.error}: the frozen encoder runs on TensorFlow.js instead, several times slower` };
  }
  const threads = options.threads ?? availableThreads();
  return {
    name: 'onnxruntime',
    threads,
    description: `onnxruntime ${runtime.version} (${threads} thread${threads === 1 ? '' : 's'})`,
    open: async (config, weights) => {
      const encoder = await OrtEncoder.create(config, weights, { threads });
      return { description: `onnxruntime ${runtime.version} (${threads} thread${threads === 1 ? '' : 's'})`, pooled: (batch) => encoder.pooled(batch), dispose: () => encoder.dispose() };
    },
  };
}

/**
 * The backend line: which engine runs what, e.g. "encoder: onnxruntime 1.14.0 (2 threads),
 * training: onnxruntime 1.14.0 (2 threads)"; the tfjs backend's line where tfjs trains.
 */
export function engineLine(encoder: EncoderEngine, trainingBackend: string, trainingEngine?: { readonly name: string; readonly description: string }): string {
  const tfjsBackend = trainingBackend.replace(/^backend: /, '');
  const training = trainingEngine?.name === 'onnxruntime' ? trainingEngine.description : tfjsBackend;
  if (encoder.name === 'tfjs') return `encoder: ${encoder.description} on ${tfjsBackend.split(' ')[0]}, training: ${training}`;
  return `encoder: ${encoder.description}, training: ${training}`;
}
