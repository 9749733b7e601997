import { createHash } from 'node:crypto';
import { UsageError } from '../runner/errors.js';
import { missingNotice } from '../runner/merge.js';
import type { RunSelection } from '../result.js';

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

const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The scenarios of one shard: sorted by id (by code unit, the same on every machine), every N-th
 * from the K-th. The N shards of one selection are disjoint and together are the whole; the
 * chosen scenarios keep their order.
 */
export function shardOf<T extends { id: string }>(items: readonly T[], { index, count }: Shard): T[] {
  const sorted = [...items].sort((a, b) => byCodeUnit(a.id, b.id));
  const chosen = new Set(sorted.filter((_, i) => i % count === index - 1));
  return items.filter((item) => chosen.has(item));
}

/** The flags that chose a run's scenarios, as given. */
export interface SelectionFlags {
  files: string[];
  grep?: string;
  tags: string[];
  excludeTags: string[];
}

/**
 * What result.json records of the selection: the flags, the shard, and the size and fingerprint
 * of the whole selection, by which `scimulator report` checks that the shards it merges are all
 * the shards of one selection. A shard's own reports say which shards they lack.
 */
export function selectionOf(flags: SelectionFlags, matching: readonly { id: string }[], shard?: Shard): RunSelection {
  const selection: RunSelection = { files: flags.files };
  if (flags.grep !== undefined) selection.grep = flags.grep;
  if (flags.tags.length) selection.tags = flags.tags;
  if (flags.excludeTags.length) selection.excludeTags = flags.excludeTags;
  if (shard) selection.shard = { index: shard.index, count: shard.count };
  selection.size = matching.length;
  const ids = matching.map((s) => s.id).sort(byCodeUnit);
  selection.fingerprint = `sha256:${createHash('sha256').update(ids.join('\n'), 'utf8').digest('hex')}`;
  const others = shard ? Array.from({ length: shard.count }, (_, i) => i + 1).filter((index) => index !== shard.index) : [];
  const notice = shard && missingNotice(selection, shard.count, others);
  if (notice) selection.notices = [notice];
  return selection;
}
