// "Thaw: Create Demo Experiment": the demo that ships with the extension, written into the
// workspace as thaw-demo/ (data, a commented demo.thaw.json, and offline a generated model),
// then selected, so "Start Warm-up Phase" right after trains it. Needs only the .vsix: the data
// is in the extension's demo/data, and the model comes from the hub or from `thaw init-model`.

import { existsSync, promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { messageOf } from '../../core/errors';
import { MINILM_HUB_ID } from '../../core/experiment/experiment-text';
import { fetchHubConfig } from '../../core/model/hub-config';
import { hubCacheFolder } from '../../core/model/hub-paths';
import { missingModelFiles } from '../../core/model/model-folder-files';
import { DEMO_DATA_FILES, DEMO_FILE, DEMO_FOLDER, GENERATED_MODEL_FOLDER, GENERATED_MODEL_NOTICE, demoExperimentText, type DemoModel } from '../../core/onboarding/demo-experiment';

/** Long enough for a hub that answers, short enough that offline the demo does not hang. */
const HUB_PROBE_MS = 4000;

export interface OnboardingHost {
  readonly extensionPath: string;
  /** Runs `thaw <args>` (the trainer CLI, a child process) to its end. */
  runCli(args: readonly string[]): Promise<unknown>;
  /** Makes `file` the selected experiment and shows it in the views. */
  select(file: string): Promise<void>;
  log(line: string): void;
}

export async function createDemo(host: OnboardingHost): Promise<void> {
  const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  if (root === undefined) {
    void vscode.window.showErrorMessage('Thaw: open a folder first; the demo is written into the workspace.');
    return;
  }
  const folder = path.join(root, DEMO_FOLDER);
  if (existsSync(folder)) {
    const replace = 'Replace Data and Experiment';
    const answer = await vscode.window.showWarningMessage(`Thaw: ${DEMO_FOLDER}/ already exists. Write the demo's data and ${DEMO_FILE} again? Its runs and model are kept.`, { modal: true }, replace);
    if (answer !== replace) return;
  }
  const file = path.join(folder, DEMO_FILE);
  try {
    const model = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Thaw: creating the demo' }, async (progress) => {
      progress.report({ message: 'copying the demo data...' });
      const corpus = await copyDemoData(host.extensionPath, path.join(folder, 'data'));
      const chosen = await demoModel(folder, corpus, host, (message) => progress.report({ message }));
      await fs.writeFile(file, demoExperimentText(chosen));
      host.log(`[thaw] demo: wrote ${file} (${chosen.kind === 'hub' ? MINILM_HUB_ID : 'a generated model'})`);
      return chosen;
    });
    await host.select(file);
    await vscode.window.showTextDocument(vscode.Uri.file(file), { preview: false });
    if (model.kind === 'generated') {
      void vscode.window.showWarningMessage(GENERATED_MODEL_NOTICE);
    } else {
      void vscode.window.showInformationMessage(`Thaw: the demo is ready (${DEMO_FOLDER}/${DEMO_FILE}, the pretrained ${MINILM_HUB_ID}). Run "Thaw: Start Warm-up Phase" to train it.`);
    }
  } catch (error) {
    host.log(`[thaw] could not create the demo: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    void vscode.window.showErrorMessage(`Thaw: could not create the demo: ${messageOf(error)}`);
  }
}

/** Copies the shipped demo data; returns its lines, the corpus a generated tokenizer is built from. */
async function copyDemoData(extensionPath: string, target: string): Promise<string[]> {
  await fs.mkdir(target, { recursive: true });
  const lines: string[] = [];
  for (const name of DEMO_DATA_FILES) {
    const text = await fs.readFile(path.join(extensionPath, 'demo', 'data', name), 'utf8');
    await fs.writeFile(path.join(target, name), text);
    lines.push(...text.split('\n'));
  }
  return lines;
}

/** The pretrained MiniLM when it is cached or the hub answers; else a generated model of its shape. */
async function demoModel(folder: string, corpus: readonly string[], host: OnboardingHost, report: (message: string) => void): Promise<DemoModel> {
  if (missingModelFiles(hubCacheFolder(MINILM_HUB_ID)).length === 0) return { kind: 'hub' };
  report('asking the Hugging Face hub for paraphrase-MiniLM-L6-v2...');
  try {
    await fetchHubConfig(MINILM_HUB_ID, HUB_PROBE_MS);
    return { kind: 'hub' };
  } catch (error) {
    host.log(`[thaw] demo: the hub did not answer (${messageOf(error)}); using a generated model`);
  }
  const modelFolder = path.join(folder, GENERATED_MODEL_FOLDER);
  if (missingModelFiles(modelFolder).length === 0) return { kind: 'generated' };
  report('the hub is not reachable: generating a model of MiniLM-L6 shape (random weights)...');
  await generateModel(modelFolder, corpus, host);
  return { kind: 'generated' };
}

/** `thaw init-model` in the trainer's child process, with a WordPiece vocabulary from `corpus`. */
export async function generateModel(modelFolder: string, corpus: readonly string[], host: OnboardingHost): Promise<void> {
  const scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'thaw-corpus-'));
  try {
    const corpusFile = path.join(scratch, 'corpus.txt');
    // One text a line, none empty: what init-model's --corpus takes.
    await fs.writeFile(corpusFile, corpus.filter((line) => line.trim() !== '').map((line) => line.replace(/\s+/g, ' ')).join('\n'));
    // The vocabulary size of MiniLM's; a small corpus yields fewer entries, as many as it has.
    host.log(`[thaw] demo: generating ${modelFolder} (thaw init-model)`);
    await host.runCli(['init-model', '--out', modelFolder, '--corpus', corpusFile, '--vocab-size', '30522', '--seed', '42', '--force']);
  } finally {
    await fs.rm(scratch, { recursive: true, force: true });
  }
}
