// Chart colors that never collide and never change: the first time a run is seen it gets
// the smallest color index no other run of its runs folder holds, kept in its metadata. The
// runs still without one are given theirs oldest first, so two processes that see a folder
// at once (the host and `thaw runs list`) give every run the same color.

import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { EXPERIMENT_FILE } from './run-folder';
import { runFoldersNewestFirst } from './run-listing';
import { loadRunMetadata, updateRunMetadata } from './run-metadata';

/** The colors of one runs folder, read once (when a run first needs one); `colorFor` gives (and records) a run's. */
export class RunColors {
  private book: Promise<{ held: Map<string, number>; planned: Map<string, number> }> | undefined;

  constructor(private readonly runsFolder: string) {}

  /** The run's color; a run seen for the first time gets its planned one, kept in its metadata. */
  async colorFor(runFolder: string): Promise<number | undefined> {
    const { held, planned } = await (this.book ??= RunColors.read(this.runsFolder));
    const key = path.resolve(runFolder);
    const color = held.get(key) ?? planned.get(key);
    if (color === undefined || held.has(key)) return color;
    await updateRunMetadata(runFolder, { color });
    held.set(key, color);
    return color;
  }

  /** Reads the colors the runs of `runsFolder` hold and plans colors for those without. */
  private static async read(runsFolder: string): Promise<{ held: Map<string, number>; planned: Map<string, number> }> {
    const folders = await runFoldersNewestFirst(runsFolder);
    const held = new Map<string, number>();
    for (const folder of folders) {
      const { color } = (await loadRunMetadata(folder)).metadata;
      if (color !== undefined) held.set(path.resolve(folder), color);
    }
    const used = new Set(held.values());
    const planned = new Map<string, number>();
    let next = 0;
    // A folder without experiment.json is not a run (it is listed as damaged): no color.
    for (const folder of [...folders].reverse()) {
      const key = path.resolve(folder);
      if (held.has(key) || !existsSync(path.join(folder, EXPERIMENT_FILE))) continue;
      while (used.has(next)) next++;
      planned.set(key, next);
      used.add(next);
    }
    return { held, planned };
  }
}
