// ../shared/ beside the checkout holds public data nobody here wrote (datasets, the real
// MiniLM tokenizer). Checks read it in place; on a machine without it they are skipped.

import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

/** The shared folder (THAW_SHARED overrides), or undefined when it is not there. */
export function sharedFolder(): string | undefined {
  const folder = process.env.THAW_SHARED ?? path.resolve(__dirname, '../../../../shared');
  return existsSync(path.join(folder, 'models', 'minilm-tokenizer', 'tokenizer.json')) ? folder : undefined;
}

/** The first `count` texts of a shared `text,label` CSV whose texts need no quoting. */
export function sharedTexts(file: string, count: number): string[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .slice(1)
    .filter((line) => line.length > 0 && !line.startsWith('"'))
    .map((line) => line.slice(0, line.lastIndexOf(',')))
    .slice(0, count);
}
