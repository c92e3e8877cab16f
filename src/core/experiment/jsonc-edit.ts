// Small, local edits to a JSON-with-comments file, in the style of the text around them. The
// experiment file is the user's: comments, order and layout stay as written, and only the
// value that changes is touched. jsonc-parser's own `modify` keeps comments but reformats the
// whole enclosing object when it inserts with formatting, so inserts are written here; it is
// used as is for deletions, which it does cleanly.

import { applyEdits, findNodeAtLocation, modify, parseTree, type JSONPath, type Node, type ParseError } from 'jsonc-parser';
import { ThawError } from '../errors';

/** A JSON value on one line, spaced as people write it: `["encoder", "heads"]`, `{ "heads": 0.01 }`. */
export function inlineJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(inlineJson).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, entry]) => entry !== undefined);
    return entries.length === 0 ? '{}' : `{ ${entries.map(([key, entry]) => `${JSON.stringify(key)}: ${inlineJson(entry)}`).join(', ')} }`;
  }
  return JSON.stringify(value);
}

/**
 * A value as it is written at `indent`: an array of objects one element a line (phases read
 * best that way), anything else on one line.
 */
export function blockJson(value: unknown, indent: string): string {
  if (!Array.isArray(value) || !value.some((entry) => entry !== null && typeof entry === 'object')) return inlineJson(value);
  return `[\n${value.map((entry) => `${indent}  ${inlineJson(entry)}`).join(',\n')}\n${indent}]`;
}

/** The parse tree of `text`; an invalid file refuses edits with its first error and line. */
export function parseJsoncTree(text: string, file?: string): Node {
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: true });
  if (errors.length > 0 || root === undefined) {
    const offset = errors[0]?.offset ?? 0;
    throw new ThawError(`line ${lineOf(text, offset)}: not valid JSON, so Thaw cannot edit it; fix the file first`, file);
  }
  return root;
}

export function lineOf(text: string, offset: number): number {
  return text.slice(0, offset).split('\n').length;
}

function indentationAt(text: string, offset: number): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart))?.[0] ?? '';
}

function onOneLine(text: string, node: Node): boolean {
  return !text.slice(node.offset, node.offset + node.length).includes('\n');
}

/** Sets the value at `path` (creating the last property when missing; its parent must exist). */
export function setJsoncValue(text: string, path: JSONPath, value: unknown): string {
  const root = parseJsoncTree(text);
  const existing = findNodeAtLocation(root, path);
  if (existing !== undefined) return replaceRange(text, existing.offset, existing.length, inlineJson(value));
  const parentPath = path.slice(0, -1);
  const key = path.at(-1);
  const parent = parentPath.length === 0 ? root : findNodeAtLocation(root, parentPath);
  if (parent === undefined) {
    // Create the parent first (one level at a time), then the property in it.
    return setJsoncValue(text, parentPath, { [String(key)]: value });
  }
  if (parent.type !== 'object' || typeof key !== 'string') throw new ThawError(`cannot set ${path.join('.')}: its parent is not an object`);
  const last = parent.children?.at(-1);
  if (last === undefined) return replaceRange(text, parent.offset, parent.length, `{ ${JSON.stringify(key)}: ${inlineJson(value)} }`);
  const end = last.offset + last.length;
  if (onOneLine(text, parent)) return replaceRange(text, end, 0, `, ${JSON.stringify(key)}: ${inlineJson(value)}`);
  const indent = indentationAt(text, last.offset);
  return replaceRange(text, end, 0, `,\n${indent}${JSON.stringify(key)}: ${blockJson(value, indent)}`);
}

/** Replaces the property at `path` (key and value) with `key: value`, where it stands. */
export function replaceJsoncProperty(text: string, path: JSONPath, key: string, value: unknown): string {
  const property = findNodeAtLocation(parseJsoncTree(text), path)?.parent;
  if (property === undefined || property.type !== 'property') throw new ThawError(`cannot replace ${path.join('.')}: it is not there`);
  return replaceRange(text, property.offset, property.length, `${JSON.stringify(key)}: ${blockJson(value, indentationAt(text, property.offset))}`);
}

/** Removes the property at `path`, with its comma; nothing when it is not there. */
export function removeJsoncProperty(text: string, path: JSONPath): string {
  if (findNodeAtLocation(parseJsoncTree(text), path) === undefined) return text;
  return applyEdits(text, modify(text, path, undefined, {}));
}

/** Inserts `value` into the array at `path` before index `index` (its length: at the end). */
export function insertJsoncArrayElement(text: string, path: JSONPath, index: number, value: unknown): string {
  const array = findNodeAtLocation(parseJsoncTree(text), path);
  if (array === undefined || array.type !== 'array') throw new ThawError(`cannot insert into ${path.join('.')}: not an array`);
  const items = array.children ?? [];
  const element = inlineJson(value);
  if (items.length === 0) return replaceRange(text, array.offset, array.length, `[${element}]`);
  const multiLine = !onOneLine(text, array);
  const separator = multiLine ? `,\n${indentationAt(text, items[0].offset)}` : ', ';
  if (index < items.length) return replaceRange(text, items[index].offset, 0, `${element}${separator}`);
  const last = items[items.length - 1];
  return replaceRange(text, last.offset + last.length, 0, `${separator}${element}`);
}

function replaceRange(text: string, offset: number, length: number, replacement: string): string {
  return text.slice(0, offset) + replacement + text.slice(offset + length);
}

/** The one range that differs between two texts: what a single editor edit must replace. */
export function changedRange(before: string, after: string): { offset: number; length: number; text: string } {
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let end = 0;
  while (end < before.length - start && end < after.length - start && before[before.length - 1 - end] === after[after.length - 1 - end]) end++;
  return { offset: start, length: before.length - start - end, text: after.slice(start, after.length - end) };
}
