// How large a dataset file may be, checked before it is read: past these limits Node cannot
// hold the text or the examples, and would crash instead of saying so.

import { promises as fs } from 'node:fs';
import { ThawError } from '../errors';

/** Node's longest string is about 2^29 characters; a file must decode into one. */
export const MAX_DATASET_BYTES = 512 * 1024 * 1024;
/** Rows a dataset may hold: examples, their token ids and the schedule must fit in memory. */
export const MAX_DATASET_ROWS = 10_000_000;

export async function checkDatasetSize(file: string): Promise<void> {
  const stat = await fs.stat(file).catch(() => undefined);
  if (stat !== undefined && stat.size > MAX_DATASET_BYTES) {
    throw new ThawError(`is ${(stat.size / 2 ** 20).toFixed(0)} MiB, more than the limit of ${MAX_DATASET_BYTES / 2 ** 20} MiB for a dataset file; split it or sample it`, file);
  }
}

export function checkRowCount(rows: number, file: string): void {
  if (rows > MAX_DATASET_ROWS) {
    throw new ThawError(`has ${rows.toLocaleString('en-US')} rows, more than the limit of ${MAX_DATASET_ROWS.toLocaleString('en-US')} rows in a dataset file; sample it`, file);
  }
}
