// Preloaded into a `thaw` child process (node --require <this file>): records the ML packages
// the process loads, and with THAW_TEST_BREAK_ONNXRUNTIME=1 makes Thaw's own load of
// onnxruntime-node fail, as on a platform without its native binary. (transformers.js, which
// the tokenizer comes through, imports onnxruntime-node itself; only Thaw's load is broken.)
//
//   THAW_TEST_LOAD_LOG=<file>: at exit, writes the loaded ML package names as JSON.

import { writeFileSync } from 'node:fs';
import Module from 'node:module';
import * as path from 'node:path';

type Load = (request: string, parent: { filename?: string } | undefined, isMain: boolean) => unknown;
const loader = Module as unknown as { _load: Load };
const original = loader._load;
const loaded = new Set<string>();
const ENGINE = `${path.sep}out${path.sep}src${path.sep}trainer${path.sep}`;

loader._load = function load(request, parent, isMain) {
  const ml = /^(@tensorflow\/[\w-]+|onnxruntime-node|@xenova\/transformers)/.exec(request);
  if (ml !== null) {
    if (process.env.THAW_TEST_BREAK_ONNXRUNTIME === '1' && ml[1] === 'onnxruntime-node' && parent?.filename?.includes(ENGINE) === true) {
      throw new Error('simulated: onnxruntime_binding.node: cannot open shared object file');
    }
    loaded.add(ml[1]);
  }
  return original.call(this, request, parent, isMain);
};

/** Packages in the module cache too: a load by file path (an ES module importing one) is seen there. */
function cachedPackages(): string[] {
  return Object.keys(require.cache).flatMap((file) => /[\\/]node_modules[\\/](@tensorflow[\\/][\w-]+|onnxruntime-node)[\\/]/.exec(file)?.[1].replace(/\\/g, '/') ?? []);
}

const log = process.env.THAW_TEST_LOAD_LOG;
if (log !== undefined) process.on('exit', () => writeFileSync(log, JSON.stringify([...new Set([...loaded, ...cachedPackages()])].sort())));
