// The line of the experiment file an error is about, so the Problems panel and the views can
// point at it. The loader writes JSON errors as "line N: ..." and schema errors as
// "invalid experiment: tasks.a.train: ...": that dotted path is found in the file's tree.

import { findNodeAtLocation, parseTree, type JSONPath } from 'jsonc-parser';
import { lineOf } from './jsonc-edit';

/** 1-based line of the problem `reason` names in `text`, or undefined when it names none. */
export function problemLine(reason: string, text: string): number | undefined {
  const line = /^line (\d+):/.exec(reason);
  if (line !== null) return Number(line[1]);
  const dotted = /^invalid experiment: ([^\s:;]+):/.exec(reason)?.[1];
  return dotted === undefined ? undefined : lineOfKey(text, dotted);
}

/** 1-based line of the key at dotted path `dotted` (e.g. "phases.0.lr.layer.0"), or undefined. */
export function lineOfKey(text: string, dotted: string): number | undefined {
  const root = parseTree(text);
  if (root === undefined) return undefined;
  // Keys may hold dots themselves ("lr.layer.0"): join segments until a node is there.
  const segments = dotted.split('.');
  const path: JSONPath = [];
  let pending = '';
  for (const segment of segments) {
    pending = pending === '' ? segment : `${pending}.${segment}`;
    const key = /^\d+$/.test(pending) ? Number(pending) : pending;
    if (findNodeAtLocation(root, [...path, key]) !== undefined) {
      path.push(key);
      pending = '';
    }
  }
  const node = path.length === 0 ? undefined : findNodeAtLocation(root, path);
  return node === undefined ? undefined : lineOf(text, node.parent?.type === 'property' ? node.parent.offset : node.offset);
}
