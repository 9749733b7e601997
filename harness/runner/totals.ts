import type { ScenarioResult, Totals } from '../result.js';

/** How many scenarios ended each way. Its own module: merging shards needs it without the runner. */
export function totalsOf(results: readonly ScenarioResult[]): Totals {
  const count = (status: ScenarioResult['status']) => results.filter((r) => r.status === status).length;
  return { passed: count('passed'), failed: count('failed'), skipped: count('skipped'), blocked: count('blocked'), errored: count('error'), total: results.length };
}
