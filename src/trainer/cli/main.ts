#!/usr/bin/env node
// `thaw`: the engine's command line. People read stderr (progress, the backend in use, errors);
// programs read stdout (JSON lines).

import { ThawError, UsageError } from '../../core/errors';
import { experimentJsonSchema } from '../../core/experiment/experiment-json-schema';
import { writeCrashLog } from '../train/crash-log';

const USAGE = `Usage: thaw <command> [options]

Commands:
  init-model   write a model folder with seeded random weights (thaw init-model --help)
  embed        print sentence embeddings as JSON lines (thaw embed --help)
  export       write a run's model for sentence-transformers and transformers.js (thaw export --help)
  train        run or resume a multi-task training experiment (thaw train --help)
  runs         list and compare runs: thaw runs list [FOLDER...] [--json], thaw runs compare RUN... [--json]
  sweep        run an experiment's variants or its freezing scenarios, and report them (thaw sweep --help)
  schema       print the experiment file's JSON Schema
`;

// Each command loads its own modules: `thaw runs` and `thaw schema` never load TensorFlow.js.
const COMMANDS: Record<string, (args: string[]) => Promise<void>> = {
  'init-model': async (args) => (await import('./init-model-command.js')).runInitModelCommand(args),
  embed: async (args) => (await import('./embed-command.js')).runEmbedCommand(args),
  export: async (args) => (await import('./export-command.js')).runExportCommand(args),
  train: async (args) => (await import('./train-command.js')).runTrainCommand(args),
  runs: async (args) => (await import('./runs-command.js')).runRunsCommand(args),
  // `thaw sweep report` reads files only: it does not load the engine.
  sweep: async (args) =>
    args[0] === 'report' ? (await import('./sweep-report-command.js')).runSweepReportCommand(args.slice(1)) : (await import('./sweep-command.js')).runSweepCommand(args),
  schema: () => Promise.resolve(void process.stdout.write(`${JSON.stringify(experimentJsonSchema(), null, 2)}\n`)),
};

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  if (command === undefined || command === '--help' || command === '-h') {
    process.stdout.write(USAGE);
    return command === undefined ? 2 : 0;
  }
  const run = COMMANDS[command];
  if (run === undefined) {
    process.stderr.write(`thaw: unknown command "${command}"\n\n${USAGE}`);
    return 2;
  }
  try {
    await run(args);
    return 0;
  } catch (error) {
    // A ThawError or a bad option is the user's to fix: one line, no stack trace.
    const usage = error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') === true;
    if (error instanceof ThawError || usage) {
      process.stderr.write(`thaw ${command}: ${(error as Error).message}\n`);
      return usage ? 2 : 1;
    }
    reportUnexpected(command, error);
    return 1;
  }
}

/** Anything Thaw did not expect: one line, and the stack in a log file that line names. */
function reportUnexpected(command: string, error: unknown): void {
  const log = writeCrashLog(error);
  process.stderr.write(`thaw ${command}: unexpected error: ${error instanceof Error ? error.message : String(error)}${log === undefined ? '' : ` (the stack is in ${log})`}\n`);
}

// Errors outside main's promise chain (a failed callback, a stray rejection) end the same way.
for (const event of ['uncaughtException', 'unhandledRejection'] as const) {
  process.on(event, (error: unknown) => {
    reportUnexpected(process.argv[2] ?? 'thaw', error);
    process.exit(1);
  });
}

void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
