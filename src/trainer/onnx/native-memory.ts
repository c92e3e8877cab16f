// onnxruntime-node 1.14 frees a session's native memory (its weights: 90 MB for MiniLM) only
// when the JS object that wraps it is garbage-collected, and it does not tell V8 how large
// that memory is, so V8 sees no reason to collect: a process that builds a session per epoch
// grew by 100 MB each time (measured). After a dispose, Thaw asks V8 for a full collection.

import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let collect: (() => void) | undefined;

/**
 * Runs a full garbage collection once the current call stacks have unwound, so that sessions
 * dropped by them are finalized. `gc` is exposed at run time as jest's leak detector does
 * (setFlagsFromString('--expose-gc') and a fresh context), since Thaw's processes do not
 * start with --expose-gc.
 */
export async function collectDroppedSessions(): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  if (collect === undefined) {
    setFlagsFromString('--expose-gc');
    collect = runInNewContext('gc') as () => void;
  }
  collect();
}
