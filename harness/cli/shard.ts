import { UsageError } from '../runner/errors.js';

export interface Shard {
  /** From 1. */
  index: number;
  count: number;
}

/** `--shard K/N`: the K-th of N shards. */
export function parseShard(text: string): Shard {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!match) throw new UsageError(`--shard must look like K/N, e.g. 2/4 for the second of four shards; got "${text}"`);
  const index = Number(match[1]);
  const count = Number(match[2]);
  if (count < 1) throw new UsageError(`--shard ${text}: the number of shards N must be 1 or more`);
  if (index < 1 || index > count) throw new UsageError(`--shard ${text}: K must be between 1 and ${count}`);
  return { index, count };
}

/**
 * The scenarios of one shard: sorted by id (by code unit, the same on every machine), every N-th
 * from the K-th. The N shards of one selection are disjoint and together are the whole; the
 * chosen scenarios keep their order.
 */
export function shardOf<T extends { id: string }>(items: readonly T[], { index, count }: Shard): T[] {
  const sorted = [...items].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const chosen = new Set(sorted.filter((_, i) => i % count === index - 1));
  return items.filter((item) => chosen.has(item));
}
