import { describe, expect, it } from 'vitest';
import { Renderer } from '../../reference-server/resources/render.js';
import { MemoryStore } from '../../reference-server/store/memory.js';
import { BASE, GROUP, patchBody, testServer, USER, type Json } from './resource-helpers.js';

/**
 * GET answers come from a cache of rendered JSON, keyed by version: every change a client could
 * see must reach the next read, even when the previous read was cached.
 */
describe('reading a resource again after a change', () => {
  it("shows a user's groups after a group is renamed, gains or loses the user, or is deleted", async () => {
    const s = testServer();
    const ada = await s.createUser('ada');
    const read = async () => (await s.get(`/Users/${ada.id}`)).json().groups as Json[] | undefined;
    expect(await read()).toBeUndefined();
    const group = await s.createGroup('Admins', [ada.id]);
    expect((await read())?.map((g) => g.display)).toEqual(['Admins']);
    await s.patch(`/Groups/${group.id}`, patchBody({ op: 'replace', path: 'displayName', value: 'Root' }));
    expect((await read())?.map((g) => g.display)).toEqual(['Root']);
    const other = await s.createGroup('Staff');
    await s.patch(`/Groups/${other.id}`, patchBody({ op: 'add', path: 'members', value: [{ value: ada.id }] }));
    expect((await read())?.map((g) => g.display)).toEqual(['Root', 'Staff']);
    await s.patch(`/Groups/${group.id}`, patchBody({ op: 'remove', path: `members[value eq "${ada.id}"]` }));
    expect((await read())?.map((g) => g.display)).toEqual(['Staff']);
    await s.del(`/Groups/${other.id}`);
    expect(await read()).toBeUndefined();
  });

  it("shows a PATCH, a PUT and a group's lost member, in GET and in lists", async () => {
    const s = testServer();
    const ada = await s.createUser('ada', { displayName: 'Ada' });
    const grace = await s.createUser('grace');
    const group = await s.createGroup('Admins', [ada.id, grace.id]);
    const listed = async () => (await s.list('/Users', { filter: 'userName eq "ada"' })).json().Resources[0] as Json;
    expect((await listed()).displayName).toBe('Ada');
    await s.patch(`/Users/${ada.id}`, patchBody({ op: 'replace', path: 'displayName', value: 'Countess' }));
    expect((await s.get(`/Users/${ada.id}`)).json().displayName).toBe('Countess');
    expect((await listed()).displayName).toBe('Countess');
    await s.put(`/Users/${ada.id}`, { schemas: [USER], userName: 'ada', displayName: 'Lovelace' });
    expect((await listed()).displayName).toBe('Lovelace');
    expect((await s.get(`/Groups/${group.id}`)).json().members).toHaveLength(2);
    await s.del(`/Users/${grace.id}`);
    expect((await s.get(`/Groups/${group.id}`)).json().members.map((m: Json) => m.value)).toEqual([ada.id]);
    expect((await s.get(`/Users/${grace.id}`)).statusCode).toBe(404);
  });

  it('gives each Host its own locations', async () => {
    const s = testServer();
    const ada = await s.createUser('ada');
    for (const host of ['a.example', 'b.example:8443', 'a.example']) {
      const body = (await s.get(`/Users/${ada.id}`, { headers: { host } })).json();
      expect(body.meta.location).toBe(`http://${host}${BASE}/Users/${ada.id}`);
    }
  });

  it('never changes the stored resource it renders from', async () => {
    const s = testServer();
    const ada = await s.createUser('ada', { emails: [{ value: 'ada@example.com', primary: true }] });
    await s.createGroup('Admins', [ada.id]);
    const before = structuredClone(await s.store.view('User', ada.id));
    await s.get(`/Users/${ada.id}`);
    await s.get(`/Users/${ada.id}?attributes=emails.value`);
    expect(await s.store.view('User', ada.id)).toEqual(before);
  });
});

describe('Renderer', () => {
  const user = (id: string, version: string) => ({ schemas: [USER], id, userName: id, meta: { resourceType: 'User', version } });

  it('renders each version once per base, and the projections every time', async () => {
    const store = new MemoryStore();
    let lookups = 0;
    const counting = Object.assign(Object.create(store) as MemoryStore, {
      groupsWithMember: (id: string) => (lookups++, store.groupsWithMember(id)),
    });
    const renderer = new Renderer(counting);
    const first = await renderer.json('User', user('u1', 'W/"1"'), 'http://h/scim');
    expect(await renderer.json('User', user('u1', 'W/"1"'), 'http://h/scim')).toBe(first);
    expect(lookups).toBe(1);
    await renderer.json('User', user('u1', 'W/"2"'), 'http://h/scim');
    await renderer.json('User', user('u1', 'W/"2"'), 'http://other/scim');
    expect(lookups).toBe(3);
    const projected = await renderer.json('User', user('u1', 'W/"2"'), 'http://h/scim', { excludedAttributes: [{ attr: 'userName' }] });
    await renderer.json('User', user('u1', 'W/"2"'), 'http://h/scim', { excludedAttributes: [{ attr: 'userName' }] });
    expect(lookups).toBe(5);
    expect(JSON.parse(projected).userName).toBeUndefined();
  });

  it('keeps one rendering a resource: a read under another Host replaces it', async () => {
    let lookups = 0;
    const store = Object.assign(Object.create(new MemoryStore()) as MemoryStore, { groupsWithMember: async () => (lookups++, []) });
    const renderer = new Renderer(store);
    for (const host of ['a', 'a', 'b', 'b', 'a']) await renderer.json('User', user('u1', 'W/"1"'), `http://${host}/scim`);
    expect(lookups).toBe(3);
    expect(renderer.cached.entries).toBe(1);
  });

  it('writes a ListResponse that parses to what the RFC shows', async () => {
    const renderer = new Renderer(new MemoryStore());
    const text = await renderer.listJson([{ type: 'Group', resource: { schemas: [GROUP], id: 'g1', displayName: 'G', meta: { version: 'W/"1"' } } }], 7, 3, 'http://h', {});
    expect(JSON.parse(text)).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
      totalResults: 7,
      itemsPerPage: 1,
      startIndex: 3,
      Resources: [{ schemas: [GROUP], id: 'g1', displayName: 'G', meta: { version: 'W/"1"', location: 'http://h/Groups/g1' } }],
    });
    expect(JSON.parse(await renderer.listJson([], 0, 1, 'http://h', {})).Resources).toEqual([]);
  });
});
