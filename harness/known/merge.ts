import type { Gate, RunResult } from '../result.js';

/**
 * The gate of merged shards: their verdicts, fixed scenarios and stale entries together (a
 * scenario runs in one shard, so none is counted twice), passing when each shard's does. Absent
 * unless every input was gated: a gate over part of the scenarios would read as the whole run's.
 */
export function mergeGates(results: readonly RunResult[]): Gate | undefined {
  const gates = results.map((r) => r.gate);
  if (gates.length === 0 || gates.some((g) => g === undefined)) return undefined;
  const all = gates as Gate[];
  const unknown = [...new Map(all.flatMap((g) => g.unknown ?? []).map((e) => [`${e.file}:${e.line}`, e])).values()];
  const sources = [...new Map(all.flatMap((g) => g.sources).map((s) => [`${s.kind}:${s.file}`, s])).values()];
  return {
    sources,
    failures: all.flatMap((g) => g.failures),
    stale: all.flatMap((g) => g.stale),
    // Every shard loads the same files: an unknown entry is listed once.
    ...(unknown.length ? { unknown } : {}),
    fixed: all.flatMap((g) => g.fixed),
    passed: all.every((g) => g.passed),
  };
}
