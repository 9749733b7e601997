import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { MemoryStore } from '../../../reference-server/store/memory.js';
import type { GroupRef, Resource, ResourceTypeName, TouchHook } from '../../../reference-server/store/types.js';
import { ScimError } from '../../../scim/errors.js';
import { matchesFilter } from '../../../scim/filter/evaluate.js';
import { parseFilter } from '../../../scim/filter/parse.js';
import { groupModel, userModel } from '../../../scim/schema/index.js';
import { URN } from '../../../scim/schema/urns.js';

// Count evaluator calls, to prove which lists scan and which use an index.
vi.mock('../../../scim/filter/evaluate.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../../scim/filter/evaluate.js')>();
  return { ...original, matchesFilter: vi.fn(original.matchesFilter) };
});
const evaluations = vi.mocked(matchesFilter);

function user(id: string, userName: string, extra: Resource = {}): Resource {
  return { schemas: [URN.user], id, userName, meta: { resourceType: 'User', version: `W/"${id}-1"` }, ...extra };
}

function group(id: string, displayName: string, members: string[] = [], extra: Resource = {}): Resource {
  return { schemas: [URN.group], id, displayName, members: members.map((value) => ({ value })), meta: { resourceType: 'Group', version: `W/"${id}-1"` }, ...extra };
}

function newStore(touch?: TouchHook) {
  return new MemoryStore({ models: { User: userModel, Group: groupModel }, touch });
}

async function expectScimError(promise: Promise<unknown>, status: number, scimType?: string): Promise<ScimError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ScimError);
  expect((error as ScimError).status).toBe(status);
  expect((error as ScimError).scimType).toBe(scimType);
  return error as ScimError;
}

const ids = (resources: readonly (Resource | GroupRef)[]) => resources.map((r) => r.id);

describe('MemoryStore: create, get, replace, delete', () => {
  let store: MemoryStore;
  beforeEach(() => {
    store = newStore();
  });

  it('stores and returns a resource, and nothing for an unknown id or the wrong type', async () => {
    const ada = user('u1', 'ada@example.com', { active: true });
    expect(await store.create('User', ada)).toEqual(ada);
    expect(await store.get('User', 'u1')).toEqual(ada);
    expect(await store.get('User', 'u2')).toBeUndefined();
    expect(await store.get('Group', 'u1')).toBeUndefined();
  });

  it('isolates stored resources from what callers pass and receive', async () => {
    const ada = user('u1', 'ada', { emails: [{ value: 'a@example.com' }] });
    const returned = await store.create('User', ada);
    (ada.emails as Resource[])[0]!.value = 'changed-input';
    (returned.emails as Resource[])[0]!.value = 'changed-output';
    const read = (await store.get('User', 'u1'))!;
    expect(read.emails).toEqual([{ value: 'a@example.com' }]);
    (read.meta as Resource).version = 'changed';
    const listed = (await store.list('User', {})).resources[0]!;
    expect((listed.meta as Resource).version).toBe('W/"u1-1"');
  });

  it('keeps a __proto__ key as data', async () => {
    const hostile = JSON.parse('{"id":"u1","userName":"x","__proto__":{"admin":true}}') as Resource;
    await store.create('User', hostile);
    const read = (await store.get('User', 'u1'))!;
    expect(Object.hasOwn(read, '__proto__')).toBe(true);
    expect((read as { admin?: boolean }).admin).toBeUndefined();
  });

  it('replaces a whole resource, checking the expected version', async () => {
    await store.create('User', user('u1', 'ada'));
    const next = user('u1', 'ada', { active: false, meta: { version: 'W/"u1-2"' } });
    await expectScimError(store.replace('User', 'u1', next, 'W/"stale"'), 412);
    expect(await store.replace('User', 'u1', next, 'W/"u1-1"')).toEqual(next);
    expect(await store.get('User', 'u1')).toEqual(next);
    expect(await store.replace('User', 'u1', user('u1', 'ada'))).toBeDefined();
  });

  it('answers 404 when replacing or deleting what is not there', async () => {
    await expectScimError(store.replace('User', 'nope', user('nope', 'x')), 404);
    await expectScimError(store.delete('User', 'nope'), 404);
    await store.create('Group', group('g1', 'Admins'));
    await expectScimError(store.delete('User', 'g1'), 404);
  });

  it('deletes, checking the expected version', async () => {
    await store.create('User', user('u1', 'ada'));
    await expectScimError(store.delete('User', 'u1', 'W/"stale"'), 412);
    await store.delete('User', 'u1', 'W/"u1-1"');
    expect(await store.get('User', 'u1')).toBeUndefined();
    expect(await store.findBy('User', 'userName', 'ada')).toEqual([]);
    await store.create('User', user('u2', 'ada'));
  });

  it('refuses a resource without an id, and a replacement with another id', async () => {
    await expect(store.create('User', { userName: 'x' })).rejects.toThrow(TypeError);
    await store.create('User', user('u1', 'ada'));
    await expect(store.replace('User', 'u1', user('u2', 'ada'))).rejects.toThrow(TypeError);
  });

  it('keeps ids unique across resource types', async () => {
    await store.create('User', user('same', 'ada'));
    await expectScimError(store.create('Group', group('same', 'Admins')), 409, 'uniqueness');
    await expectScimError(store.create('User', user('same', 'bob')), 409, 'uniqueness');
  });

  it('clears everything', async () => {
    await store.create('User', user('u1', 'ada'));
    await store.create('Group', group('g1', 'Admins', ['u1']));
    await store.clear();
    expect((await store.list('User', {})).totalResults).toBe(0);
    expect(await store.groupsWithMember('u1')).toEqual([]);
    await store.create('User', user('u1', 'ada'));
  });
});

describe('MemoryStore: userName uniqueness', () => {
  it('refuses a userName taken in another case, on create and on replace', async () => {
    const store = newStore();
    await store.create('User', user('u1', 'Ada.Lovelace@example.com'));
    const error = await expectScimError(store.create('User', user('u2', 'ada.lovelace@EXAMPLE.com')), 409, 'uniqueness');
    expect(error.message).toMatch(/userName "ada.lovelace@EXAMPLE.com" is already taken/);
    await store.create('User', user('u2', 'bob@example.com'));
    await expectScimError(store.replace('User', 'u2', user('u2', 'ADA.LOVELACE@example.com')), 409, 'uniqueness');
    expect((await store.get('User', 'u2'))!.userName).toBe('bob@example.com');
  });

  it('lets a user change the case of its own userName, and frees the old one', async () => {
    const store = newStore();
    await store.create('User', user('u1', 'ada'));
    await store.replace('User', 'u1', user('u1', 'ADA'));
    await store.replace('User', 'u1', user('u1', 'lovelace'));
    await store.create('User', user('u2', 'Ada'));
  });

  it('does not make group displayNames unique', async () => {
    const store = newStore();
    await store.create('Group', group('g1', 'Admins'));
    await store.create('Group', group('g2', 'admins'));
    expect(ids(await store.findBy('Group', 'displayName', 'ADMINS'))).toEqual(['g1', 'g2']);
  });
});

describe('MemoryStore: lookups', () => {
  it('finds by userName and displayName ignoring case, by externalId exactly', async () => {
    const store = newStore();
    await store.create('User', user('u1', 'Ada', { externalId: 'EXT-1' }));
    await store.create('User', user('u2', 'Bob', { externalId: 'ext-1' }));
    await store.create('Group', group('g1', 'Admins', [], { externalId: 'EXT-1' }));
    expect(ids(await store.findBy('User', 'userName', 'aDA'))).toEqual(['u1']);
    expect(ids(await store.findBy('User', 'externalId', 'EXT-1'))).toEqual(['u1']);
    expect(ids(await store.findBy('User', 'externalId', 'ext-1'))).toEqual(['u2']);
    expect(ids(await store.findBy('User', 'externalId', 'Ext-1'))).toEqual([]);
    expect(ids(await store.findBy('Group', 'displayName', 'admins'))).toEqual(['g1']);
    expect(ids(await store.findBy('Group', 'externalId', 'EXT-1'))).toEqual(['g1']);
    expect(await store.findBy('Group', 'userName', 'Ada')).toEqual([]);
  });

  it('follows replaces that change, keep, add or drop an indexed value', async () => {
    const store = newStore();
    await store.create('User', user('u1', 'ada', { externalId: 'e1' }));
    await store.create('User', user('u2', 'bob'));
    for (let i = 0; i < 3; i++) {
      await store.replace('User', 'u1', user('u1', 'lovelace', { externalId: 'e1', active: i % 2 === 0 }));
      await store.replace('User', 'u2', user('u2', 'bob', { externalId: 'e2' }));
      expect(ids(await store.findBy('User', 'userName', 'ada'))).toEqual([]);
      expect(ids(await store.findBy('User', 'userName', 'LOVELACE'))).toEqual(['u1']);
      expect(ids(await store.findBy('User', 'externalId', 'e1'))).toEqual(['u1']);
      expect(ids(await store.findBy('User', 'externalId', 'e2'))).toEqual(['u2']);
      await store.replace('User', 'u2', user('u2', 'bob'));
      expect(await store.findBy('User', 'externalId', 'e2')).toEqual([]);
      await store.replace('User', 'u1', user('u1', 'ada', { externalId: 'e1' }));
      expect(ids(await store.findBy('User', 'userName', 'ADA'))).toEqual(['u1']);
      expect(await store.findBy('User', 'userName', 'lovelace')).toEqual([]);
    }
  });
});

describe('MemoryStore: list', () => {
  let store: MemoryStore;
  beforeEach(async () => {
    store = newStore();
    for (let i = 1; i <= 7; i++) {
      await store.create('User', user(`u${i}`, `user${i}`, { active: i % 2 === 1, name: { givenName: i <= 3 ? 'Ada' : 'Bob' } }));
    }
  });

  it('lists in creation order, which a replace does not change', async () => {
    await store.replace('User', 'u2', user('u2', 'renamed'));
    const all = await store.list('User', {});
    expect(all.totalResults).toBe(7);
    expect(ids(all.resources)).toEqual(['u1', 'u2', 'u3', 'u4', 'u5', 'u6', 'u7']);
  });

  it('pages by startIndex and count, stable across pages', async () => {
    const pages = [];
    for (let start = 1; start <= 7; start += 3) pages.push(ids((await store.list('User', { startIndex: start, count: 3 })).resources));
    expect(pages).toEqual([['u1', 'u2', 'u3'], ['u4', 'u5', 'u6'], ['u7']]);
    expect(await store.list('User', { startIndex: 3, count: 0 })).toEqual({ totalResults: 7, resources: [] });
    expect(await store.list('User', { startIndex: 8, count: 3 })).toEqual({ totalResults: 7, resources: [] });
    expect(ids((await store.list('User', { startIndex: -5, count: 2 })).resources)).toEqual(['u1', 'u2']);
    expect(ids((await store.list('User', { startIndex: 6 })).resources)).toEqual(['u6', 'u7']);
  });

  it('filters with the model, counting all matches whatever the page', async () => {
    const result = await store.list('User', { filter: parseFilter('active eq true and name.givenName eq "ada"'), count: 1 });
    expect(result.totalResults).toBe(2);
    expect(ids(result.resources)).toEqual(['u1']);
  });

  it('sorts with the caller’s comparator, ties in creation order', async () => {
    const givenName = (r: Resource) => (r.name as { givenName: string }).givenName;
    const compare = (a: Resource, b: Resource) => givenName(b).localeCompare(givenName(a));
    const sorted = await store.list('User', { sort: { path: { attr: 'name', subAttr: 'givenName' }, order: 'descending', compare }, startIndex: 3, count: 3 });
    expect(ids(sorted.resources)).toEqual(['u6', 'u7', 'u1']);
    expect(sorted.totalResults).toBe(7);
  });
});

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

describe('MemoryStore: members and cascades', () => {
  it('indexes group members, following replaces', async () => {
    const store = newStore();
    await store.create('User', user('u1', 'ada'));
    await store.create('User', user('u2', 'bob'));
    await store.create('Group', group('g1', 'Admins', ['u1', 'u2']));
    await store.create('Group', group('g2', 'Staff', ['u1']));
    expect(ids(await store.groupsWithMember('u1'))).toEqual(['g1', 'g2']);
    expect(ids(await store.groupsWithMember('u2'))).toEqual(['g1']);
    await store.replace('Group', 'g1', group('g1', 'Admins', ['u2']));
    expect(ids(await store.groupsWithMember('u1'))).toEqual(['g2']);
    await store.delete('Group', 'g2');
    expect(await store.groupsWithMember('u1')).toEqual([]);
    expect(ids(await store.groupsWithMember('u2'))).toEqual(['g1']);
  });

  it('removes a deleted user from every group, touching each', async () => {
    const touched: [ResourceTypeName, string][] = [];
    const store = newStore((type, resource) => {
      touched.push([type, resource.id as string]);
      resource.meta = { ...(resource.meta as Resource), version: 'W/"touched"' };
    });
    await store.create('User', user('u1', 'ada'));
    await store.create('User', user('u2', 'bob'));
    await store.create('Group', group('g1', 'Admins', ['u1', 'u2']));
    await store.create('Group', group('g2', 'Staff', ['u1']));
    await store.create('Group', group('g3', 'Other', ['u2']));
    expect(touched).toEqual([
      ['User', 'u1'],
      ['User', 'u2'],
      ['User', 'u1'],
      ['User', 'u2'],
    ]);
    touched.length = 0;
    await store.delete('User', 'u1');
    expect(touched).toEqual([
      ['Group', 'g1'],
      ['Group', 'g2'],
    ]);
    const g1 = (await store.get('Group', 'g1'))!;
    expect(g1.members).toEqual([{ value: 'u2' }]);
    expect((g1.meta as Resource).version).toBe('W/"touched"');
    expect((await store.get('Group', 'g2'))!.members).toEqual([]);
    expect((await store.get('Group', 'g3'))!.meta).toEqual({ resourceType: 'Group', version: 'W/"g3-1"' });
    expect(await store.groupsWithMember('u1')).toEqual([]);
  });

  it('removes a deleted group from the groups that nest it', async () => {
    const store = newStore();
    await store.create('User', user('u1', 'ada'));
    await store.create('Group', group('inner', 'Inner', ['u1']));
    await store.create('Group', group('outer', 'Outer', ['inner', 'u1']));
    await store.delete('Group', 'inner');
    expect((await store.get('Group', 'outer'))!.members).toEqual([{ value: 'u1' }]);
    expect(ids(await store.groupsWithMember('u1'))).toEqual(['outer']);
    expect(await store.groupsWithMember('inner')).toEqual([]);
  });

  it('finds members whatever the case of the members and value keys', async () => {
    const store = newStore();
    await store.create('User', user('u1', 'ada'));
    await store.create('Group', { id: 'g1', displayName: 'X', Members: [{ Value: 'u1', display: 'Ada' }, { value: 'other' }] });
    expect(ids(await store.groupsWithMember('u1'))).toEqual(['g1']);
    await store.delete('User', 'u1');
    expect((await store.get('Group', 'g1'))!.Members).toEqual([{ value: 'other' }]);
  });
});
