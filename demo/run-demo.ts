// The README's main job (`npm run demo`): the transfer-learning recipe end to end on the demo
// data that ships with Thaw. Warm-up (encoder frozen, its outputs cached, heads train), then
// fine-tune (encoder unfrozen at a smaller LR). The model is paraphrase-MiniLM-L6-v2 from the
// hub when the hub is reachable; offline, a model of the same shape with random weights, and
// the demo says so.
//
// `npm run demo -- --scenarios` runs the freezing scenarios side by side instead (thaw sweep
// --scenarios, with the recipe's frozen-head phase for task A) and prints the scenario report.

import { existsSync, promises as fs, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { ProgressLine } from '../src/trainer/cli/progress-line';
import { TrainingProgress } from '../src/trainer/cli/training-progress';
import { messageOf } from '../src/core/errors';
import { MINILM_SHAPE, generateModelFolder } from '../src/trainer/init/generate-model-folder';
import { fetchHubModel } from '../src/trainer/model/hub';
import type { TrainerEvent } from '../src/protocol/trainer-events';
import { formatScenarioReport } from '../src/core/sweeps/scenario-report';
import { sweepScenarioReport, taskNames } from '../src/core/sweeps/sweep-results';
import { describePlan } from '../src/trainer/cli/sweep-command';
import { SweepProgress } from '../src/trainer/cli/sweep-progress';
import { planSweep } from '../src/trainer/sweep/plan-sweep';
import { runSweep } from '../src/trainer/sweep/run-sweep';
import { EventSink } from '../src/trainer/train/event-sink';
import { runTraining } from '../src/trainer/train/run-training';

const DEMO = path.resolve(__dirname, '../../demo');
const OUT = path.join(DEMO, 'out');
const HUB_MODEL = 'sentence-transformers/paraphrase-MiniLM-L6-v2';

/** The hub id when the pretrained model can be had, else a generated folder. */
async function chooseModel(): Promise<string> {
  try {
    await fetchHubModel(HUB_MODEL);
    console.error(`thaw demo: model ${HUB_MODEL} (pretrained)`);
    return HUB_MODEL;
  } catch (error) {
    console.error(`thaw demo: the hub is not reachable (${messageOf(error).split(' failed (')[1]?.split(')')[0] ?? messageOf(error)}).`);
  }
  const folder = path.join(OUT, 'minilm-shape-random');
  if (!existsSync(path.join(folder, 'model.safetensors'))) {
    const corpus = (await fs.readdir(path.join(DEMO, 'data'))).flatMap((file) => readFileSync(path.join(DEMO, 'data', file), 'utf8').split('\n'));
    await generateModelFolder({ out: folder, shape: MINILM_SHAPE, seed: 42, tokenizer: { kind: 'corpus', lines: corpus, vocabularySize: 30522 } });
  }
  console.error(`thaw demo: using a GENERATED model with random weights (MiniLM-L6 shape): ${path.relative(process.cwd(), folder)}`);
  console.error('           It learns from the demo data alone, so expect modest accuracy; with the pretrained model it starts far ahead.');
  return folder;
}

async function main(): Promise<void> {
  const model = await chooseModel();
  const template = JSON.parse(readFileSync(path.join(DEMO, 'demo.thaw.json'), 'utf8')) as Record<string, unknown>;
  const experiment = path.join(OUT, 'demo.thaw.json');
  const data = (file: string) => path.join(DEMO, 'data', file);
  const tasks = {
    a: { name: 'question type', train: data('questions-train.csv'), validation: data('questions-validation.csv') },
    b: { name: 'sentiment', train: data('reviews-train.csv'), validation: data('reviews-validation.csv') },
  };
  await fs.mkdir(OUT, { recursive: true });
  const scenarios = process.argv.includes('--scenarios');
  await fs.writeFile(experiment, `${JSON.stringify({ ...template, $schema: undefined, model, tasks, output: path.join(OUT, 'runs'), ...(scenarios ? { recipeFrozenHead: 'a' } : {}) }, null, 2)}\n`);
  if (scenarios) return compareScenarios(experiment);
  console.error(`thaw demo: experiment ${path.relative(process.cwd(), experiment)} (the recipe: warm-up, then fine-tune)`);

  const progress = new TrainingProgress(new ProgressLine());
  const validations: Extract<TrainerEvent, { type: 'validation' }>[] = [];
  const sink = new EventSink({
    listener: (event) => {
      progress.show(event);
      if (event.type === 'validation') validations.push(event);
    },
  });
  const result = await runTraining({ experimentFile: experiment, sink, stop: { requested: false } });
  const first = validations[0];
  const last = validations.at(-1)!;
  console.log(`\nrun folder: ${path.relative(process.cwd(), result.runFolder)} (${result.status}, ${result.globalStep} steps)`);
  for (const key of ['a', 'b'] as const) {
    const start = first.tasks[key]!;
    const end = last.tasks[key]!;
    const majority = key === 'a' ? 1 / 6 : 1 / 2; // the demo's validation sets are balanced
    console.log(
      `task ${key} (${tasks[key].name}): validation loss ${start.loss.toFixed(3)} -> ${end.loss.toFixed(3)}, ` +
        `accuracy ${start.accuracy.toFixed(3)} -> ${end.accuracy.toFixed(3)} (majority class: ${majority.toFixed(3)}), macro-F1 ${end.macroF1.toFixed(3)}`,
    );
  }
}

/** The freezing scenarios on the demo data, as `thaw sweep --scenarios` runs them. */
async function compareScenarios(experiment: string): Promise<void> {
  console.error(`thaw demo: experiment ${path.relative(process.cwd(), experiment)}: the freezing scenarios side by side`);
  const planned = await planSweep(experiment, { scenarios: true });
  console.error(describePlan(planned.manifest));
  const progress = new SweepProgress(new ProgressLine());
  await runSweep({ ...planned, resumed: false, stop: { requested: false }, onTrainerEvent: (event) => progress.trainer(event), onSweepEvent: (event) => progress.sweep(event) });
  console.log(`\n${formatScenarioReport(sweepScenarioReport(planned.manifest), taskNames(planned.manifest))}`);
  console.log(`\nsweep manifest: ${path.relative(process.cwd(), planned.manifestFile)}`);
}

main().catch((error: unknown) => {
  console.error(`thaw demo: ${messageOf(error)}`);
  process.exitCode = 1;
});
