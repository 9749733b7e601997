import { describe, expect, it } from 'vitest';
import { BASE, expectScimError, GROUP, ORIGIN, patchBody, SCIM_TYPE, T0, testServer, USER, type Json } from './resource-helpers.js';

describe('POST /Groups', () => {
  it('creates a group with members: 201, Location, ETag, meta, member type and $ref filled in', async () => {
    const s = testServer();
    const ada = await s.createUser('ada');
    const res = await s.post('/Groups', { schemas: [GROUP], displayName: 'Tour Guides', members: [{ value: ada.id, display: 'Ada' }] });
    expect(res.statusCode).toBe(201);
    expect(res.headers['content-type']).toBe(SCIM_TYPE);
    const body = res.json();
    expect(body).toEqual({
      schemas: [GROUP],
      id: body.id,
      displayName: 'Tour Guides',
      members: [{ value: ada.id, $ref: `${ORIGIN}${BASE}/Users/${ada.id}`, type: 'User', display: 'Ada' }],
      meta: {
        resourceType: 'Group',
        created: new Date(T0).toISOString(),
        lastModified: new Date(T0).toISOString(),
        location: `${ORIGIN}${BASE}/Groups/${body.id}`,
        version: 'W/"1"',
      },
    });
    expect(res.headers.location).toBe(body.meta.location);
    expect(res.headers.etag).toBe(body.meta.version);
  });

  it('ignores a client id and meta', async () => {
    const s = testServer();
    const res = await s.post('/Groups', { schemas: [GROUP], displayName: 'g', id: 'mine', meta: { version: 'W/"7"' } });
    expect(res.statusCode).toBe(201);
    expect(res.json().id).not.toBe('mine');
    expect(res.json().meta.version).toBe('W/"1"');
  });

  it('accepts groups as members, and sets $ref to /Groups', async () => {
    const s = testServer();
    const inner = await s.createGroup('inner');
    const outer = await s.createGroup('outer', [inner.id]);
    expect(outer.members).toEqual([{ value: inner.id, $ref: `${ORIGIN}${BASE}/Groups/${inner.id}`, type: 'Group' }]);
  });

  it('refuses a member id that does not exist with 400 invalidValue, and creates nothing', async () => {
    const s = testServer();
    const ada = await s.createUser('ada');
    const body = expectScimError(
      await s.post('/Groups', { schemas: [GROUP], displayName: 'g', members: [{ value: ada.id }, { value: 'ghost' }] }),
      400,
      'invalidValue',
    );
    expect(body.detail).toContain('ghost');
    expect((await s.get('/Groups')).json().totalResults).toBe(0);
  });

  it('refuses a member without a value, or with a type that contradicts it', async () => {
    const s = testServer();
    const ada = await s.createUser('ada');
    expectScimError(await s.post('/Groups', { schemas: [GROUP], displayName: 'g', members: [{ display: 'x' }] }), 400, 'invalidValue');
    expectScimError(await s.post('/Groups', { schemas: [GROUP], displayName: 'g', members: [{ value: ada.id, type: 'Group' }] }), 400, 'invalidValue');
  });

  it('refuses a group without displayName (400 invalidValue)', async () => {
    const s = testServer();
    expectScimError(await s.post('/Groups', { schemas: [GROUP] }), 400, 'invalidValue');
  });

  it('refuses a User body on /Groups', async () => {
    const s = testServer();
    expectScimError(await s.post('/Groups', { schemas: [USER], userName: 'x' }), 400, 'invalidValue');
  });
});

describe('GET /Groups/{id}', () => {
  it('answers the group, and 404 for an unknown id or a user id', async () => {
    const s = testServer();
    const ada = await s.createUser('ada');
    const group = await s.createGroup('g', [ada.id]);
    const res = await s.get(`/Groups/${group.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers.etag).toBe('W/"1"');
    expect(res.json()).toEqual(group);
    expectScimError(await s.get('/Groups/unknown'), 404);
    expectScimError(await s.get(`/Groups/${ada.id}`), 404);
  });

  it('can leave the members out (excludedAttributes=members, RFC 7644 §3.4.2.5)', async () => {
    const s = testServer();
    const ada = await s.createUser('ada');
    const group = await s.createGroup('g', [ada.id]);
    expect((await s.get(`/Groups/${group.id}?excludedAttributes=members`)).json()).toEqual({
      schemas: [GROUP],
      id: group.id,
      displayName: 'g',
      meta: group.meta,
    });
    expect((await s.get(`/Groups/${group.id}?attributes=members.value`)).json()).toEqual({ schemas: [GROUP], id: group.id, members: [{ value: ada.id }] });
  });
});

describe('PUT /Groups/{id}', () => {
  it('replaces the members, keeping id and created', async () => {
    const s = testServer();
    const ada = await s.createUser('ada');
    const grace = await s.createUser('grace');
    const group = await s.createGroup('g', [ada.id]);
    s.advance(10);
    const res = await s.put(`/Groups/${group.id}`, { schemas: [GROUP], id: 'other', displayName: 'G', members: [{ value: grace.id }] });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.id).toBe(group.id);
    expect(body.displayName).toBe('G');
    expect(body.members.map((m: Json) => m.value)).toEqual([grace.id]);
    expect(body.meta.created).toBe(group.meta.created);
    expect(body.meta.lastModified).toBe(new Date(T0 + 10).toISOString());
    expect(body.meta.version).toBe('W/"2"');
    // The users' computed groups follow.
    expect((await s.get(`/Users/${ada.id}`)).json().groups).toBeUndefined();
    expect((await s.get(`/Users/${grace.id}`)).json().groups.map((g: Json) => g.value)).toEqual([group.id]);
  });

  it('refuses an unknown member (400 invalidValue) and keeps the group as it was', async () => {
    const s = testServer();
    const ada = await s.createUser('ada');
    const group = await s.createGroup('g', [ada.id]);
    expectScimError(await s.put(`/Groups/${group.id}`, { schemas: [GROUP], displayName: 'g', members: [{ value: 'ghost' }] }), 400, 'invalidValue');
    expect((await s.get(`/Groups/${group.id}`)).json()).toEqual(group);
  });

  it('a PUT that changes nothing keeps the version', async () => {
    const s = testServer();
    const ada = await s.createUser('ada');
    const group = await s.createGroup('g', [ada.id]);
    s.advance(1000);
    const res = await s.put(`/Groups/${group.id}`, { schemas: [GROUP], displayName: 'g', members: [{ value: ada.id }] });
    expect(res.statusCode).toBe(200);
    expect(res.json().meta).toEqual(group.meta);
  });
});

describe('PATCH /Groups/{id}', () => {
  it('adds and removes members (RFC 7644 §3.5.2.1, §3.5.2.2 examples)', async () => {
    const s = testServer();
    const ada = await s.createUser('ada');
    const grace = await s.createUser('grace');
    const group = await s.createGroup('g', [ada.id]);
    const added = await s.patch(`/Groups/${group.id}`, patchBody({ op: 'add', path: 'members', value: [{ display: 'Grace', $ref: 'ignored', value: grace.id }] }));
    expect(added.statusCode).toBe(200);
    expect(added.json().members).toEqual([
      { value: ada.id, $ref: `${ORIGIN}${BASE}/Users/${ada.id}`, type: 'User' },
      { value: grace.id, $ref: `${ORIGIN}${BASE}/Users/${grace.id}`, type: 'User', display: 'Grace' },
    ]);
    const removed = await s.patch(`/Groups/${group.id}`, patchBody({ op: 'remove', path: `members[value eq "${ada.id}"]` }));
    expect(removed.json().members.map((m: Json) => m.value)).toEqual([grace.id]);
    const emptied = await s.patch(`/Groups/${group.id}`, patchBody({ op: 'remove', path: 'members' }));
    expect(emptied.json().members).toBeUndefined();
    expect(emptied.json().meta.version).toBe('W/"4"');
  });

  it('refuses an unknown member with 400 invalidValue', async () => {
    const s = testServer();
    const group = await s.createGroup('g');
    expectScimError(await s.patch(`/Groups/${group.id}`, patchBody({ op: 'add', path: 'members', value: [{ value: 'ghost' }] })), 400, 'invalidValue');
    expect((await s.get(`/Groups/${group.id}`)).json()).toEqual(group);
  });

  it('refuses to change an immutable member sub-attribute (400 mutability)', async () => {
    const s = testServer();
    const ada = await s.createUser('ada');
    const grace = await s.createUser('grace');
    const group = await s.createGroup('g', [ada.id]);
    expectScimError(
      await s.patch(`/Groups/${group.id}`, patchBody({ op: 'replace', path: `members[value eq "${ada.id}"].value`, value: grace.id })),
      400,
      'mutability',
    );
  });

  it('adding a member already there changes nothing: same version and lastModified', async () => {
    const s = testServer();
    const ada = await s.createUser('ada');
    const group = await s.createGroup('g', [ada.id]);
    s.advance(1000);
    const res = await s.patch(`/Groups/${group.id}`, patchBody({ op: 'add', path: 'members', value: [{ value: ada.id }] }));
    expect(res.statusCode).toBe(200);
    expect(res.json().meta).toEqual(group.meta);
    expect(res.headers.etag).toBe('W/"1"');
  });

  it('answers 204 with patchStatus 204', async () => {
    const s = testServer({ patchStatus: 204 });
    const group = await s.createGroup('g');
    const res = await s.patch(`/Groups/${group.id}`, patchBody({ op: 'replace', path: 'displayName', value: 'h' }));
    expect(res.statusCode).toBe(204);
    expect(res.body).toBe('');
    expect((await s.get(`/Groups/${group.id}`)).json().displayName).toBe('h');
  });
});

describe('DELETE /Groups/{id}', () => {
  it('answers 204, then 404; the members lose the group', async () => {
    const s = testServer();
    const ada = await s.createUser('ada');
    const group = await s.createGroup('g', [ada.id]);
    const res = await s.del(`/Groups/${group.id}`);
    expect(res.statusCode).toBe(204);
    expect(res.body).toBe('');
    expectScimError(await s.get(`/Groups/${group.id}`), 404);
    expect((await s.get(`/Users/${ada.id}`)).json().groups).toBeUndefined();
    // The user itself stays.
    expect((await s.get(`/Users/${ada.id}`)).statusCode).toBe(200);
  });
});
