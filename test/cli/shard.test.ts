import { describe, expect, it } from 'vitest';
import { parseShard, shardOf } from '../../harness/cli/shard.js';

const items = ['c', 'a', 'e', 'b', 'd', 'f', 'g'].map((id) => ({ id }));

describe('shards', () => {
  it('split a selection into N disjoint parts that together are the whole, by sorted id', () => {
    const parts = [1, 2, 3].map((index) => shardOf(items, { index, count: 3 }).map((i) => i.id));
    expect(parts).toEqual([['a', 'd', 'g'], ['e', 'b'], ['c', 'f']]);
    expect(parts.flat().sort()).toEqual(items.map((i) => i.id).sort());
  });

  it('do not depend on the order scenarios were loaded in', () => {
    const reversed = [...items].reverse();
    expect(shardOf(reversed, { index: 2, count: 3 }).map((i) => i.id).sort()).toEqual(['b', 'e']);
  });

  it('parse K/N', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    expect(parseShard(' 1 / 1 ')).toEqual({ index: 1, count: 1 });
    expect(() => parseShard('5/4')).toThrow(/K must be between 1 and 4/);
    expect(() => parseShard('-1/4')).toThrow(/must look like K\/N/);
  });
});
