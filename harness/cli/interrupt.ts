import { constants } from 'node:os';
import { leftBehindItem } from '../../reports/run-end.js';
import type { LeftBehind } from '../result.js';

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/** The exit code of a run a signal stopped, as a shell reports it: 128 + the signal's number (130 SIGINT, 143 SIGTERM). */
export function signalExitCode(signal: string): number {
  const number = (constants.signals as Record<string, number | undefined>)[signal];
  return 128 + (number ?? constants.signals.SIGINT);
}

export interface InterruptWatch {
  /** Aborted by the first signal, with the signal's name as reason. */
  signal: AbortSignal;
  /** Stops listening: the signals have their usual effect again. */
  dispose(): void;
}

/**
 * SIGINT (Ctrl+C) and SIGTERM during a run. The first aborts `signal`, so that the run starts no
 * new scenario, cleans up and writes its reports; the second exits at once, listing what the run
 * has left on the target so far (`leftNow`).
 */
export function watchSignals(how: { keep: boolean; embedded: boolean; leftNow(reason: string): LeftBehind[] }): InterruptWatch {
  const controller = new AbortController();
  // On a terminal the ^C echo and the progress line share the line the next message would start on.
  const newline = process.stderr.isTTY ? '\n' : '';
  const onSignal = (name: NodeJS.Signals) => {
    if (!controller.signal.aborted) {
      controller.abort(name);
      const cleanup = how.keep ? '' : ', delete what the run created';
      process.stderr.write(
        `${newline}${name}: stopping. No new scenario starts; the ones under way finish their request in flight (2 s at most)${cleanup}, ` +
          `and the reports are written with what ran. Press Ctrl+C again to stop at once.\n`,
      );
      return;
    }
    process.stderr.write(`${newline}${name} again: stopped at once, without reports.\n`);
    if (how.embedded) process.stderr.write('The embedded reference server stops with the run: nothing is left behind.\n');
    else if (how.keep) process.stderr.write('What the scenarios created stays on the target, as --keep asks.\n');
    else {
      const left = how.leftNow('not deleted yet: the run was stopped at once');
      const lines = [`Left on the target (${left.length}), to delete by hand:`, ...left.map((l) => `  ${leftBehindItem(l)}`)];
      process.stderr.write(left.length === 0 ? 'Nothing the run created is left on the target.\n' : `${lines.join('\n')}\n`);
    }
    process.exit(signalExitCode(name));
  };
  for (const name of SIGNALS) process.on(name, onSignal);
  return {
    signal: controller.signal,
    dispose: () => SIGNALS.forEach((name) => process.off(name, onSignal)),
  };
}
