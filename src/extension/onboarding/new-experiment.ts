// "Thaw: New Experiment", guided: the model (a hub id, a local folder checked at once, or a
// generated test model), then each task's training and validation files, each read the moment
// it is picked (columns offered, labels counted). Any problem is said before anything is
// written; then the commented thaw.json is written with what was chosen, and selected. The
// reading and the text are core modules with unit tests; this is only the dialogs.

import { existsSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { datasetFields, formatLabelCounts, guessColumns, inspectTaskData, type TaskDataReport } from '../../core/data/inspect-dataset';
import { readDataset } from '../../core/data/read-dataset';
import { ThawError, messageOf } from '../../core/errors';
import { MINILM_HUB_ID, experimentText, type TaskChoice } from '../../core/experiment/experiment-text';
import { looksLikeHubId } from '../../core/model/hub-paths';
import { missingModelFiles } from '../../core/model/model-folder-files';
import type { TaskKey } from '../../core/vocabulary/groups';
import { generateModel, type OnboardingHost } from './create-demo';

type ModelChoice = { readonly kind: 'hub'; readonly id: string } | { readonly kind: 'folder'; readonly folder: string } | { readonly kind: 'generated' };

interface TaskPick {
  readonly choice: TaskChoice;
  readonly report: TaskDataReport;
  /** Absolute paths, for the generated model's corpus. */
  readonly trainFile: string;
}

/** A refusal the user is shown as is; nothing has been written. */
class Refused extends Error {}

const DATA_FILTERS = { 'Datasets (CSV, JSONL)': ['csv', 'jsonl'] };

export async function newExperiment(host: OnboardingHost): Promise<void> {
  const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  if (root === undefined) {
    void vscode.window.showErrorMessage('Thaw: open a folder first; an experiment lives in a workspace.');
    return;
  }
  try {
    const model = await pickModel(root);
    if (model === undefined) return;
    const tasks: Partial<Record<TaskKey, TaskPick>> = {};
    for (const key of ['a', 'b'] as const) {
      const task = await pickTask(key, root);
      if (task === undefined) return;
      tasks[key] = task;
    }
    const { a, b } = tasks as Record<TaskKey, TaskPick>;
    if (!(await confirmWrite(a, b, model))) return;
    const file = experimentFile(root);
    let modelText: string;
    if (model.kind === 'generated') {
      const folder = freeFolder(root, 'model');
      const corpus = (await Promise.all([a, b].map((task) => readDataset(task.trainFile, { text: task.choice.textColumn, label: task.choice.labelColumn })))).flatMap((set) => set.examples.map((example) => example.text));
      await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Thaw: generating a test model (MiniLM-L6 shape, random weights)...' }, () => generateModel(folder, corpus, host));
      modelText = `./${relativeTo(root, folder)}`;
    } else {
      modelText = model.kind === 'hub' ? model.id : relativeTo(root, model.folder);
    }
    await fs.writeFile(file, experimentText({ name: path.basename(root) || 'my-experiment', model: modelText, modelNote: modelNote(model), tasks: { a: a.choice, b: b.choice }, warmUpEpochs: 3, fineTuneEpochs: 2 }));
    await host.select(file);
    await vscode.window.showTextDocument(vscode.Uri.file(file), { preview: false });
    void vscode.window.showInformationMessage(`Thaw: wrote ${path.basename(file)} and selected it. Run "Thaw: Start Warm-up Phase" to train its heads on the frozen encoder.`);
  } catch (error) {
    void vscode.window.showErrorMessage(refusalText(error));
  }
}

async function pickModel(root: string): Promise<ModelChoice | undefined> {
  const items = [
    { label: '$(cloud) Hugging Face hub id', detail: `Downloaded on the first run; default ${MINILM_HUB_ID}`, source: 'hub' as const },
    { label: '$(folder) Local model folder', detail: 'A folder with config.json, model.safetensors and tokenizer.json', source: 'folder' as const },
    { label: '$(beaker) Generated test model', detail: 'MiniLM-L6 shape with random weights, written by `thaw init-model`: works offline, modest accuracy', source: 'generated' as const },
  ];
  const pick = await vscode.window.showQuickPick(items, { title: 'Thaw: New Experiment (1/3): the sentence encoder', ignoreFocusOut: true });
  if (pick === undefined) return undefined;
  if (pick.source === 'generated') return { kind: 'generated' };
  if (pick.source === 'hub') {
    const id = await vscode.window.showInputBox({
      title: 'Thaw: the Hugging Face hub id of a BERT sentence encoder',
      value: MINILM_HUB_ID,
      ignoreFocusOut: true,
      validateInput: (value) => (looksLikeHubId(value.trim()) ? undefined : 'A hub id looks like owner/name, e.g. sentence-transformers/paraphrase-MiniLM-L6-v2'),
    });
    return id === undefined ? undefined : { kind: 'hub', id: id.trim() };
  }
  const folders = await vscode.window.showOpenDialog({ title: 'Thaw: the model folder', canSelectFolders: true, canSelectFiles: false, defaultUri: vscode.Uri.file(root), openLabel: 'Use This Model' });
  const folder = folders?.[0]?.fsPath;
  if (folder === undefined) return undefined;
  const missing = missingModelFiles(folder);
  if (missing.length > 0) throw new Refused(`Thaw: ${folder} is not a model folder: it has no ${missing.join(', ')}. Nothing was written.`);
  return { kind: 'folder', folder };
}

async function pickTask(key: TaskKey, root: string): Promise<TaskPick | undefined> {
  const step = key === 'a' ? '2/3' : '3/3';
  const task = `task ${key.toUpperCase()}`;
  const train = await pickFile(`Thaw: New Experiment (${step}): ${task}'s training data`, root);
  if (train === undefined) return undefined;
  const fields = await datasetFields(train);
  const guess = guessColumns(fields, train);
  const text = await pickColumn(`Thaw: ${task}: which column of ${path.basename(train)} holds the text?`, fields, guess.text);
  if (text === undefined) return undefined;
  const label = await pickColumn(`Thaw: ${task}: which column holds the label?`, fields.filter((field) => field !== text), guess.label);
  if (label === undefined) return undefined;
  const validationUris = await vscode.window.showOpenDialog({ title: `Thaw: ${task}'s validation data (Cancel: none)`, canSelectMany: false, filters: DATA_FILTERS, defaultUri: vscode.Uri.file(path.dirname(train)), openLabel: 'Use as Validation Data' });
  const validation = validationUris?.[0]?.fsPath;
  if (validation !== undefined) {
    const validationFields = await datasetFields(validation);
    const absent = [text, label].filter((column) => !validationFields.includes(column));
    if (absent.length > 0) throw new Refused(`Thaw: ${validation} has no column ${absent.map((column) => JSON.stringify(column)).join(' or ')} (its columns: ${validationFields.join(', ')}). Nothing was written.`);
  }
  const report = await inspectTaskData(train, validation, { text, label });
  if (report.problems.length > 0) throw new Refused(`Thaw: ${task} cannot be trained: ${report.problems.join('; ')}. Nothing was written.`);
  const name = path.basename(train, path.extname(train)).replace(/[-_.]?train(ing)?$/i, '') || task;
  return { choice: { name, train: relativeTo(root, train), ...(validation === undefined ? {} : { validation: relativeTo(root, validation) }), textColumn: text, labelColumn: label }, report, trainFile: train };
}

async function pickFile(title: string, root: string): Promise<string | undefined> {
  const uris = await vscode.window.showOpenDialog({ title, canSelectMany: false, filters: DATA_FILTERS, defaultUri: vscode.Uri.file(root), openLabel: 'Use as Training Data' });
  return uris?.[0]?.fsPath;
}

async function pickColumn(title: string, fields: readonly string[], guess: string): Promise<string | undefined> {
  // The guess first: Enter takes it.
  const ordered = [guess, ...fields.filter((field) => field !== guess)];
  const pick = await vscode.window.showQuickPick(ordered.map((field) => ({ label: field, description: field === guess ? 'suggested' : undefined })), { title, ignoreFocusOut: true });
  return pick?.label;
}

async function confirmWrite(a: TaskPick, b: TaskPick, model: ModelChoice): Promise<boolean> {
  const describe = (key: string, task: TaskPick) =>
    `Task ${key} (${task.choice.train}${task.choice.validation === undefined ? ', no validation' : `, ${task.choice.validation}`}): ${task.report.trainExamples} training examples, ${task.report.labels.length} labels: ${formatLabelCounts(task.report)}`;
  const write = 'Write thaw.json';
  const detail = [`Model: ${model.kind === 'hub' ? model.id : model.kind === 'folder' ? model.folder : 'a generated test model (random weights)'}`, describe('A', a), describe('B', b)].join('\n\n');
  return (await vscode.window.showInformationMessage('Thaw: write this experiment?', { modal: true, detail }, write)) === write;
}

/** What went wrong, the file's name first (a toast shows one line): the full path stays in the detail. */
function refusalText(error: unknown): string {
  if (error instanceof Refused) return error.message;
  if (error instanceof ThawError && error.file !== undefined) {
    const joint = /^(is|has) /.test(error.reason) ? ' ' : ': ';
    return `Thaw: ${path.basename(error.file)}${joint}${error.reason}. Nothing was written. (${error.file})`;
  }
  return `Thaw: ${messageOf(error)}. Nothing was written.`;
}

function modelNote(model: ModelChoice): string[] {
  if (model.kind === 'hub') return ['A Hugging Face hub id: downloaded once into Thaw\'s cache on the first run. Or a model folder (config.json, model.safetensors, tokenizer.json).'];
  if (model.kind === 'folder') return ['A model folder in Hugging Face layout (config.json, model.safetensors, tokenizer.json), relative to this file.'];
  return ['NOTE: a GENERATED test model with RANDOM weights (MiniLM-L6 shape), written by `thaw init-model`.', 'It knows no language: expect modest accuracy. Replace it with a hub id or a pretrained model folder.'];
}

/** thaw.json, or the first experiment-N.thaw.json not taken. */
function experimentFile(root: string): string {
  let file = path.join(root, 'thaw.json');
  for (let n = 2; existsSync(file); n++) file = path.join(root, `experiment-${n}.thaw.json`);
  return file;
}

function freeFolder(root: string, name: string): string {
  let folder = path.join(root, name);
  for (let n = 2; existsSync(folder); n++) folder = path.join(root, `${name}-${n}`);
  return folder;
}

/** `file` relative to the experiment's folder (forward slashes) when inside it, else absolute. */
function relativeTo(root: string, file: string): string {
  const relative = path.relative(root, file);
  return relative.startsWith('..') || path.isAbsolute(relative) ? file : relative.split(path.sep).join('/');
}
