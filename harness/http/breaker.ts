import { setMaxListeners } from 'node:events';

/**
 * Stops a run whose target has stopped answering (issue 20): once `limit` of the last `2 × limit`
 * settled requests got no answer — refused, reset, timed out, a body past the size limit — it
 * trips, with the last failure as its reason. From then on `signal` is aborted: the requests in
 * flight are abandoned and no other is sent. A window rather than a run in a row: a target that
 * still answers its discovery endpoints but hangs on everything else answers a few requests
 * between each wave of timeouts, which would otherwise start the count again every time. A limit
 * of 0 never trips.
 */
export class CircuitBreaker {
  /** The last `2 × limit` settled requests, oldest first: true for one that got no answer. */
  private readonly recent: boolean[] = [];
  private readonly controller = new AbortController();

  constructor(readonly limit: number) {
    // Every request in flight listens to it.
    setMaxListeners(0, this.controller.signal);
  }

  /** Aborted when the breaker trips; its reason is `reason`. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Why it tripped, once it has. */
  get reason(): string | undefined {
    return this.controller.signal.aborted ? String(this.controller.signal.reason) : undefined;
  }

  /** A request got an answer. */
  answered(): void {
    this.settle(false);
  }

  /** A request got none: `failure` says which and why (`GET …/Users: no response within 30 s`). */
  failed(failure: string): void {
    this.settle(true);
    const failures = this.recent.filter(Boolean).length;
    if (this.limit > 0 && failures >= this.limit && !this.controller.signal.aborted) {
      this.controller.abort(`${failures} of the last ${this.recent.length} requests got no usable answer from the target, the last: ${failure}`);
    }
  }

  private settle(failed: boolean): void {
    if (this.limit === 0) return;
    this.recent.push(failed);
    if (this.recent.length > 2 * this.limit) this.recent.shift();
  }
}
