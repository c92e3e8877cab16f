// The official ONNX checker, from Debian's python3-onnx at /usr/bin/python3 (the python3 on
// PATH may be another build without it; see DECISIONS.md). Checks skip where it is missing.

import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';

const PYTHON = '/usr/bin/python3';
const CHECK = 'import onnx, sys; onnx.checker.check_model(onnx.load(sys.argv[1]), full_check=True)';

/** false when the checker can run, else why not (for node:test's `skip`). */
export function onnxCheckerSkip(): string | false {
  const probe = spawnSync(PYTHON, ['-c', 'import onnx'], { encoding: 'utf8' });
  return probe.status === 0 ? false : `needs python3-onnx at ${PYTHON} (${(probe.stderr ?? String(probe.error)).trim().split('\n').pop() ?? 'not found'})`;
}

/** Writes `model` to `folder/name` and runs the full check on it; throws with the checker's message. */
export function checkOnnxModel(model: Uint8Array, folder: string, name: string): void {
  const file = path.join(folder, name);
  writeFileSync(file, model);
  try {
    execFileSync(PYTHON, ['-c', CHECK, file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new Error(`onnx.checker rejects ${name}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`);
  }
}
