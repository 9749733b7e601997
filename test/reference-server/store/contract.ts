import { describe, expect, it, onTestFinished } from 'vitest';
import type { GroupRef, Resource, ResourceTypeName, Store, TouchHook } from '../../../reference-server/store/types.js';
import { ScimError } from '../../../scim/errors.js';
import { FilterBudget } from '../../../scim/filter/budget.js';
import { parseFilter } from '../../../scim/filter/parse.js';
import { URN } from '../../../scim/schema/urns.js';

/**
 * Makes an empty store evaluating filters with scim/'s userModel and groupModel, calling `touch`
 * (when given) as its TouchHook; `done` releases it.
 */
export type MakeStore = (touch?: TouchHook) => Promise<{ store: Store; done(): Promise<void> }>;

export function user(id: string, userName: string, extra: Resource = {}): Resource {
  return { schemas: [URN.user], id, userName, meta: { resourceType: 'User', version: `W/"${id}-1"` }, ...extra };
}

export function group(id: string, displayName: string, members: string[] = [], extra: Resource = {}): Resource {
  return { schemas: [URN.group], id, displayName, members: members.map((value) => ({ value })), meta: { resourceType: 'Group', version: `W/"${id}-1"` }, ...extra };
}

export async function expectScimError(promise: Promise<unknown>, status: number, scimType?: string): Promise<ScimError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ScimError);
  expect((error as ScimError).status).toBe(status);
  expect((error as ScimError).scimType).toBe(scimType);
  return error as ScimError;
}

export const ids = (resources: readonly (Resource | GroupRef)[]) => resources.map((r) => r.id);

const versionOf = (resource: Resource | undefined) => (resource?.meta as Resource | undefined)?.version;

/** A TouchHook that records what it touches (type and id) and stamps a new version each time. */
export function recordingTouch(): { touch: TouchHook; touched: [ResourceTypeName, string][]; sorted(): string[] } {
  const touched: [ResourceTypeName, string][] = [];
  let touches = 0;
  const touch: TouchHook = (type, resource) => {
    touched.push([type, resource.id as string]);
    resource.meta = { ...(resource.meta as Resource), version: `W/"touched-${++touches}"` };
  };
  // The contract does not order the touches of one operation: compared as sorted `Type:id`.
  return { touch, touched, sorted: () => touched.map(([type, id]) => `${type}:${id}`).sort() };
}

/**
 * The Store contract of reference-server/store/types.ts, for any store: one suite, two stores
 * (issue 19). Each test makes its own store with `make` and releases it when it ends.
 */
export function storeContract(name: string, make: MakeStore): void {
  const fresh = async (touch?: TouchHook): Promise<Store> => {
    const made = await make(touch);
    onTestFinished(() => made.done());
    return made.store;
  };

  describe(`Store contract (${name}): create, get, replace, delete`, () => {
    it('stores and returns a resource, and nothing for an unknown id or the wrong type', async () => {
      const store = await fresh();
      const ada = user('u1', 'ada@example.com', { active: true, name: { givenName: 'Ada' } });
      expect(await store.create('User', ada)).toEqual(ada);
      expect(await store.get('User', 'u1')).toEqual(ada);
      expect(await store.view('User', 'u1')).toEqual(ada);
      expect(await store.get('User', 'u2')).toBeUndefined();
      expect(await store.view('User', 'u2')).toBeUndefined();
      expect(await store.get('Group', 'u1')).toBeUndefined();
    });

    it('isolates stored resources from what callers pass and receive', async () => {
      const store = await fresh();
      const ada = user('u1', 'ada', { emails: [{ value: 'a@example.com' }] });
      const returned = await store.create('User', ada);
      (ada.emails as Resource[])[0]!.value = 'changed-input';
      (returned.emails as Resource[])[0]!.value = 'changed-output';
      const read = (await store.get('User', 'u1'))!;
      expect(read.emails).toEqual([{ value: 'a@example.com' }]);
      (read.meta as Resource).version = 'changed';
      const next = user('u1', 'ada', { emails: [{ value: 'b@example.com' }] });
      const replaced = await store.replace('User', 'u1', next);
      (next.emails as Resource[])[0]!.value = 'changed-input';
      (replaced.emails as Resource[])[0]!.value = 'changed-output';
      const found = (await store.findBy('User', 'userName', 'ada'))[0]!;
      expect(found.emails).toEqual([{ value: 'b@example.com' }]);
      (found.meta as Resource).version = 'changed';
      const listed = (await store.list('User', {})).resources[0]!;
      expect(listed).toEqual(user('u1', 'ada', { emails: [{ value: 'b@example.com' }] }));
    });

    it('keeps attributes in the order given, and a __proto__ key as data', async () => {
      const store = await fresh();
      const hostile = JSON.parse('{"zeta":1,"id":"u1","userName":"x","__proto__":{"admin":true},"alpha":2}') as Resource;
      await store.create('User', hostile);
      const read = (await store.get('User', 'u1'))!;
      expect(Object.keys(read)).toEqual(['zeta', 'id', 'userName', '__proto__', 'alpha']);
      expect(Object.hasOwn(read, '__proto__')).toBe(true);
      expect((read as { admin?: boolean }).admin).toBeUndefined();
    });

    it('replaces a whole resource, checking the expected version against the stored meta.version', async () => {
      const store = await fresh();
      await store.create('User', user('u1', 'ada', { title: 'first' }));
      const next = user('u1', 'ada', { active: false, meta: { version: 'W/"u1-2"' } });
      await expectScimError(store.replace('User', 'u1', next, 'W/"stale"'), 412);
      expect((await store.get('User', 'u1'))!.title).toBe('first');
      expect(await store.replace('User', 'u1', next, 'W/"u1-1"')).toEqual(next);
      expect(await store.get('User', 'u1')).toEqual(next);
      // The old version is stale now; the new one is current.
      await expectScimError(store.replace('User', 'u1', user('u1', 'ada'), 'W/"u1-1"'), 412);
      await expectScimError(store.delete('User', 'u1', 'W/"u1-1"'), 412);
      expect(await store.replace('User', 'u1', user('u1', 'ada', { meta: { version: 'W/"u1-3"' } }), 'W/"u1-2"')).toBeDefined();
      // Without an expected version, whatever is stored is replaced.
      expect(await store.replace('User', 'u1', user('u1', 'ada'))).toEqual(user('u1', 'ada'));
    });

    it('answers 404 when replacing or deleting what is not there, or is of the other type', async () => {
      const store = await fresh();
      await expectScimError(store.replace('User', 'nope', user('nope', 'x')), 404);
      await expectScimError(store.delete('User', 'nope'), 404);
      await expectScimError(store.delete('User', 'nope', 'W/"x"'), 404);
      await store.create('Group', group('g1', 'Admins'));
      await expectScimError(store.delete('User', 'g1'), 404);
      await expectScimError(store.replace('User', 'g1', user('g1', 'x')), 404);
      expect(await store.get('Group', 'g1')).toEqual(group('g1', 'Admins'));
    });

    it('deletes, checking the expected version, and frees the userName', async () => {
      const store = await fresh();
      await store.create('User', user('u1', 'ada'));
      await expectScimError(store.delete('User', 'u1', 'W/"stale"'), 412);
      expect(await store.get('User', 'u1')).toBeDefined();
      await store.delete('User', 'u1', 'W/"u1-1"');
      expect(await store.get('User', 'u1')).toBeUndefined();
      expect(await store.findBy('User', 'userName', 'ada')).toEqual([]);
      await expectScimError(store.delete('User', 'u1'), 404);
      await store.create('User', user('u2', 'ADA'));
      await store.create('User', user('u1', 'bob'));
    });

    it('refuses a resource without an id, and a replacement with another id', async () => {
      const store = await fresh();
      await expect(store.create('User', { userName: 'x' })).rejects.toThrow(TypeError);
      await store.create('User', user('u1', 'ada'));
      await expect(store.replace('User', 'u1', user('u2', 'ada'))).rejects.toThrow(TypeError);
      expect(await store.get('User', 'u2')).toBeUndefined();
      expect(await store.get('User', 'u1')).toEqual(user('u1', 'ada'));
    });

    it('keeps ids unique across resource types', async () => {
      const store = await fresh();
      await store.create('User', user('same', 'ada'));
      await expectScimError(store.create('Group', group('same', 'Admins')), 409, 'uniqueness');
      await expectScimError(store.create('User', user('same', 'bob')), 409, 'uniqueness');
      expect(await store.get('Group', 'same')).toBeUndefined();
      expect((await store.get('User', 'same'))!.userName).toBe('ada');
      expect(await store.findBy('User', 'userName', 'bob')).toEqual([]);
    });

    it('clears everything, after which the same ids and userNames are free', async () => {
      const store = await fresh();
      await store.create('User', user('u1', 'ada'));
      await store.create('Group', group('g1', 'Admins', ['u1']));
      await store.clear();
      expect(await store.list('User', {})).toEqual({ totalResults: 0, resources: [] });
      expect(await store.list('Group', {})).toEqual({ totalResults: 0, resources: [] });
      expect(await store.groupsWithMember('u1')).toEqual([]);
      expect(await store.findBy('User', 'userName', 'ada')).toEqual([]);
      await store.create('User', user('u1', 'ada'));
      await store.create('Group', group('g1', 'Admins'));
      expect(await store.groupsWithMember('u1')).toEqual([]);
    });
  });

  describe(`Store contract (${name}): userName uniqueness`, () => {
    it('refuses a userName taken in another case, on create and on replace', async () => {
      const store = await fresh();
      await store.create('User', user('u1', 'Ada.Lovelace@example.com'));
      const error = await expectScimError(store.create('User', user('u2', 'ada.lovelace@EXAMPLE.com')), 409, 'uniqueness');
      expect(error.message).toMatch(/userName "ada.lovelace@EXAMPLE.com" is already taken/);
      expect(await store.get('User', 'u2')).toBeUndefined();
      await store.create('User', user('u2', 'bob@example.com'));
      await expectScimError(store.replace('User', 'u2', user('u2', 'ADA.LOVELACE@example.com')), 409, 'uniqueness');
      expect((await store.get('User', 'u2'))!.userName).toBe('bob@example.com');
    });

    it('lets a user change the case of its own userName, and frees the old one', async () => {
      const store = await fresh();
      await store.create('User', user('u1', 'ada'));
      await store.replace('User', 'u1', user('u1', 'ADA'));
      await store.replace('User', 'u1', user('u1', 'lovelace'));
      await store.create('User', user('u2', 'Ada'));
      await expectScimError(store.create('User', user('u3', 'LoveLace')), 409, 'uniqueness');
    });

    it('lets one of many concurrent creates of a userName through', async () => {
      const store = await fresh();
      const outcomes = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => store.create('User', user(`u${i}`, i % 2 ? 'SAME' : 'same'))));
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      for (const o of outcomes) if (o.status === 'rejected') expect((o.reason as ScimError).status).toBe(409);
      expect((await store.list('User', {})).totalResults).toBe(1);
    });

    it('does not make group displayNames unique, nor users without a userName clash', async () => {
      const store = await fresh();
      await store.create('Group', group('g1', 'Admins'));
      await store.create('Group', group('g2', 'admins'));
      expect(ids(await store.findBy('Group', 'displayName', 'ADMINS'))).toEqual(['g1', 'g2']);
      await store.create('User', { id: 'u1' });
      await store.create('User', { id: 'u2' });
      expect((await store.list('User', {})).totalResults).toBe(2);
    });
  });

  describe(`Store contract (${name}): findBy`, () => {
    it('finds by userName and displayName ignoring case, by externalId exactly, in creation order', async () => {
      const store = await fresh();
      await store.create('User', user('u1', 'Ada', { externalId: 'EXT-1' }));
      await store.create('User', user('u2', 'Bob', { externalId: 'ext-1' }));
      await store.create('User', user('u3', 'Cy', { externalId: 'EXT-1' }));
      await store.create('Group', group('g1', 'Admins', [], { externalId: 'EXT-1' }));
      expect(ids(await store.findBy('User', 'userName', 'aDA'))).toEqual(['u1']);
      expect(ids(await store.findBy('User', 'externalId', 'EXT-1'))).toEqual(['u1', 'u3']);
      expect(ids(await store.findBy('User', 'externalId', 'ext-1'))).toEqual(['u2']);
      expect(ids(await store.findBy('User', 'externalId', 'Ext-1'))).toEqual([]);
      expect(ids(await store.findBy('Group', 'displayName', 'admins'))).toEqual(['g1']);
      expect(ids(await store.findBy('Group', 'externalId', 'EXT-1'))).toEqual(['g1']);
      expect(await store.findBy('Group', 'userName', 'Ada')).toEqual([]);
      expect(await store.findBy('User', 'displayName', 'Admins')).toEqual([]);
      expect(await store.findBy('User', 'userName', 'nobody')).toEqual([]);
    });

    it('follows replaces that change, keep, add or drop an indexed value', async () => {
      const store = await fresh();
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
      await expectScimError(store.replace('Group', 'u1', group('u1', 'ada')), 404);
      expect(await store.findBy('Group', 'displayName', 'ada')).toEqual([]);
      expect(ids(await store.findBy('User', 'userName', 'ada'))).toEqual(['u1']);
    });
  });

  describe(`Store contract (${name}): list`, () => {
    const sevenUsers = async (): Promise<Store> => {
      const store = await fresh();
      for (let i = 1; i <= 7; i++) {
        await store.create('User', user(`u${i}`, `user${i}`, { externalId: `X${i}`, active: i % 2 === 1, name: { givenName: i <= 3 ? 'Ada' : 'Bob' } }));
      }
      await store.create('Group', group('g1', 'Team'));
      return store;
    };
    const listed = async (store: Store, type: ResourceTypeName, filter: string) => ids((await store.list(type, { filter: parseFilter(filter) })).resources);

    it('lists in creation order, which a replace does not change', async () => {
      const store = await sevenUsers();
      await store.replace('User', 'u2', user('u2', 'renamed'));
      await store.replace('User', 'u1', user('u1', 'user1', { active: false }));
      const all = await store.list('User', {});
      expect(all.totalResults).toBe(7);
      expect(ids(all.resources)).toEqual(['u1', 'u2', 'u3', 'u4', 'u5', 'u6', 'u7']);
      expect(all.resources[1]!.userName).toBe('renamed');
      expect(ids((await store.list('Group', {})).resources)).toEqual(['g1']);
    });

    it('pages by startIndex and count, stable across pages, with or without a filter', async () => {
      const store = await sevenUsers();
      const pages = [];
      for (let start = 1; start <= 7; start += 3) pages.push(ids((await store.list('User', { startIndex: start, count: 3 })).resources));
      expect(pages).toEqual([['u1', 'u2', 'u3'], ['u4', 'u5', 'u6'], ['u7']]);
      expect(await store.list('User', { startIndex: 3, count: 0 })).toEqual({ totalResults: 7, resources: [] });
      expect(await store.list('User', { count: 0 })).toEqual({ totalResults: 7, resources: [] });
      expect(await store.list('User', { startIndex: 8, count: 3 })).toEqual({ totalResults: 7, resources: [] });
      expect(ids((await store.list('User', { startIndex: -5, count: 2 })).resources)).toEqual(['u1', 'u2']);
      expect(ids((await store.list('User', { startIndex: 6 })).resources)).toEqual(['u6', 'u7']);
      const filter = parseFilter('active eq true');
      expect(ids((await store.list('User', { filter, startIndex: 2, count: 2 })).resources)).toEqual(['u3', 'u5']);
      expect(await store.list('User', { filter, count: 0 })).toEqual({ totalResults: 4, resources: [] });
      expect(await store.list('User', { filter, startIndex: 5 })).toEqual({ totalResults: 4, resources: [] });
    });

    it('filters with the model, counting all matches whatever the page', async () => {
      const store = await sevenUsers();
      const result = await store.list('User', { filter: parseFilter('active eq true and name.givenName eq "ada"'), count: 1 });
      expect(result.totalResults).toBe(2);
      expect(ids(result.resources)).toEqual(['u1']);
      expect(await listed(store, 'User', 'name.givenName eq "BOB" or userName eq "USER1"')).toEqual(['u1', 'u4', 'u5', 'u6', 'u7']);
      expect(await listed(store, 'Group', 'displayName eq "team"')).toEqual(['g1']);
      expect(await listed(store, 'Group', 'userName eq "user1"')).toEqual([]);
    });

    it('honours caseExact through indexed eq filters: userName and displayName ignore case, externalId and id do not', async () => {
      const store = await sevenUsers();
      expect(await listed(store, 'User', 'userName eq "USER3"')).toEqual(['u3']);
      expect(await listed(store, 'User', `${URN.user}:userName eq "User5"`)).toEqual(['u5']);
      expect(await listed(store, 'User', 'externalId eq "X4"')).toEqual(['u4']);
      expect(await listed(store, 'User', 'externalId eq "x4"')).toEqual([]);
      expect(await listed(store, 'User', 'externalId eq "x4" or externalId eq "X6"')).toEqual(['u6']);
      expect(await listed(store, 'User', 'id eq "u2"')).toEqual(['u2']);
      expect(await listed(store, 'User', 'id eq "U2"')).toEqual([]);
      expect(await listed(store, 'User', 'id eq "g1"')).toEqual([]);
      expect(await listed(store, 'User', 'userName eq "user2" and active eq true')).toEqual([]);
      expect(await listed(store, 'User', 'active eq true and userName eq "user3" and externalId eq "X3"')).toEqual(['u3']);
      expect(await listed(store, 'Group', 'displayName eq "TEAM" and externalId eq "nope"')).toEqual([]);
    });

    it('sorts with the caller’s comparator, ties in creation order, with a filter and pages', async () => {
      const store = await sevenUsers();
      const givenName = (r: Resource) => (r.name as { givenName: string }).givenName;
      const compare = (a: Resource, b: Resource) => givenName(b).localeCompare(givenName(a));
      const sort = { path: { attr: 'name', subAttr: 'givenName' }, order: 'descending' as const, compare };
      const sorted = await store.list('User', { sort, startIndex: 3, count: 3 });
      expect(ids(sorted.resources)).toEqual(['u6', 'u7', 'u1']);
      expect(sorted.totalResults).toBe(7);
      const filtered = await store.list('User', { sort, filter: parseFilter('active eq true'), count: 3 });
      expect(ids(filtered.resources)).toEqual(['u5', 'u7', 'u1']);
      expect(filtered.totalResults).toBe(4);
    });

    it('spends the filter budget: a scan throws 400 tooMany where an indexed eq does not', async () => {
      const store = await sevenUsers();
      const scan = store.list('User', { filter: parseFilter('active eq true'), budget: new FilterBudget(5) });
      await expectScimError(scan, 400, 'tooMany');
      const indexed = await store.list('User', { filter: parseFilter('active eq true and userName eq "user5"'), budget: new FilterBudget(5) });
      expect(ids(indexed.resources)).toEqual(['u5']);
      const byId = await store.list('User', { filter: parseFilter('active eq true and id eq "u7"'), budget: new FilterBudget(5) });
      expect(ids(byId.resources)).toEqual(['u7']);
    });
  });

  describe(`Store contract (${name}): group members`, () => {
    it('requires members to be stored resources: 400 invalidValue on create and replace, nothing kept', async () => {
      const store = await fresh();
      await store.create('User', user('u1', 'ada'));
      await store.create('Group', group('g0', 'Nested'));
      const error = await expectScimError(store.create('Group', group('g1', 'Admins', ['u1', 'ghost'])), 400, 'invalidValue');
      expect(error.message).toContain('"ghost"');
      expect(await store.get('Group', 'g1')).toBeUndefined();
      expect(await store.groupsWithMember('u1')).toEqual([]);
      await store.create('Group', group('g1', 'Admins', ['u1', 'g0']));
      await expectScimError(store.replace('Group', 'g1', group('g1', 'Renamed', ['g0', 'ghost'])), 400, 'invalidValue');
      expect(await store.get('Group', 'g1')).toEqual(group('g1', 'Admins', ['u1', 'g0']));
      expect(ids(await store.groupsWithMember('u1'))).toEqual(['g1']);
      await store.delete('User', 'u1');
      await expectScimError(store.create('Group', group('g2', 'Late', ['u1'])), 400, 'invalidValue');
    });

    it('indexes group members, following replaces and deletes, in the groups’ creation order', async () => {
      const store = await fresh();
      await store.create('User', user('u1', 'ada'));
      await store.create('User', user('u2', 'bob'));
      await store.create('Group', group('g1', 'Admins', ['u1', 'u2']));
      await store.create('Group', group('g2', 'Staff', ['u1']));
      await store.create('Group', group('g3', 'All', []));
      expect(await store.groupsWithMember('u1')).toEqual([
        { id: 'g1', displayName: 'Admins' },
        { id: 'g2', displayName: 'Staff' },
      ]);
      expect(ids(await store.groupsWithMember('u2'))).toEqual(['g1']);
      await store.replace('Group', 'g3', group('g3', 'Everyone', ['u2', 'u1']));
      await store.replace('Group', 'g1', group('g1', 'Admins', ['u2']));
      expect(ids(await store.groupsWithMember('u1'))).toEqual(['g2', 'g3']);
      await store.replace('Group', 'g1', group('g1', 'Admins', ['u2', 'u1']));
      expect(await store.groupsWithMember('u1')).toEqual([
        { id: 'g1', displayName: 'Admins' },
        { id: 'g2', displayName: 'Staff' },
        { id: 'g3', displayName: 'Everyone' },
      ]);
      await store.delete('Group', 'g2');
      expect(ids(await store.groupsWithMember('u1'))).toEqual(['g1', 'g3']);
      expect(ids(await store.groupsWithMember('u2'))).toEqual(['g1', 'g3']);
      expect(await store.groupsWithMember('nobody')).toEqual([]);
    });

    it('removes a deleted user from every group, touching those groups only', async () => {
      const { touch, sorted, touched } = recordingTouch();
      const store = await fresh(touch);
      await store.create('User', user('u1', 'ada'));
      await store.create('User', user('u2', 'bob'));
      await store.create('Group', group('g1', 'Admins', ['u1', 'u2']));
      await store.create('Group', group('g2', 'Staff', ['u1']));
      await store.create('Group', group('g3', 'Other', ['u2']));
      touched.length = 0;
      await store.delete('User', 'u1');
      expect(sorted()).toEqual(['Group:g1', 'Group:g2']);
      const g1 = (await store.get('Group', 'g1'))!;
      expect(g1.members).toEqual([{ value: 'u2' }]);
      expect(versionOf(g1)).toMatch(/^W\/"touched-\d+"$/);
      expect(versionOf(await store.get('Group', 'g2'))).not.toBe(versionOf(g1));
      expect((await store.get('Group', 'g2'))!.members).toEqual([]);
      expect((await store.get('Group', 'g3'))!.meta).toEqual({ resourceType: 'Group', version: 'W/"g3-1"' });
      expect(await store.groupsWithMember('u1')).toEqual([]);
      expect(ids(await store.groupsWithMember('u2'))).toEqual(['g1', 'g3']);
      // A new user with the old id is in no group.
      await store.create('User', user('u1', 'ada'));
      expect(await store.groupsWithMember('u1')).toEqual([]);
    });

    it('removes a deleted group from the groups that nest it, touching them and its users', async () => {
      const { touch, sorted, touched } = recordingTouch();
      const store = await fresh(touch);
      await store.create('User', user('u1', 'ada'));
      await store.create('User', user('u2', 'bob'));
      await store.create('Group', group('inner', 'Inner', ['u1', 'u2']));
      await store.create('Group', group('outer', 'Outer', ['inner', 'u1']));
      touched.length = 0;
      await store.delete('Group', 'inner');
      expect(sorted()).toEqual(['Group:outer', 'User:u1', 'User:u2']);
      expect((await store.get('Group', 'outer'))!.members).toEqual([{ value: 'u1' }]);
      expect(ids(await store.groupsWithMember('u1'))).toEqual(['outer']);
      expect(await store.groupsWithMember('u2')).toEqual([]);
      expect(await store.groupsWithMember('inner')).toEqual([]);
      expect(versionOf(await store.get('User', 'u2'))).toMatch(/^W\/"touched-\d+"$/);
    });

    it('never keeps a member that a concurrent delete removed: groups created and renamed while their members go', async () => {
      const { touch } = recordingTouch();
      const store = await fresh(touch);
      const n = 10;
      for (let i = 0; i < n; i++) await store.create('User', user(`u${i}`, `user${i}`));
      await store.create('Group', group('all', 'All', Array.from({ length: n }, (_, i) => `u${i}`)));
      const creates = Array.from({ length: n }, (_, i) => store.create('Group', group(`g${i}`, `G${i}`, [`u${i}`, `u${(i + 1) % n}`])));
      const deletes = Array.from({ length: n }, (_, i) => (i % 2 === 0 ? store.delete('User', `u${i}`) : Promise.resolve()));
      // A rename touches every member while deletes remove them: in PostgreSQL the two take their
      // locks in opposite orders (group then users, user then groups), so this may deadlock and retry.
      const rename = store.withLock('Group', 'all', async (tx) => {
        const all = (await tx.get('Group', 'all'))!;
        return tx.replace('Group', 'all', { ...all, displayName: 'Everyone' });
      });
      const [created] = await Promise.all([Promise.allSettled(creates), Promise.all([...deletes, rename])]);
      for (const outcome of created) {
        if (outcome.status === 'rejected') expect((outcome.reason as ScimError).scimType).toBe('invalidValue');
      }
      const groups = (await store.list('Group', {})).resources;
      for (const stored of groups) {
        for (const { value } of stored.members as { value: string }[]) {
          expect(Number(value.slice(1)) % 2, `${stored.id as string} keeps deleted ${value}`).toBe(1);
          expect(ids(await store.groupsWithMember(value))).toContain(stored.id);
        }
      }
      for (let i = 0; i < n; i += 2) expect(await store.groupsWithMember(`u${i}`)).toEqual([]);
      const all = groups.find((g) => g.id === 'all')!;
      expect([all.displayName, (all.members as unknown[]).length]).toEqual(['Everyone', n / 2]);
    });

    it('finds members whatever the case of the members and value keys', async () => {
      const store = await fresh();
      await store.create('User', user('u1', 'ada'));
      await store.create('User', user('other', 'bob'));
      await store.create('Group', { id: 'g1', displayName: 'X', Members: [{ Value: 'u1', display: 'Ada' }, { value: 'other' }] });
      expect(ids(await store.groupsWithMember('u1'))).toEqual(['g1']);
      expect(ids(await store.groupsWithMember('other'))).toEqual(['g1']);
      await store.delete('User', 'u1');
      expect((await store.get('Group', 'g1'))!.Members).toEqual([{ value: 'other' }]);
    });

    it('touches the users whose groups change: on create, member add and remove, rename, and nothing else', async () => {
      const { touch, sorted, touched } = recordingTouch();
      const store = await fresh(touch);
      for (const id of ['u1', 'u2', 'u3']) await store.create('User', user(id, `name-${id}`));
      await store.create('Group', group('sub', 'Sub'));
      expect(touched).toEqual([]);
      const step = async (change: () => Promise<unknown>) => {
        touched.length = 0;
        await change();
        return sorted();
      };
      expect(await step(() => store.create('Group', group('g1', 'Admins', ['u1', 'u2', 'sub'])))).toEqual(['User:u1', 'User:u2']);
      const before = versionOf(await store.get('User', 'u1'));
      expect(before).toMatch(/^W\/"touched-\d+"$/);
      expect(await step(() => store.replace('Group', 'g1', group('g1', 'Admins', ['u1', 'u2', 'sub'], { description: 'same members' })))).toEqual([]);
      expect(versionOf(await store.get('User', 'u1'))).toBe(before);
      expect(await step(() => store.replace('Group', 'g1', group('g1', 'Admins', ['u1', 'u3', 'sub'])))).toEqual(['User:u2', 'User:u3']);
      expect(await step(() => store.replace('Group', 'g1', group('g1', 'Administrators', ['u1', 'sub'])))).toEqual(['User:u1', 'User:u3']);
      expect(versionOf(await store.get('User', 'u1'))).not.toBe(before);
      expect((await store.get('User', 'u1'))!.userName).toBe('name-u1');
      expect(await step(() => store.replace('User', 'u1', user('u1', 'renamed')))).toEqual([]);
      expect(await step(() => store.delete('Group', 'g1'))).toEqual(['User:u1']);
      expect(await step(() => store.delete('User', 'u1'))).toEqual([]);
    });
  });

  describe(`Store contract (${name}): withLock`, () => {
    it('runs the works on one resource one at a time: concurrent read-modify-write increments all land', async () => {
      const store = await fresh();
      await store.create('User', user('u1', 'ada', { counter: 0 }));
      await Promise.all(
        Array.from({ length: 20 }, () =>
          store.withLock('User', 'u1', async (tx) => {
            const current = (await tx.get('User', 'u1'))!;
            const counter = current.counter as number;
            await new Promise((resolve) => setImmediate(resolve));
            await tx.replace('User', 'u1', { ...current, counter: counter + 1, meta: { version: `W/"${counter + 1}"` } }, versionOf(current) as string);
          }),
        ),
      );
      expect((await store.get('User', 'u1'))!.counter).toBe(20);
    });

    it('answers what the work returns, and runs works on different resources at the same time', async () => {
      const store = await fresh();
      await store.create('User', user('u1', 'ada'));
      await store.create('User', user('u2', 'bob'));
      let releaseFirst!: () => void;
      const secondRan = new Promise<void>((resolve) => (releaseFirst = resolve));
      // The first work waits for the second, which would never run if works on u1 held up u2's.
      const first = store.withLock('User', 'u1', async (tx) => {
        await secondRan;
        return (await tx.get('User', 'u1'))!.userName;
      });
      const second = store.withLock('User', 'u2', async (tx) => {
        releaseFirst();
        return (await tx.get('User', 'u2'))!.userName;
      });
      expect(await Promise.all([first, second])).toEqual(['ada', 'bob']);
    });

    it('lets the work see 404s and a missing resource, and a throw through, releasing the resource', async () => {
      const store = await fresh();
      await store.create('User', user('u1', 'ada'));
      expect(await store.withLock('User', 'nope', (tx) => tx.get('User', 'nope'))).toBeUndefined();
      await expectScimError(
        store.withLock('User', 'nope', (tx) => tx.replace('User', 'nope', user('nope', 'x'))),
        404,
      );
      await expectScimError(
        store.withLock('User', 'u1', (tx) => tx.replace('User', 'u1', user('u1', 'ada'), 'W/"stale"')),
        412,
      );
      await expect(
        store.withLock('User', 'u1', async (tx) => {
          await tx.get('User', 'u1');
          throw new Error('work failed before writing');
        }),
      ).rejects.toThrow('work failed before writing');
      expect(await store.get('User', 'u1')).toEqual(user('u1', 'ada'));
      const renamed = await store.withLock('User', 'u1', (tx) => tx.replace('User', 'u1', user('u1', 'lovelace')));
      expect(renamed.userName).toBe('lovelace');
      await store.withLock('User', 'u1', (tx) => tx.delete('User', 'u1', versionOf(renamed) as string));
      expect(await store.get('User', 'u1')).toBeUndefined();
    });
  });
}
