// The commented experiment file that "Thaw: New Experiment" and "Thaw: Create Demo Experiment"
// write: the user's (or the demo's) choices, the transfer-learning recipe, and a comment on
// each part saying what it is for. Pure: the text only, so it is unit-tested and parsed back.

import type { TaskKey } from '../vocabulary/groups';

export const MINILM_HUB_ID = 'sentence-transformers/paraphrase-MiniLM-L6-v2';

export interface TaskChoice {
  readonly name: string;
  /** Paths as the file gives them: relative to the experiment file, or absolute. */
  readonly train: string;
  readonly validation?: string;
  readonly textColumn: string;
  readonly labelColumn: string;
}

export interface ExperimentChoices {
  readonly name: string;
  readonly model: string;
  /** Comment lines written above "model" (what kind of model it is, and what that means). */
  readonly modelNote: readonly string[];
  readonly tasks: Readonly<Record<TaskKey, TaskChoice>>;
  readonly warmUpEpochs: number;
  readonly fineTuneEpochs: number;
  /** Comment lines at the top of the file. */
  readonly intro?: readonly string[];
}

const json = (value: unknown) => JSON.stringify(value);
const comment = (lines: readonly string[]) => lines.map((line) => `  // ${line}\n`).join('');

function taskLine(key: TaskKey, task: TaskChoice): string {
  const fields: Record<string, string> = { name: task.name, train: task.train };
  if (task.validation !== undefined) fields.validation = task.validation;
  // The schema's defaults ("text", "label") are left out, so the common file stays short.
  if (task.textColumn !== 'text') fields.textColumn = task.textColumn;
  if (task.labelColumn !== 'label') fields.labelColumn = task.labelColumn;
  const body = Object.entries(fields).map(([field, value]) => `${json(field)}: ${json(value)}`).join(', ');
  return `    ${json(key)}: { ${body} }`;
}

/**
 * The experiment file's text for `choices`, with comments: JSON with comments, as thaw.json is.
 *
 * @example experimentText({ name: 'demo', model: MINILM_HUB_ID, modelNote: [], tasks, warmUpEpochs: 3, fineTuneEpochs: 1 })
 */
export function experimentText(choices: ExperimentChoices): string {
  const { tasks } = choices;
  return `{
${comment(choices.intro ?? ['A Thaw experiment: one sentence encoder shared by two task heads.'])}  // Every key is checked against Thaw's JSON Schema as you type; hover a key for its meaning.
  "name": ${json(choices.name)},
${comment(choices.modelNote)}  "model": ${json(choices.model)},
  "tasks": {
    // Task A and task B: sentence classification, each with its own head.
    // CSV with a header row, or JSONL; paths relative to this file.
${taskLine('a', tasks.a)},
${taskLine('b', tasks.b)}
  },
  "batchSize": 16,
  "seed": 42,
  // The transfer-learning recipe. Warm-up: the encoder is frozen (its outputs are cached,
  // so this is quick) and only the two heads learn. Fine-tune: the encoder thaws at a small
  // learning rate.
  // Freeze and thaw parts in the Model view; it writes them here, phase by phase.
  "phases": [
    { "name": "warm-up", "epochs": ${choices.warmUpEpochs}, "frozen": ["encoder"], "lr": { "heads": 1e-2 } },
    { "name": "fine-tune", "epochs": ${choices.fineTuneEpochs}, "frozen": [], "lr": { "encoder": 2e-5, "heads": 1e-3 }, "schedule": { "warmupSteps": 4, "decay": "linear" } }
  ],
  // Each run is a folder here: its events, checkpoints and metrics.
  "output": "runs"
}
`;
}
