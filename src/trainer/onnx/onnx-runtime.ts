// Loading ONNX Runtime's native Node binding on demand. It is an optional dependency with
// prebuilt binaries for a few platforms only, so a caller asks once and, if it cannot load,
// falls back to tfjs with the one message this returns.

import { createRequire } from 'node:module';
import type * as OrtModule from 'onnxruntime-node';
import { messageOf } from '../../core/errors';

export type OnnxRuntime = typeof OrtModule;

export type LoadedOnnxRuntime = { readonly ort: OnnxRuntime; readonly version: string } | { readonly error: string };

let loaded: LoadedOnnxRuntime | undefined;

/**
 * onnxruntime-node, loaded at the first call (not at import, so that importing Thaw's ONNX
 * code costs nothing where it is not used), or why it could not load.
 *
 * @example const runtime = loadOnnxRuntime(); if ('error' in runtime) console.error(`${runtime.error}; using tfjs`)
 */
export function loadOnnxRuntime(): LoadedOnnxRuntime {
  loaded ??= tryLoad();
  return loaded;
}

function tryLoad(): LoadedOnnxRuntime {
  const require = createRequire(__filename);
  try {
    const ort = require('onnxruntime-node') as OnnxRuntime;
    const { version } = require('onnxruntime-node/package.json') as { version: string };
    return { ort, version };
  } catch (error) {
    // Also MODULE_NOT_FOUND when the package is there but has no binary for this platform.
    return { error: `onnxruntime-node cannot load on ${process.platform}-${process.arch} (${messageOf(error).split('\n')[0]})` };
  }
}
