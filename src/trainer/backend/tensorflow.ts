// The one place that decides which TensorFlow.js backend runs. Everything else imports `tf`
// from here, so the choice is made once per process and can always be reported.
//
// Preference: @tensorflow/tfjs-node (native TensorFlow) when it is installed; it is an
// optional dependency because its install script downloads libtensorflow, which fails on
// offline machines. Otherwise the WebAssembly backend, whose .wasm files ship inside its npm
// package. The pure-JS cpu backend is ~30x slower for training: it runs only when asked for
// (THAW_BACKEND=cpu or initBackend('cpu')), which the tests do to compare with stock kernels.

import type * as TfModule from '@tensorflow/tfjs';

export type Tf = typeof TfModule;
export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

export interface BackendInfo {
  /** tfjs' name of the active backend. */
  readonly name: BackendName;
  /** One line for people: what runs and why. */
  readonly description: string;
}

interface LoadedTensorFlow {
  readonly tf: Tf;
  readonly nativeError?: string;
}

function requireTensorFlow(): LoadedTensorFlow {
  if (process.env.THAW_BACKEND === undefined || process.env.THAW_BACKEND === 'tensorflow') {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- optional dependency, absent on offline installs
      return { tf: require('@tensorflow/tfjs-node') as Tf };
    } catch (error) {
      const code = (error as { code?: string }).code;
      const nativeError = code === 'MODULE_NOT_FOUND' ? '@tensorflow/tfjs-node is not installed' : `@tensorflow/tfjs-node failed to load (${String(error)})`;
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- must follow the failed optional require above
      return { tf: require('@tensorflow/tfjs') as Tf, nativeError };
    }
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- same module, chosen at run time
  return { tf: require('@tensorflow/tfjs') as Tf };
}

const loaded = requireTensorFlow();

/** The TensorFlow.js namespace, bound to whichever package loaded. Call `initBackend` first. */
export const tf: Tf = loaded.tf;

let active: Promise<BackendInfo> | undefined;

/**
 * Activates a backend (once per process) and says which one runs: `requested`, else
 * THAW_BACKEND, else the fastest installed one.
 *
 * @example const { description } = await initBackend(); console.error(description)
 */
export function initBackend(requested: string | undefined = process.env.THAW_BACKEND): Promise<BackendInfo> {
  active ??= activate(requested);
  return active;
}

async function activate(requested: string | undefined): Promise<BackendInfo> {
  if (requested !== undefined && !['tensorflow', 'wasm', 'cpu'].includes(requested)) {
    throw new Error(`backend "${requested}" is not one of tensorflow, wasm, cpu (THAW_BACKEND)`);
  }
  if (loaded.nativeError === undefined && (requested === undefined || requested === 'tensorflow')) {
    await tf.setBackend('tensorflow');
    return { name: 'tensorflow', description: 'backend: tensorflow (native, @tensorflow/tfjs-node)' };
  }
  if (requested === 'tensorflow') throw new Error(`backend "tensorflow" was asked for, but ${loaded.nativeError}`);
  if (requested === 'cpu') {
    await tf.setBackend('cpu');
    return { name: 'cpu', description: 'backend: cpu (pure JavaScript, chosen explicitly; slow)' };
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- registers the wasm backend with tfjs as a side effect
  require('@tensorflow/tfjs-backend-wasm');
  if (!(await tf.setBackend('wasm'))) throw new Error('the WebAssembly backend failed to initialize');
  const why = loaded.nativeError ?? 'chosen explicitly';
  // Threads stay off in Node: upstream hard-codes no multithreading there (tensorflow/tfjs#3830).
  return { name: 'wasm', description: `backend: wasm (WebAssembly, SIMD, one thread; ${why})` };
}
