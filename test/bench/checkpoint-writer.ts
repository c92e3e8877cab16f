// A child process for checkpoint.bench: loads a model folder, gives it a full AdamW state, and
// writes periodic checkpoints into a run folder one after another, printing each one's time,
// until it is killed (or has written `count`).
//
//   node out/test/bench/checkpoint-writer.js MODEL RUN_FOLDER COUNT

import * as path from 'node:path';
import { initBackend } from '../../src/trainer/backend/tensorflow';
import { loadSentenceModel } from '../../src/trainer/model/load-sentence-model';
import { AdamW } from '../../src/trainer/optim/adamw';
import { writeCheckpoint } from '../../src/trainer/train/checkpoint';
import { copyRunModelFiles } from '../../src/trainer/train/run-model-files';

async function main([modelFolder, runFolder, count]: string[]): Promise<void> {
  await initBackend();
  const model = await loadSentenceModel(modelFolder, { heads: { task_a_head: { labels: ['a', 'b', 'c', 'd', 'e', 'f'] }, task_b_head: { labels: ['negative', 'positive'] } } });
  const optimizer = new AdamW();
  // Moments of every weight, as after fine-tuning the whole model: the largest checkpoint.
  optimizer.importState(model.parameters.all.map((parameter) => {
    const size = parameter.variable.size;
    return { name: parameter.name, step: 1, firstMoment: new Float32Array(size).fill(1e-3), secondMoment: new Float32Array(size).fill(1e-6), shape: parameter.variable.shape };
  }));
  const modelFiles = await copyRunModelFiles(modelFolder, runFolder);
  for (let index = 1; index <= Number(count); index++) {
    const start = performance.now();
    const label = `step-${String(index).padStart(6, '0')}`;
    await writeCheckpoint({ runFolder, label, periodic: true, model, optimizer, position: { phaseIndex: 0, stepInPhase: index, globalStep: index }, modelFiles });
    process.stdout.write(`${JSON.stringify({ written: path.join(runFolder, 'checkpoints', label), ms: Math.round(performance.now() - start) })}\n`);
  }
  optimizer.dispose();
  await model.dispose();
}

void main(process.argv.slice(2));
