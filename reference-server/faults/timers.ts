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
