// The files a local model folder must hold for Thaw to train it, checked the moment a folder
// is picked (in Hugging Face's layout, as DESIGN.md says).

import { existsSync } from 'node:fs';
import * as path from 'node:path';

export const MODEL_FOLDER_FILES = ['config.json', 'model.safetensors', 'tokenizer.json'] as const;

/** The required files `folder` lacks; empty when it is a model folder. */
export function missingModelFiles(folder: string): string[] {
  return MODEL_FOLDER_FILES.filter((file) => !existsSync(path.join(folder, file)));
}
