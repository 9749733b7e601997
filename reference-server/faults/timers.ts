/**
 * The timers fault delays and hangs wait on: the real ones by default, a virtual one in tests (and
 * in a harness that keeps virtual time), so that no wait takes wall time unless the server is real.
 */
export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const REAL_TIMERS: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** A wait the server has started (a fault's delay or hang, holding one request), as its watcher is told of it. */
export interface Hold {
  /** How long the server means to wait, in milliseconds (a hang: its 10-minute limit, then a reset). */
  readonly ms: number;
  /** Ends the wait now, as if its time had passed: the server goes on as it would have then. */
  release(): void;
}

interface WatchedHandle {
  cancel(): void;
}

/**
 * Real timers that tell a watcher of each wait as it starts: a harness embedding the server, with
 * a virtual clock, counts the wait in its own time and ends it at once (Okta's timeout against a
 * hang, docs/okta.md). A wait nobody watches, or that its watcher leaves alone, takes its real time,
 * so that the server behaves for any client as it does on the real timers.
 */
export class WatchedTimers implements Timers {
  private watcher: ((hold: Hold) => void) | undefined;

  /**
   * Tells `onHold` of each wait started from now until the returned function is called: the
   * waits of the one request its caller has out (one watcher at a time, as one scenario's IdP
   * sends one request at a time).
   */
  watch(onHold: (hold: Hold) => void): () => void {
    this.watcher = onHold;
    return () => {
      if (this.watcher === onHold) this.watcher = undefined;
    };
  }

  setTimeout(callback: () => void, ms: number): WatchedHandle {
    let done = false;
    const timer = setTimeout(() => fire(), ms);
    const fire = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      callback();
    };
    const watcher = this.watcher;
    // Told once the caller holds the handle: a release never runs inside the caller's own setTimeout.
    if (watcher) queueMicrotask(() => watcher({ ms, release: fire }));
    return {
      cancel: () => {
        done = true;
        clearTimeout(timer);
      },
    };
  }

  clearTimeout(handle: unknown): void {
    (handle as WatchedHandle).cancel();
  }
}
