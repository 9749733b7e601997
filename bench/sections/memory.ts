/** 3. Memory: the reference server's resident size holding N users and M groups, after a forced GC. */
import { startChild } from '../lib/child.js';
import type { ServerReady } from '../lib/users.js';

export interface MemoryMeasure {
  users: number;
  groups: number;
  rssMB: number;
  heapMB: number;
  /** An empty reference server, for the per-user cost. */
  emptyRssMB: number;
  seedMs: number;
}

const MB = 1024 * 1024;

async function rssOf(users: number, groups: number) {
  const child = await startChild<ServerReady>('reference', { users, groups, membersPerGroup: 10, gc: true }, { nodeFlags: ['--expose-gc'] });
  try {
    const usage = await child.usage();
    return { rss: usage.rss / MB, heap: usage.heapUsed / MB, seedMs: child.ready.seedMs };
  } finally {
    await child.stop();
  }
}

export async function measureMemory(users: number, groups: number): Promise<MemoryMeasure> {
  const empty = await rssOf(0, 0);
  const full = await rssOf(users, groups);
  return { users, groups, rssMB: full.rss, heapMB: full.heap, emptyRssMB: empty.rss, seedMs: full.seedMs };
}
