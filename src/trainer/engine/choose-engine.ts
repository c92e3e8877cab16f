// Which engine trains: the experiment's "engine" or --engine, "auto" by default: ONNX Runtime
// where it loads, else TensorFlow.js (tfjs-node where installed, else wasm: backend/tensorflow.ts).

import { ThawError } from '../../core/errors';
import { availableThreads } from '../encoder/encoder-engine';
import { loadOnnxRuntime } from '../onnx/onnx-runtime';
import type { EngineChoice } from '../../core/vocabulary/engines';


export type ChosenEngine =
  | { readonly name: 'onnxruntime'; readonly threads: number; readonly description: string }
  | { readonly name: 'tfjs'; /** Why not ONNX Runtime, when "auto" would have used it: said once. */ readonly fallback?: string };

/**
 * @example chooseTrainingEngine('auto', 2) // { name: 'onnxruntime', threads: 2, description: 'onnxruntime 1.14.0 (2 threads)' }
 */
export function chooseTrainingEngine(choice: EngineChoice, threads: number = availableThreads()): ChosenEngine {
  if (choice === 'tfjs') return { name: 'tfjs' };
  const runtime = loadOnnxRuntime();
  if ('error' in runtime) {
    if (choice === 'onnxruntime') throw new ThawError(`the engine is "onnxruntime", but ${runtime.error}`);
    return { name: 'tfjs', fallback: `${runtime.error}: training runs on TensorFlow.js instead, several times slower` };
  }
  return { name: 'onnxruntime', threads, description: `onnxruntime ${runtime.version} (${threads} thread${threads === 1 ? '' : 's'})` };
}
