// What a run's events.jsonl says, folded in one pass: how each invocation of the trainer
// (the first run, then each resume) started and ended, the phases, the distinct steps, the
// validations. The status a run-end gives holds only for the last invocation: a resumed run
// that was killed again has no run-end after its last run-start.

import type { RunSummary, TaskResult } from '../../protocol/run-summary';
import { countField, objectField, parseEventLine, stringField, visitEventLines, type EventRecord, type LineVisitor } from './event-lines';
import { TaskResultFold, validationMetrics } from './task-results';
import { ENGINE_NAMES, type EngineName } from '../vocabulary/engines';

const isEngineName = (value: string | undefined): value is EngineName => (ENGINE_NAMES as readonly (string | undefined)[]).includes(value);

export interface EventsDigest {
  /** There was a run-start: the file is a run's. */
  readonly started: boolean;
  readonly startedAt?: string;
  /** The run-end after the last run-start, if that invocation wrote one. */
  readonly end?: { readonly status: 'completed' | 'stopped' | 'failed'; readonly time?: string; readonly resumable?: boolean };
  /** Time of the last event (any type). */
  readonly lastEventAt?: string;
  /** Training time summed over the invocations. */
  readonly durationMs: number;
  readonly steps: number;
  readonly phases: readonly string[];
  /** The engines each phase's phase-starts name, in order, each once; undefined when none names one. */
  readonly phaseEngines?: Record<string, EngineName[]>;
  readonly backend?: string;
  readonly experimentFile?: string;
  readonly forkedFrom?: { readonly run: string; readonly checkpoint: string };
  /** thaw sweep: the sweep and the variant this run is. */
  readonly sweep?: { readonly id: string; readonly variant: Readonly<Record<string, unknown>>; readonly shared?: boolean };
  /** Where the last invocation is: its last step, else its last phase-start. */
  readonly position?: NonNullable<RunSummary['progress']>;
  readonly trainableParameters?: number;
  readonly tasks: RunSummary['tasks'];
  readonly hasCheckpoint: boolean;
  /** Lines that could not be read, the torn last line not counted. */
  readonly unreadableLines: number;
}

/** Folds `events.jsonl` of a run. */
export async function digestEvents(file: string): Promise<EventsDigest> {
  const fold = new EventsFold();
  await visitEventLines(file, fold);
  return fold.digest();
}

const RUN_END_STATUSES = new Set(['completed', 'stopped', 'failed']);
const timeOf = (line: string): string | undefined => /^\{"time":"([^"]+)"/.exec(line)?.[1] ?? stringField(parseEventLine(line) ?? { type: '' }, 'time');

class EventsFold implements LineVisitor {
  private firstStartAt?: string;
  private end?: EventsDigest['end'];
  private lastEventAt?: string;
  private invocationStart?: number;
  private durationMs = 0;
  private readonly steps = new Set<number>();
  private lastStepLine?: string;
  /** The last step line since the last other event: its time is the latest seen. */
  private pendingStepLine?: string;
  private readonly phases: string[] = [];
  private readonly phaseEngines = new Map<string, EngineName[]>();
  private lastPhaseStart?: { phase: string; totalSteps: number; frozen: readonly string[] };
  private backend?: string;
  private experimentFile?: string;
  private forkedFrom?: EventsDigest['forkedFrom'];
  private sweep?: EventsDigest['sweep'];
  private groups?: Readonly<Record<string, unknown>>;
  private readonly taskNames: Partial<Record<string, string>> = {};
  private readonly taskFolds = new Map<'a' | 'b', TaskResultFold>();
  private hasCheckpoint = false;
  private unreadableLines = 0;

  step(globalStep: number, line: string): void {
    this.steps.add(globalStep);
    this.lastStepLine = line;
    this.pendingStepLine = line;
  }

  unreadable(last: boolean): void {
    if (!last) this.unreadableLines++;
  }

  event(event: EventRecord): void {
    const time = stringField(event, 'time');
    this.takePendingStepTime();
    switch (event.type) {
      case 'run-start':
        this.closeInvocation();
        this.runStart(event, time);
        break;
      case 'phase-start': {
        const phase = stringField(event, 'phase');
        if (phase === undefined) break;
        if (!this.phases.includes(phase)) this.phases.push(phase);
        this.phaseEngine(phase, stringField(event, 'engine'));
        const frozen = Array.isArray(event.frozen) ? event.frozen.filter((group): group is string => typeof group === 'string') : [];
        this.lastPhaseStart = { phase, totalSteps: countField(event, 'totalSteps') ?? 0, frozen };
        this.lastStepLine = undefined;
        break;
      }
      case 'validation':
        this.validation(event);
        break;
      case 'checkpoint':
        this.hasCheckpoint = true;
        break;
      case 'run-end': {
        const status = stringField(event, 'status');
        if (status === undefined || !RUN_END_STATUSES.has(status)) break;
        this.end = { status: status as 'completed' | 'stopped' | 'failed', time, ...(typeof event.resumable === 'boolean' ? { resumable: event.resumable } : {}) };
        const elapsed = countField(event, 'elapsedMs');
        if (elapsed !== undefined && this.invocationStart !== undefined) {
          this.durationMs += elapsed;
          this.invocationStart = undefined;
        }
        break;
      }
    }
    if (time !== undefined) this.lastEventAt = time;
  }

  private runStart(event: EventRecord, time: string | undefined): void {
    this.firstStartAt ??= time;
    this.end = undefined;
    this.lastStepLine = undefined;
    this.invocationStart = time === undefined ? undefined : Date.parse(time);
    this.backend = stringField(event, 'backend') ?? this.backend;
    this.experimentFile ??= stringField(event, 'experimentFile');
    const forked = objectField(event, 'forkedFrom');
    if (this.forkedFrom === undefined && typeof forked?.run === 'string' && typeof forked.checkpoint === 'string') this.forkedFrom = { run: forked.run, checkpoint: forked.checkpoint };
    const sweep = objectField(event, 'sweep');
    const variant = sweep?.variant;
    if (this.sweep === undefined && typeof sweep?.id === 'string' && variant !== null && typeof variant === 'object' && !Array.isArray(variant)) {
      this.sweep = { id: sweep.id, variant: variant as Record<string, unknown>, ...(sweep.shared === true ? { shared: true } : {}) };
    }
    const model = objectField(event, 'model');
    const groups = model?.groups;
    if (groups !== null && typeof groups === 'object' && !Array.isArray(groups)) this.groups = groups as Record<string, unknown>;
    const tasks = objectField(event, 'tasks') ?? {};
    for (const [key, task] of Object.entries(tasks)) {
      const name = (task as { name?: unknown } | null)?.name;
      if (typeof name === 'string') this.taskNames[key] = name;
    }
  }

  /** A resume on the other engine adds it after the first; a name that is no engine is left out. */
  private phaseEngine(phase: string, engine: string | undefined): void {
    if (!isEngineName(engine)) return;
    const engines = this.phaseEngines.get(phase) ?? [];
    if (!engines.includes(engine)) this.phaseEngines.set(phase, [...engines, engine]);
  }

  private validation(event: EventRecord): void {
    const step = countField(event, 'globalStep');
    const tasks = objectField(event, 'tasks');
    if (step === undefined || tasks === undefined) return;
    for (const key of ['a', 'b'] as const) {
      const metrics = validationMetrics(tasks[key]);
      if (metrics === undefined) continue;
      let fold = this.taskFolds.get(key);
      if (fold === undefined) this.taskFolds.set(key, (fold = new TaskResultFold()));
      fold.add(step, metrics);
    }
  }

  private takePendingStepTime(): void {
    if (this.pendingStepLine === undefined) return;
    this.lastEventAt = timeOf(this.pendingStepLine) ?? this.lastEventAt;
    this.pendingStepLine = undefined;
  }

  /** An invocation that ended without a run-end counts until its last event. */
  private closeInvocation(): void {
    if (this.invocationStart === undefined || this.lastEventAt === undefined) return;
    this.durationMs += Math.max(0, Date.parse(this.lastEventAt) - this.invocationStart);
    this.invocationStart = undefined;
  }

  digest(): EventsDigest {
    this.takePendingStepTime();
    this.closeInvocation();
    const tasks: Partial<Record<'a' | 'b', TaskResult>> = {};
    for (const key of ['a', 'b'] as const) {
      const fold = this.taskFolds.get(key);
      if (fold !== undefined) tasks[key] = fold.result(this.taskNames[key] ?? key);
      else if (this.taskNames[key] !== undefined) tasks[key] = { name: this.taskNames[key] };
    }
    return {
      started: this.firstStartAt !== undefined,
      startedAt: this.firstStartAt,
      end: this.end,
      lastEventAt: this.lastEventAt,
      durationMs: this.durationMs,
      steps: this.steps.size,
      phases: this.phases,
      phaseEngines: this.phaseEngines.size === 0 ? undefined : Object.fromEntries(this.phaseEngines),
      backend: this.backend,
      experimentFile: this.experimentFile,
      forkedFrom: this.forkedFrom,
      sweep: this.sweep,
      position: this.position(),
      trainableParameters: this.trainableParameters(),
      tasks,
      hasCheckpoint: this.hasCheckpoint,
      unreadableLines: this.unreadableLines,
    };
  }

  private position(): EventsDigest['position'] {
    const step = this.lastStepLine === undefined ? undefined : parseEventLine(this.lastStepLine);
    const phase = step === undefined ? undefined : stringField(step, 'phase');
    if (step !== undefined && phase !== undefined) return { phase, step: countField(step, 'step') ?? 0, totalSteps: countField(step, 'totalSteps') ?? 0 };
    return this.lastPhaseStart === undefined ? undefined : { phase: this.lastPhaseStart.phase, step: 0, totalSteps: this.lastPhaseStart.totalSteps };
  }

  private trainableParameters(): number | undefined {
    if (this.groups === undefined) return undefined;
    const frozen = new Set(this.lastPhaseStart?.frozen ?? []);
    let total = 0;
    for (const [group, count] of Object.entries(this.groups)) if (!frozen.has(group) && typeof count === 'number' && Number.isInteger(count) && count >= 0) total += count;
    return total;
  }
}
