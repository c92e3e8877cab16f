// A run's curves for the comparison, read from its folder: events.jsonl into columns. The file is
// read loosely (only the fields drawn, each checked), because runs written by other Thaw versions
// carry fields this one does not know. A torn last line (a kill mid-write) is skipped; a step or
// validation repeated after a resume is kept once, the later value winning. Steps get a
// fractional epoch, counted over the whole run, from their phase's pace: its first validation
// (epochs end with one), else the epochs the recorded experiment gives the phase.

import { existsSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { EVENTS_FILE } from '../../core/runs/run-listing';
import { EXPERIMENT_FILE } from '../../core/runs/run-folder';
import type { PhaseSpan, RunSeries } from '../../protocol/compare-messages';

type Json = Record<string, unknown>;
type NumberRecord = Record<string, number>;

interface StepRow {
  readonly phaseIndex: number;
  readonly step: number;
  readonly loss: NumberRecord;
  readonly learningRates: NumberRecord;
}

interface ValidationRow {
  readonly phase: string;
  readonly epoch: number;
  readonly tasks: Record<string, NumberRecord>;
}

interface PhaseInfo {
  readonly name: string;
  readonly totalSteps: number;
  /** globalStep - step: the global step before the phase's first step. */
  readonly base: number;
  readonly first: number;
  readonly last: number;
}

/** Events of runs far larger than this are not what a comparison draws. */
const MAX_EVENTS_BYTES = 256 << 20;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value >= 0;

/**
 * Six significant digits are far more than a chart or a readout shows, and halve the message of
 * 50 runs. Rounded by arithmetic, not toPrecision (three times faster over 100,000 steps): a
 * division by a power of ten is correctly rounded, so the result prints as its six digits.
 */
function compact(value: number): number {
  if (value === 0) return 0;
  const digits = 5 - Math.floor(Math.log10(Math.abs(value)));
  if (digits <= 0 || digits > 22) return value;
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

function finiteNumbers(value: unknown): NumberRecord {
  const numbers: NumberRecord = {};
  if (isObject(value)) for (const [key, entry] of Object.entries(value)) if (typeof entry === 'number' && Number.isFinite(entry)) numbers[key] = compact(entry);
  return numbers;
}

function parseLine(line: string): Json | undefined {
  try {
    const value = JSON.parse(line) as unknown;
    return isObject(value) ? value : undefined;
  } catch {
    return undefined; // a line cut short by a kill
  }
}

/** The curves of one run, from the text of its events.jsonl; `phaseEpochs[i]`: the epochs the experiment gives phase i. */
export function runSeriesFromEvents(text: string, runId: string, color: number, phaseEpochs: readonly (number | undefined)[] = []): RunSeries {
  const steps = new Map<number, StepRow>();
  const validations = new Map<number, ValidationRow>();
  const phases = new Map<number, PhaseInfo>();
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const event = parseLine(line);
    if (event?.type === 'step' && isCount(event.globalStep) && isCount(event.step) && isCount(event.phaseIndex)) {
      const { globalStep, step, phaseIndex } = event;
      steps.set(globalStep, { phaseIndex, step, loss: finiteNumbers(event.loss), learningRates: finiteNumbers(event.learningRates) });
      const known = phases.get(phaseIndex);
      phases.set(phaseIndex, {
        name: typeof event.phase === 'string' ? event.phase : (known?.name ?? `phase ${phaseIndex}`),
        totalSteps: isCount(event.totalSteps) ? event.totalSteps : (known?.totalSteps ?? 0),
        base: globalStep - step,
        first: Math.min(known?.first ?? globalStep, globalStep),
        last: Math.max(known?.last ?? globalStep, globalStep),
      });
    } else if (event?.type === 'validation' && isCount(event.globalStep) && isObject(event.tasks)) {
      const tasks: Record<string, NumberRecord> = {};
      for (const [task, metrics] of Object.entries(event.tasks)) tasks[task] = finiteNumbers(metrics);
      validations.set(event.globalStep, { phase: typeof event.phase === 'string' ? event.phase : '', epoch: isCount(event.epoch) ? event.epoch : NaN, tasks });
    }
  }
  const pace = phasePace(phases, validations, phaseEpochs);
  return {
    runId,
    color,
    phases: [...phases.entries()].sort(([a], [b]) => a - b).map(([, phase]): PhaseSpan => ({ name: phase.name, startStep: phase.first, endStep: phase.last })),
    steps: stepColumns(steps, pace),
    validations: validationColumns(validations, phases, pace),
  };
}

interface Pace {
  readonly stepsPerEpoch: number;
  /** Epochs of the run before the phase began. */
  readonly epochsBefore: number;
}

/** Each phase's steps per epoch and where it starts in epochs; NaN where it cannot be told. */
function phasePace(phases: ReadonlyMap<number, PhaseInfo>, validations: ReadonlyMap<number, ValidationRow>, phaseEpochs: readonly (number | undefined)[]): Map<number, Pace> {
  const pace = new Map<number, Pace>();
  let epochsBefore = 0;
  for (const [index, phase] of [...phases.entries()].sort(([a], [b]) => a - b)) {
    const validation = [...validations.entries()].find(([globalStep, row]) => row.phase === phase.name && row.epoch >= 1 && globalStep >= phase.first && globalStep <= phase.last);
    const epochs = phaseEpochs[index];
    const stepsPerEpoch =
      validation !== undefined ? (validation[0] - phase.base) / validation[1].epoch : epochs !== undefined && epochs > 0 && phase.totalSteps > 0 ? phase.totalSteps / epochs : NaN;
    pace.set(index, { stepsPerEpoch, epochsBefore });
    epochsBefore += phase.totalSteps / stepsPerEpoch;
  }
  return pace;
}

const epochOf = (pace: Pace | undefined, stepInPhase: number) => {
  const epoch = pace === undefined ? NaN : pace.epochsBefore + stepInPhase / pace.stepsPerEpoch;
  return Number.isFinite(epoch) ? compact(epoch) : null;
};

function keysOf(rows: Iterable<NumberRecord>): string[] {
  const keys = new Set<string>();
  for (const row of rows) for (const key of Object.keys(row)) keys.add(key);
  return [...keys].sort();
}

function stepColumns(steps: ReadonlyMap<number, StepRow>, pace: ReadonlyMap<number, Pace>): RunSeries['steps'] {
  const rows = [...steps.entries()].sort(([a], [b]) => a - b);
  const columnOf = (pick: (row: StepRow) => number | undefined) => rows.map(([, row]) => pick(row) ?? null);
  const loss: Record<string, (number | null)[]> = {};
  for (const task of keysOf(rows.map(([, row]) => row.loss))) if (task === 'a' || task === 'b') loss[task] = columnOf((row) => row.loss[task]);
  const learningRates: Record<string, (number | null)[]> = {};
  for (const group of keysOf(rows.map(([, row]) => row.learningRates))) learningRates[group] = columnOf((row) => row.learningRates[group]);
  return {
    globalStep: rows.map(([globalStep]) => globalStep),
    epoch: rows.map(([, row]) => epochOf(pace.get(row.phaseIndex), row.step)),
    loss,
    learningRates,
  };
}

function validationColumns(validations: ReadonlyMap<number, ValidationRow>, phases: ReadonlyMap<number, PhaseInfo>, pace: ReadonlyMap<number, Pace>): RunSeries['validations'] {
  const rows = [...validations.entries()].sort(([a], [b]) => a - b);
  const phaseIndexOf = (name: string) => [...phases.entries()].find(([, phase]) => phase.name === name)?.[0];
  const tasks: RunSeries['validations']['tasks'] = {};
  for (const task of ['a', 'b'] as const) {
    if (!rows.some(([, row]) => row.tasks[task] !== undefined)) continue;
    const metric = (name: string) => rows.map(([, row]) => row.tasks[task]?.[name] ?? null);
    tasks[task] = { loss: metric('loss'), accuracy: metric('accuracy'), macroF1: metric('macroF1') };
  }
  return {
    globalStep: rows.map(([globalStep]) => globalStep),
    epoch: rows.map(([, row]) => {
      const index = phaseIndexOf(row.phase);
      const epoch = index === undefined ? NaN : (pace.get(index)?.epochsBefore ?? NaN) + row.epoch;
      return Number.isFinite(epoch) ? epoch : null;
    }),
    tasks,
  };
}

/** The epochs the run's recorded experiment gives each phase (index = phase index), where it says. */
async function recordedPhaseEpochs(folder: string): Promise<(number | undefined)[]> {
  const text = await fs.readFile(path.join(folder, EXPERIMENT_FILE), 'utf8').catch(() => undefined);
  const experiment = text === undefined ? undefined : parseLine(text);
  const phases = Array.isArray(experiment?.phases) ? (experiment.phases as unknown[]) : [];
  return phases.map((phase) => (isObject(phase) && typeof phase.epochs === 'number' ? phase.epochs : undefined));
}

/** The curves of the run in `folder`; a run without readable events has empty ones. */
export async function readRunSeries(folder: string, runId: string, color: number): Promise<RunSeries> {
  const file = path.join(folder, EVENTS_FILE);
  const readable = existsSync(file) && (await fs.stat(file)).size <= MAX_EVENTS_BYTES;
  const text = readable ? await fs.readFile(file, 'utf8') : '';
  return runSeriesFromEvents(text, runId, color, await recordedPhaseEpochs(folder));
}
