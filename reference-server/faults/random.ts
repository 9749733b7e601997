/**
 * The seeded generator `probability` draws from (mulberry32): a pure step from one state to the
 * next, so that the same seed and the same requests give the same faults on every run.
 */

/** A seed: a whole number from 0 to 2^32 − 1. */
export const MAX_SEED = 0xffff_ffff;

/** A number in [0, 1) and the state after it. */
export function nextRandom(state: number): { value: number; state: number } {
  const next = (state + 0x6d2b79f5) >>> 0;
  let t = Math.imul(next ^ (next >>> 15), next | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return { value: ((t ^ (t >>> 14)) >>> 0) / 2 ** 32, state: next };
}
