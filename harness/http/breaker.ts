import { setMaxListeners } from 'node:events';

/**
 * Stops a run whose target has stopped answering (issue 20): after `limit` requests in a row got
 * no answer — refused, reset, timed out, a body past the size limit — it trips, with the last
 * failure as its reason. From then on `signal` is aborted: the requests in flight are abandoned
 * and no other is sent. Any answer in between starts the count again. A limit of 0 never trips.
 */
export class CircuitBreaker {
  private inARow = 0;
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
    this.inARow = 0;
  }

  /** A request got none: `failure` says which and why (`GET …/Users: no response within 30 s`). */
  failed(failure: string): void {
    this.inARow++;
    if (this.limit > 0 && this.inARow >= this.limit && !this.controller.signal.aborted) {
      this.controller.abort(`${this.limit} requests in a row got no usable answer from the target, the last: ${failure}`);
    }
  }
}
