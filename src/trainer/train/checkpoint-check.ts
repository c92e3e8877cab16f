// Is a checkpoint folder whole? Every file it needs is there and parses, and each safetensors
// file is as long as its header says. Cheap enough to run before latest.json moves to a new
// checkpoint and on every checkpoint a resume considers.

import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { messageOf } from '../../core/errors';
import { parseBertConfig } from '../../core/model/bert-config';
import { readJson } from '../../core/io/read-json';
import { HEADS_FILE, WEIGHTS_FILE } from '../model/model-folder';
import { checkSafetensorsFile } from '../model/safetensors-header';
import { OPTIMIZER_FILE, POSITION_FILE, RunPosition } from './checkpoint-files';

/** What is wrong with the checkpoint in `folder`, or undefined when it is whole. */
export async function checkpointProblem(folder: string): Promise<string | undefined> {
  try {
    if (!existsSync(folder)) return 'it does not exist';
    const positionFile = path.join(folder, POSITION_FILE);
    if (!RunPosition.safeParse(await readJson(positionFile, 'a checkpoint records its position')).success) return `${positionFile}: not a run position`;
    const configFile = path.join(folder, 'config.json');
    parseBertConfig(await readJson(configFile, 'a model folder needs config.json'), configFile);
    await readJson(path.join(folder, 'tokenizer.json'), 'a checkpoint needs its tokenizer');
    await checkSafetensorsFile(path.join(folder, WEIGHTS_FILE));
    if (existsSync(path.join(folder, HEADS_FILE))) await checkSafetensorsFile(path.join(folder, HEADS_FILE));
    await checkSafetensorsFile(path.join(folder, OPTIMIZER_FILE));
    return undefined;
  } catch (error) {
    return messageOf(error);
  }
}
