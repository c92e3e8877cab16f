// The trainer as a child process of the extension host: `thaw train` forked without a shell,
// one run at a time, its events received over IPC and validated before anyone sees them.

import { execFile, fork, type ChildProcess } from 'node:child_process';
import * as vscode from 'vscode';
import type { SweepEvent } from '../../protocol/sweep-events';
import type { TrainerEvent } from '../../protocol/trainer-events';
import { engineArgs } from './engine-args';
import { threadArgs } from './thread-args';

export interface TrainerExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** The run's last event, if any arrived. */
  readonly lastEvent?: TrainerEvent;
  /** The last error the trainer reported, or the tail of its stderr. */
  readonly lastError?: string;
}

/**
 * Grace period between asking the trainer to stop (SIGTERM) and killing it. After SIGTERM it
 * finishes its step (and the epoch's validation, if the step ends one) and checkpoints: a
 * MiniLM-size checkpoint takes 1-1.5 s to write here (npm run bench:checkpoint). A kill later
 * than that loses only progress, never the previous checkpoint. The trainer is its own process
 * group, so it goes on checkpointing even when the extension host itself is gone.
 */
const KILL_AFTER_MS = 30_000;

export class TrainerProcess implements vscode.Disposable {
  private child: ChildProcess | undefined;
  /** The folder of the current (or last) run, from its run-start event. */
  runFolder: string | undefined;
  private exited: Promise<void> = Promise.resolve();
  private readonly eventEmitter = new vscode.EventEmitter<TrainerEvent>();
  private readonly exitEmitter = new vscode.EventEmitter<TrainerExit>();
  private readonly startEmitter = new vscode.EventEmitter<void>();
  private readonly sweepEmitter = new vscode.EventEmitter<SweepEvent>();
  /** Every valid sweep event of the current `thaw sweep`. */
  readonly onSweepEvent = this.sweepEmitter.event;
  /** Fires once a run's process is started. */
  readonly onStart = this.startEmitter.event;
  /** Every valid event of the current run. */
  readonly onEvent = this.eventEmitter.event;
  /** Fires once the process is gone. */
  readonly onExit = this.exitEmitter.event;

  constructor(
    private readonly cliPath: string,
    private readonly output: vscode.OutputChannel,
    private readonly nodePath: () => string | undefined,
    /** The thaw.threads setting, read at each start. */
    private readonly threads: () => unknown = () => undefined,
    /** The thaw.engine setting, read at each start. */
    private readonly engine: () => unknown = () => undefined,
  ) {}

  get running(): boolean {
    return this.child !== undefined;
  }

  /** Starts `thaw <args>` (e.g. train FILE --phase NAME) with the thaw.threads and thaw.engine settings; refuses while a run is going. */
  async start(commandArgs: readonly string[]): Promise<void> {
    if (this.child !== undefined) throw new Error('a training run is already going; stop it first');
    const args = [...commandArgs, ...threadArgs(this.threads()), ...engineArgs(this.engine())];
    // The validators (zod) load on the first run, not during activation.
    const [{ parseTrainerEvent }, { parseSweepEvent }] = await Promise.all([import('../../protocol/trainer-events.js'), import('../../protocol/sweep-events.js')]);
    const execPath = this.nodePath() || process.execPath;
    // In VS Code's Electron extension host, ELECTRON_RUN_AS_NODE makes execPath a plain Node.
    const child = fork(this.cliPath, [...args], {
      execPath,
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      // Its own process group, so disposing can signal the trainer and anything it started.
      detached: true,
    });
    this.child = child;
    this.runFolder = undefined;
    this.startEmitter.fire();
    this.output.appendLine(`[thaw] started the trainer (pid ${child.pid ?? '?'}): ${execPath} ${this.cliPath} ${args.join(' ')}`);
    let lastEvent: TrainerEvent | undefined;
    let lastError: string | undefined;
    let stderrTail = '';
    child.stdout?.on('data', (chunk: Buffer) => this.output.append(chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      stderrTail = (stderrTail + text).slice(-2000);
      this.output.append(text);
    });
    child.on('message', (message: unknown) => {
      const parsed = parseTrainerEvent(message);
      if (!parsed.ok) {
        // `thaw sweep` also sends sweep events (plan, start, progress) between its runs' events.
        const sweep = parseSweepEvent(message);
        if (sweep.ok) this.sweepEmitter.fire(sweep.value);
        else this.output.appendLine(`[thaw] ignored an invalid message from the trainer: ${parsed.error}`);
        return;
      }
      lastEvent = parsed.value;
      if (parsed.value.type === 'run-start') this.runFolder = parsed.value.runFolder;
      if (parsed.value.type === 'error') lastError = parsed.value.message;
      this.eventEmitter.fire(parsed.value);
    });
    this.exited = new Promise((resolve) => {
      child.on('exit', (code, signal) => {
        this.child = undefined;
        this.output.appendLine(`[thaw] the trainer exited (${signal ?? `code ${code}`})`);
        // The trainer's own error event says most; else how it ended: killed, or its last stderr line.
        const ended = signal !== null ? `the trainer was killed (${signal})` : (stderrTail.trim().split('\n').at(-1) ?? `the trainer exited with code ${code}`);
        const exit = { code, signal, lastEvent, lastError: lastError ?? (code === 0 ? undefined : ended) };
        this.exitEmitter.fire(exit);
        resolve();
      });
    });
  }

  /** Runs `thaw <args>` to its end and returns its stdout lines (e.g. `thaw sweep FILE --dry-run --json`); a failure throws its last stderr line. */
  plan(args: readonly string[]): Promise<string[]> {
    const execPath = this.nodePath() || process.execPath;
    return new Promise((resolve, reject) => {
      execFile(execPath, [this.cliPath, ...args], { env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
        if (error !== null) reject(new Error(stderr.trim().split('\n').at(-1) || error.message));
        else resolve(stdout.split('\n').filter((line) => line.trim() !== ''));
      });
    });
  }

  /** Asks the trainer to finish its step, checkpoint and exit; resolves when it has exited. */
  async stop(): Promise<void> {
    const child = this.child;
    if (child === undefined) return;
    if (child.connected) child.send({ type: 'stop' });
    else this.signal(child, 'SIGTERM');
    const timer = setTimeout(() => this.signal(child, 'SIGKILL'), KILL_AFTER_MS);
    await this.exited;
    clearTimeout(timer);
  }

  private signal(child: ChildProcess, signal: NodeJS.Signals): void {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, signal);
    } catch {
      // Already gone.
    }
  }

  /** Window reload or deactivation: stop the trainer (its whole process group) and wait for it. */
  async dispose(): Promise<void> {
    const child = this.child;
    if (child !== undefined) {
      this.signal(child, 'SIGTERM');
      const timer = setTimeout(() => this.signal(child, 'SIGKILL'), KILL_AFTER_MS);
      await this.exited;
      clearTimeout(timer);
    }
    this.eventEmitter.dispose();
    this.exitEmitter.dispose();
    this.startEmitter.dispose();
    this.sweepEmitter.dispose();
  }
}
