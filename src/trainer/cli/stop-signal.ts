import { parseHostToTrainer } from '../../protocol/trainer-events';
import type { StopSignal } from '../train/trainer';

/** SIGTERM and an IPC "stop" both ask the loop to stop after its current step; `command` names the CLI in its messages. */
export function listenForStop(command: string): StopSignal {
  const stop: StopSignal = { requested: false };
  process.on('SIGTERM', () => (stop.requested = true));
  process.on('message', (message: unknown) => {
    const parsed = parseHostToTrainer(message);
    if (parsed.ok) stop.requested = true;
    else process.stderr.write(`${command}: ignored an invalid message from the host (${parsed.error})\n`);
  });
  return stop;
}
