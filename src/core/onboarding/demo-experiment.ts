// What "Thaw: Create Demo Experiment" writes into the workspace's thaw-demo/ folder: the demo
// data that ships with Thaw, and a commented demo.thaw.json running the recipe on it, with the
// pretrained MiniLM from the hub or, offline, a generated model of the same shape. Pure.

import { MINILM_HUB_ID, experimentText, type TaskChoice } from '../experiment/experiment-text';
import type { TaskKey } from '../vocabulary/groups';

export const DEMO_FOLDER = 'thaw-demo';
export const DEMO_FILE = 'demo.thaw.json';
/** The generated model's folder, relative to thaw-demo/. */
export const GENERATED_MODEL_FOLDER = 'model';
export const DEMO_DATA_FILES = ['questions-train.csv', 'questions-validation.csv', 'reviews-train.csv', 'reviews-validation.csv'] as const;

export const DEMO_TASKS: Readonly<Record<TaskKey, TaskChoice>> = {
  a: { name: 'question type', train: 'data/questions-train.csv', validation: 'data/questions-validation.csv', textColumn: 'text', labelColumn: 'label' },
  b: { name: 'sentiment', train: 'data/reviews-train.csv', validation: 'data/reviews-validation.csv', textColumn: 'text', labelColumn: 'label' },
};

export type DemoModel = { readonly kind: 'hub' } | { readonly kind: 'generated' };

/** The notification shown when the demo had to use a generated model. */
export const GENERATED_MODEL_NOTICE =
  'Thaw: the Hugging Face hub is not reachable, so the demo uses a GENERATED model of MiniLM-L6 shape with random weights (thaw-demo/model). ' +
  'It learns from the small demo data alone: expect modest accuracy. With the pretrained model (hub reachable, or a local folder in "model") it starts far ahead.';

/** The demo's experiment file for the model it could get. */
export function demoExperimentText(model: DemoModel): string {
  const hub = model.kind === 'hub';
  return experimentText({
    name: 'demo',
    intro: [
      'The Thaw demo: question type (task A) and sentiment (task B) on one shared sentence encoder.',
      'Run "Thaw: Start Warm-up Phase", then "Thaw: Start Fine-tune Phase";',
      'watch both tasks learn in the training panel ("Thaw: Open Training Panel").',
    ],
    // "./": a folder beside this file, never read as a hub id.
    model: hub ? MINILM_HUB_ID : `./${GENERATED_MODEL_FOLDER}`,
    modelNote: hub
      ? ['The pretrained paraphrase-MiniLM-L6-v2 from the Hugging Face hub', '(downloaded into Thaw\'s cache on the first run, about 90 MB).']
      : [
          'NOTE: a GENERATED model with RANDOM weights, of paraphrase-MiniLM-L6-v2\'s shape',
          '(6 layers, hidden 384), written by `thaw init-model`: the Hugging Face hub was not',
          'reachable. It knows no language yet, so expect modest accuracy. For the real thing,',
          `put "${MINILM_HUB_ID}" here once the hub is`,
          'reachable, or a local copy of it (config.json, model.safetensors, tokenizer.json).',
        ],
    tasks: DEMO_TASKS,
    warmUpEpochs: 3,
    fineTuneEpochs: 2,
  });
}
