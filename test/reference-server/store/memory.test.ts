import { beforeAll, describe, expect, it, vi } from 'vitest';
import { MemoryStore } from '../../../reference-server/store/memory.js';
import type { ResourceTypeName, TouchHook } from '../../../reference-server/store/types.js';
import { matchesFilter } from '../../../scim/filter/evaluate.js';
import { parseFilter } from '../../../scim/filter/parse.js';
import { groupModel, userModel } from '../../../scim/schema/index.js';
import { URN } from '../../../scim/schema/urns.js';
import { group, ids, storeContract, user } from './contract.js';

// Count evaluator calls, to prove which lists scan and which use an index.
vi.mock('../../../scim/filter/evaluate.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../../scim/filter/evaluate.js')>();
  return { ...original, matchesFilter: vi.fn(original.matchesFilter) };
});
const evaluations = vi.mocked(matchesFilter);

function newStore(touch?: TouchHook) {
  return new MemoryStore({ models: { User: userModel, Group: groupModel }, touch });
}

storeContract('memory', async (touch) => ({ store: newStore(touch), done: async () => {} }));

describe('MemoryStore: eq lookups use the indexes', () => {
  const USERS = 100_000;
  const store = newStore();
  beforeAll(async () => {
    for (let i = 0; i < USERS; i++) {
      await store.create('User', { id: `id-${i}`, userName: `user${i}@example.com`, externalId: `ext-${i}`, active: i % 2 === 0 });
    }
    await store.create('Group', group('g1', 'Sales Team'));
    await store.create('Group', group('g2', 'Support'));
  });

  const listing = async (type: ResourceTypeName, filter: string) => {
    evaluations.mockClear();
    const result = await store.list(type, { filter: parseFilter(filter) });
    return { ids: ids(result.resources), evaluated: evaluations.mock.calls.length };
  };

  it.each([
    ['userName eq "USER99999@example.com"', ['id-99999']],
    [`${URN.user}:userName eq "user5@example.com"`, ['id-5']],
    ['externalId eq "ext-42"', ['id-42']],
    ['id eq "id-77"', ['id-77']],
    ['active eq true and userName eq "user10@example.com"', ['id-10']],
    ['userName eq "user11@example.com" and active eq true', []],
    ['(userName eq "user12@example.com" and active eq true) and externalId eq "ext-12"', ['id-12']],
    ['userName eq "nobody@example.com"', []],
    ['externalId eq "EXT-42"', []],
  ])('answers %s evaluating at most one user', async (filter, expected) => {
    const result = await listing('User', filter);
    expect(result.ids).toEqual(expected);
    expect(result.evaluated).toBeLessThanOrEqual(1);
  });

  it('answers a group displayName eq from its index, ignoring case', async () => {
    expect(await listing('Group', 'displayName eq "sales team"')).toEqual({ ids: ['g1'], evaluated: 1 });
  });

  it('scans when no required eq term is indexed', async () => {
    const or = await listing('User', 'userName eq "user1@example.com" or userName eq "user2@example.com"');
    expect(or).toEqual({ ids: ['id-1', 'id-2'], evaluated: USERS });
    const not = await listing('User', 'not (userName ne "user3@example.com")');
    expect(not).toEqual({ ids: ['id-3'], evaluated: USERS });
    expect((await listing('User', 'userName sw "user9999"')).evaluated).toBe(USERS);
  });
});

describe('MemoryStore: withLock', () => {
  it('keeps what a work wrote before it threw: its works write last', async () => {
    const store = newStore();
    await store.create('User', user('u1', 'ada'));
    const failing = store.withLock('User', 'u1', async (tx) => {
      await tx.replace('User', 'u1', user('u1', 'lovelace'));
      throw new Error('after the write');
    });
    await expect(failing).rejects.toThrow('after the write');
    expect((await store.get('User', 'u1'))!.userName).toBe('lovelace');
  });
});
