import { duration } from '../http/client.js';
import type { VirtualClock } from './clock.js';
import type { TargetHold, TargetWaits } from './types.js';

/** One request's watch on the target's waits: see `watchForTimeout`. */
export interface TimeoutWatch {
  /** Aborted when the target holds the request for the timeout or longer: the client gives up at once. */
  signal: AbortSignal;
  /** Whether it was. */
  timedOut(): boolean;
  stop(): void;
}

/**
 * An IdP's timeout in virtual time, for the one request it has out to a target whose waits the
 * run can see (the embedded server's fault delays and hangs, docs/faults.md). A wait shorter than
 * `timeoutMs` moves the clock on by the wait and ends it at once, so that the answer comes; a wait
 * as long or longer is the timeout: the request is abandoned at once, and the caller moves the
 * clock on by `timeoutMs` as after a real timeout. No wall time passes either way.
 */
export function watchForTimeout(waits: TargetWaits, timeoutMs: number, clock: VirtualClock): TimeoutWatch {
  const controller = new AbortController();
  let timedOut = false;
  const onHold = (hold: TargetHold) => {
    if (hold.ms < timeoutMs) {
      clock.advance(hold.ms);
      hold.release();
      return;
    }
    timedOut = true;
    // The exchange's error: the client's own words for a timeout, said to be virtual.
    controller.abort(new Error(`no response within ${duration(timeoutMs)} (virtual time)`));
  };
  return { signal: controller.signal, timedOut: () => timedOut, stop: waits.watch(onHold) };
}
