import type { LeftBehind, RunResult } from '../harness/result.js';

/*
 * How a run ended, when not simply: stopped by a signal, and what its cleanup left on the target.
 * Every report says both, in these words.
 */

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** `Interrupted by SIGINT at …: 12 scenarios ran, 300 never started; these results are partial.` Undefined for a run that was not. */
export function interruptedText(result: RunResult): string | undefined {
  const stop = result.interrupted;
  if (!stop) return undefined;
  const notRun = stop.notRun.length > 0 ? `, ${stop.notRun.length} never started` : '';
  return `Interrupted by ${stop.signal} at ${stop.at}: ${count(result.scenarios.length, 'scenario', 'scenarios')} ran${notRun}; these results are partial.`;
}

/** `2 resources the cleanup could not delete are left on the target: delete them by hand.` Undefined when none is. */
export function leftBehindText(left: readonly LeftBehind[] | undefined): string | undefined {
  if (!left || left.length === 0) return undefined;
  return `${count(left.length, 'resource the cleanup could not delete is', 'resources the cleanup could not delete are')} left on the target: delete them by hand.`;
}

/** One resource left behind: `<url> (<scenario>): <reason>`. */
export const leftBehindItem = (left: LeftBehind) => `${left.url} (${left.scenario}): ${left.reason}`;

/** Both, as lines of text (console, stderr): the interruption, then what is left and each resource. */
export function runEndLines(result: RunResult): string[] {
  const interrupted = interruptedText(result);
  const left = leftBehindText(result.leftBehind);
  return [
    ...(interrupted === undefined ? [] : [interrupted]),
    ...(left === undefined ? [] : [left, ...(result.leftBehind ?? []).map((l) => `  ${leftBehindItem(l)}`)]),
  ];
}
