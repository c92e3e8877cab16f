// README.md of an exported folder: what the model is (base model, tasks and labels), how it was
// trained (each phase: what it froze, its learning rates, its steps), how well (the last
// validation at the checkpoint), and how to load it in Python and in transformers.js. Only
// what the run folder recorded goes in, no clock or path of this machine, so the same
// checkpoint gives the same card.

import { encoderGroupNames, headOfTask, isHead, TASK_KEYS } from '../../core/vocabulary/groups';
import { formatLearningRate, formatMetric } from '../../core/vocabulary/format';
import type { RunHistory, PhaseHistory } from './run-history';
import type { ExportedHead } from './sentence-transformers-files';

export interface ModelCardFacts {
  /** The folder's name: what the loading examples name it. */
  readonly folderName: string;
  readonly hiddenSize: number;
  readonly numLayers: number;
  readonly maxSeqLength: number;
  readonly heads: readonly ExportedHead[];
  readonly onnx: boolean;
  readonly sentenceTransformers: boolean;
  /** Absent when the source was a bare model folder. */
  readonly history?: RunHistory;
  /** The source folder's name, for a bare model folder. */
  readonly sourceName: string;
}

export function modelCard(facts: ModelCardFacts): string {
  const { history } = facts;
  const lines = [
    `# ${history?.experimentName ?? facts.sourceName}`,
    '',
    `A BERT sentence encoder (${facts.numLayers} layers, hidden ${facts.hiddenSize}, mean pooling, at most ${facts.maxSeqLength} tokens)` +
      (facts.heads.length > 0 ? ` with ${facts.heads.length === 1 ? 'a linear task head' : `${facts.heads.length} linear task heads`}` : '') +
      `, exported by Thaw${history === undefined ? ` from the model folder ${code(facts.sourceName)}` : ` from run ${code(history.runId)} at step ${history.globalStep}`}.`,
    '',
  ];
  if (history !== undefined) lines.push(`- Base model: ${baseModelText(history.baseModel)}`, ...(history.forkedFrom === undefined ? [] : [`- Continued from run ${code(baseName(history.forkedFrom.run))}, checkpoint ${code(baseName(history.forkedFrom.checkpoint))}`]), '');
  lines.push(...tasksSection(facts));
  if (history !== undefined) lines.push(...phasesSection(history, facts.numLayers), ...metricsSection(history));
  if (facts.sentenceTransformers) lines.push(...pythonSection(facts));
  if (facts.onnx) lines.push(...transformersJsSection(facts));
  lines.push('## Files', '', ...filesList(facts), '');
  return `${lines.join('\n').trimEnd()}\n`;
}

function tasksSection(facts: ModelCardFacts): string[] {
  if (facts.heads.length === 0) return [];
  const names = facts.history?.tasks ?? {};
  const rows = facts.heads.map((head) => {
    const task = TASK_KEYS.find((key) => headOfTask(key) === head.name);
    const name = task === undefined ? undefined : names[task]?.name;
    return `| ${code(head.name)} | ${name ?? ''} | ${head.labels.map(code).join(', ')} |`;
  });
  return ['## Tasks', '', '| Head | Task | Labels (logit order) |', '| --- | --- | --- |', ...rows, ''];
}

function phasesSection(history: RunHistory, numLayers: number): string[] {
  if (history.phases.length === 0) return [];
  const rows = history.phases.map((phase) => `| ${phase.name} | ${phase.stepsDone === phase.totalSteps ? phase.totalSteps : `${phase.stepsDone} of ${phase.totalSteps}`} | ${groupList(phase.frozen, numLayers) || 'nothing'} | ${ratesText(phase, numLayers)} |`);
  return ['## Training', '', '| Phase | Steps | Frozen | Learning rates |', '| --- | --- | --- | --- |', ...rows, ''];
}

/** Groups that share a rate, on one line each: "encoder 2e-5; task_a_head, task_b_head 1e-3". */
function ratesText(phase: PhaseHistory, numLayers: number): string {
  const frozen = new Set(phase.frozen);
  const byRate = new Map<number, string[]>();
  for (const [group, rate] of Object.entries(phase.learningRates)) {
    if (frozen.has(group)) continue;
    byRate.set(rate, [...(byRate.get(rate) ?? []), group]);
  }
  const parts = [...byRate.entries()].map(([rate, groups]) => `${groupList(groups, numLayers)} ${formatLearningRate(rate)}`);
  if (parts.length === 0) return '(none: nothing trained)';
  return `${parts.join('; ')}${phase.schedule === undefined ? '' : ` (${phase.schedule})`}`;
}

/** Group names with the aliases a reader knows: `encoder` for all of it, `heads` for both heads. */
function groupList(groups: readonly string[], numLayers: number): string {
  const set = new Set(groups);
  const encoder = encoderGroupNames(numLayers);
  const names: string[] = [];
  if (encoder.every((group) => set.has(group))) names.push('encoder');
  else names.push(...encoder.filter((group) => set.has(group)));
  const heads = groups.filter(isHead);
  if (heads.length === 2) names.push('heads');
  else names.push(...heads);
  return names.map(code).join(', ');
}

function metricsSection(history: RunHistory): string[] {
  const rows = TASK_KEYS.flatMap((key) => {
    const metrics = history.metrics[key];
    if (metrics === undefined) return [];
    return [`| ${history.tasks[key]?.name ?? key} | ${formatMetric(metrics.accuracy)} | ${formatMetric(metrics.macroF1)} | ${formatMetric(metrics.loss)} | ${metrics.step} |`];
  });
  if (rows.length === 0) return [];
  return ['## Validation', '', 'The last validation at or before this checkpoint.', '', '| Task | Accuracy | Macro-F1 | Loss | Step |', '| --- | --- | --- | --- | --- |', ...rows, ''];
}

function pythonSection(facts: ModelCardFacts): string[] {
  const lines = [
    '## Python',
    '',
    '```python',
    'from sentence_transformers import SentenceTransformer',
    '',
    `model = SentenceTransformer("${facts.folderName}")`,
    'embeddings = model.encode(["A first sentence.", "Another one."])',
    '```',
    '',
    `The encoder alone is a transformers \`BertModel\`: \`AutoModel.from_pretrained("${facts.folderName}")\`, mean-pooled over the attention mask.`,
    '',
  ];
  if (facts.heads.length === 0) return lines;
  const head = facts.heads[0];
  return [
    ...lines,
    'The task heads are linear layers over the (unnormalized) mean-pooled embedding, with their labels in the file\'s metadata:',
    '',
    '```python',
    'import json',
    'import torch',
    'from safetensors import safe_open',
    'from safetensors.torch import load_file',
    '',
    `heads = load_file("${facts.folderName}/heads.safetensors")`,
    `with safe_open("${facts.folderName}/heads.safetensors", "pt") as f:`,
    `    labels = json.loads(f.metadata()["${head.name}.labels"])`,
    `logits = torch.tensor(embeddings) @ heads["${head.name}.weight"].T + heads["${head.name}.bias"]`,
    'print([labels[i] for i in logits.argmax(-1)])',
    '```',
    '',
  ];
}

function transformersJsSection(facts: ModelCardFacts): string[] {
  return [
    '## JavaScript (transformers.js)',
    '',
    '```js',
    "import { pipeline, env } from '@xenova/transformers';",
    '',
    `env.localModelPath = '/path/to/models/'; // the folder that holds ${facts.folderName}/`,
    'env.allowRemoteModels = false;',
    `const extractor = await pipeline('feature-extraction', '${facts.folderName}'); // onnx/model_quantized.onnx; { quantized: false } for onnx/model.onnx`,
    "const output = await extractor(['A first sentence.', 'Another one.'], { pooling: 'mean' });",
    '```',
    '',
    ...(facts.heads.length === 0
      ? []
      : [
          `\`onnx/heads.onnx\` takes that pooled embedding (\`sentence_embedding\`, float32 [batch, ${facts.hiddenSize}]) and gives ${facts.heads.map((head) => `\`${head.name}_logits\``).join(' and ')}, e.g. with onnxruntime-node or onnxruntime-web.`,
          '',
        ]),
  ];
}

function filesList(facts: ModelCardFacts): string[] {
  const files: string[] = [];
  if (facts.sentenceTransformers) {
    files.push(
      '- `config.json`, `model.safetensors`: the encoder (transformers `BertModel`, float32)',
      ...(facts.heads.length > 0 ? ['- `heads.safetensors`: the task heads, labels in its metadata'] : []),
      '- `modules.json`, `1_Pooling/config.json`, `sentence_bert_config.json`, `config_sentence_transformers.json`: the sentence-transformers model (Transformer + mean Pooling)',
    );
  } else {
    files.push('- `config.json`: the encoder\'s configuration');
  }
  files.push('- `tokenizer.json`, `tokenizer_config.json`, `vocab.txt`, `special_tokens_map.json`: the tokenizer');
  if (facts.onnx) {
    files.push(
      '- `onnx/model.onnx`: the encoder, float32 (inputs `input_ids`, `attention_mask`, `token_type_ids`; output `last_hidden_state`)',
      '- `onnx/model_quantized.onnx`: the same with 8-bit weights (dynamic quantization), transformers.js\' default',
      ...(facts.heads.length > 0 ? ['- `onnx/heads.onnx`: the task heads over the pooled embedding'] : []),
    );
  }
  return files;
}

function code(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``;
}

/** A hub id as it is; a local folder by its name (its path is of the machine that trained it). */
function baseModelText(source: string): string {
  return source.startsWith('/') || /^[A-Za-z]:[\\/]/.test(source) ? `${code(baseName(source))} (a local model folder)` : code(source);
}

function baseName(folder: string): string {
  return folder.split(/[\\/]/).filter((part) => part !== '').at(-1) ?? folder;
}
