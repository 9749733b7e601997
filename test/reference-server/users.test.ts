import { describe, expect, it } from 'vitest';
import { BASE, ENTERPRISE, expectScimError, ORIGIN, patchBody, SCIM_TYPE, T0, testServer, USER, type Json } from './resource-helpers.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** RFC 7644 §3.3, the create request of the example. */
const RFC_CREATE = {
  schemas: [USER],
  userName: 'bjensen',
  externalId: 'bjensen',
  name: { formatted: 'Ms. Barbara J Jensen III', familyName: 'Jensen', givenName: 'Barbara' },
};

describe('POST /Users (RFC 7644 §3.3)', () => {
  it('creates the RFC example: 201, server-assigned id, meta, Location = meta.location, ETag = meta.version', async () => {
    const s = testServer();
    const res = await s.post('/Users', RFC_CREATE);
    expect(res.statusCode).toBe(201);
    expect(res.headers['content-type']).toBe(SCIM_TYPE);
    const body = res.json();
    expect(body.id).toMatch(UUID);
    expect(body).toEqual({
      schemas: [USER],
      id: body.id,
      externalId: 'bjensen',
      userName: 'bjensen',
      name: { formatted: 'Ms. Barbara J Jensen III', familyName: 'Jensen', givenName: 'Barbara' },
      meta: {
        resourceType: 'User',
        created: new Date(T0).toISOString(),
        lastModified: new Date(T0).toISOString(),
        location: `${ORIGIN}${BASE}/Users/${body.id}`,
        version: 'W/"1"',
      },
    });
    expect(res.headers.location).toBe(body.meta.location);
    expect(res.headers.etag).toBe(body.meta.version);
  });

  it('ignores a client id, meta and groups (readOnly), and assigns distinct ids', async () => {
    const s = testServer();
    const res = await s.post('/Users', {
      ...RFC_CREATE,
      id: 'chosen-by-client',
      meta: { resourceType: 'Group', version: 'W/"99"', created: '2000-01-01T00:00:00Z' },
      groups: [{ value: 'some-group', display: 'Admins' }],
    });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body.id).not.toBe('chosen-by-client');
    expect(body.meta.resourceType).toBe('User');
    expect(body.meta.version).toBe('W/"1"');
    expect(body.meta.created).toBe(new Date(T0).toISOString());
    expect(body.groups).toBeUndefined();
    const other = await s.createUser('other');
    expect(other.id).not.toBe(body.id);
  });

  it('never returns the password, even when asked for', async () => {
    const s = testServer();
    const res = await s.post('/Users?attributes=password,userName', { schemas: [USER], userName: 'ada', password: 't1meMa$heen' });
    expect(res.statusCode).toBe(201);
    expect(res.body).not.toContain('t1meMa$heen');
    expect(res.json()).toEqual({ schemas: [USER], id: res.json().id, userName: 'ada' });
    const id = res.json().id;
    for (const url of [`/Users/${id}`, `/Users/${id}?attributes=password`, '/Users', '/Users?attributes=password']) {
      const got = await s.get(url);
      expect(got.statusCode).toBe(200);
      expect(got.body, url).not.toContain('t1meMa$heen');
      expect(got.body, url).not.toContain('password');
    }
  });

  it('builds Location and meta.location from the Host the client used and the base path', async () => {
    const s = testServer({ basePath: '/tenant/scim' });
    const res = await s.app.inject({
      method: 'POST',
      url: '/tenant/scim/Users',
      headers: { authorization: 'Bearer t', 'content-type': 'application/scim+json', host: 'scim.example.com:8443' },
      payload: JSON.stringify({ schemas: [USER], userName: 'ada' }),
    });
    expect(res.statusCode).toBe(201);
    expect(res.headers.location).toBe(`http://scim.example.com:8443/tenant/scim/Users/${res.json().id}`);
    expect(res.json().meta.location).toBe(res.headers.location);
  });

  it('keeps the enterprise extension and lists it in schemas', async () => {
    const s = testServer();
    const res = await s.post('/Users', { schemas: [USER, ENTERPRISE], userName: 'ada', [ENTERPRISE]: { employeeNumber: '701984' } });
    expect(res.statusCode).toBe(201);
    expect(res.json().schemas).toEqual([USER, ENTERPRISE]);
    expect(res.json()[ENTERPRISE]).toEqual({ employeeNumber: '701984' });
  });

  it('applies attributes / excludedAttributes to the answer, always with id and schemas', async () => {
    const s = testServer();
    const only = await s.post('/Users?attributes=name.givenName', RFC_CREATE);
    expect(only.statusCode).toBe(201);
    expect(only.json()).toEqual({ schemas: [USER], id: only.json().id, name: { givenName: 'Barbara' } });
    const without = await s.post('/Users?excludedAttributes=name,meta,id,schemas', { ...RFC_CREATE, userName: 'other' });
    expect(without.statusCode).toBe(201);
    expect(Object.keys(without.json()).sort()).toEqual(['externalId', 'id', 'schemas', 'userName']);
    // The Location header does not depend on the projection.
    expect(without.headers.location).toBe(`${ORIGIN}${BASE}/Users/${without.json().id}`);
  });

  it('refuses a userName taken, ignoring case, with 409 uniqueness', async () => {
    const s = testServer();
    await s.createUser('Ada@Example.com');
    const body = expectScimError(await s.post('/Users', { schemas: [USER], userName: 'ada@example.COM' }), 409, 'uniqueness');
    expect(body.detail).toContain('userName');
    const list = await s.get('/Users');
    expect(list.json().totalResults).toBe(1);
  });
});

describe('GET /Users/{id} (RFC 7644 §3.4.1)', () => {
  it('answers the resource with ETag and the same representation as the POST', async () => {
    const s = testServer();
    const created = await s.createUser('bjensen', { name: { givenName: 'Barbara' } });
    const res = await s.get(`/Users/${created.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe(SCIM_TYPE);
    expect(res.headers.etag).toBe('W/"1"');
    expect(res.json()).toEqual(created);
  });

  it('applies attributes and excludedAttributes', async () => {
    const s = testServer();
    const created = await s.createUser('bjensen', { displayName: 'Babs', name: { givenName: 'Barbara', familyName: 'Jensen' } });
    const only = await s.get(`/Users/${created.id}?attributes=userName,name.familyName`);
    expect(only.json()).toEqual({ schemas: [USER], id: created.id, userName: 'bjensen', name: { familyName: 'Jensen' } });
    const excluded = await s.get(`/Users/${created.id}?excludedAttributes=name,meta,displayName`);
    expect(excluded.json()).toEqual({ schemas: [USER], id: created.id, userName: 'bjensen' });
  });

  it('answers an unknown id with a SCIM 404', async () => {
    const s = testServer();
    expectScimError(await s.get('/Users/no-such-id'), 404);
    const group = await s.createGroup('g');
    // A Group's id is not a User's.
    expectScimError(await s.get(`/Users/${group.id}`), 404);
  });
});

describe('PUT /Users/{id} (RFC 7644 §3.5.1)', () => {
  it('replaces the resource: omitted attributes are cleared, id and meta are the server\'s', async () => {
    const s = testServer();
    const created = await s.createUser('bjensen', { displayName: 'Babs', nickName: 'B', name: { givenName: 'Barbara' } });
    s.advance(60_000);
    const res = await s.put(`/Users/${created.id}`, {
      schemas: [USER],
      id: 'something-else',
      userName: 'bjensen',
      nickName: 'Barb',
      meta: { version: 'W/"42"', created: '1999-01-01T00:00:00Z', resourceType: 'Group' },
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.id).toBe(created.id);
    expect(body.nickName).toBe('Barb');
    expect(body.displayName).toBeUndefined();
    expect(body.name).toBeUndefined();
    expect(body.meta).toEqual({
      resourceType: 'User',
      created: created.meta.created,
      lastModified: new Date(T0 + 60_000).toISOString(),
      location: created.meta.location,
      version: 'W/"2"',
    });
    expect(res.headers.etag).toBe('W/"2"');
    expect((await s.get(`/Users/${created.id}`)).json()).toEqual(body);
  });

  it('follows the RFC 7644 §3.5.1 example', async () => {
    const s = testServer();
    const created = await s.createUser('bjensen', { externalId: 'bjensen', name: { formatted: 'Ms. Barbara J Jensen III', familyName: 'Jensen', givenName: 'Barbara' } });
    const res = await s.put(`/Users/${created.id}`, {
      schemas: [USER],
      id: created.id,
      userName: 'bjensen',
      externalId: 'bjensen',
      name: { formatted: 'Ms. Barbara J Jensen III', familyName: 'Jensen', givenName: 'Barbara', middleName: 'Jane' },
      roles: [],
      emails: [{ value: 'bjensen@example.com' }, { value: 'babs@jensen.org' }],
    }, { headers: { 'if-match': created.meta.version } });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.name.middleName).toBe('Jane');
    expect(body.emails).toEqual([{ value: 'bjensen@example.com' }, { value: 'babs@jensen.org' }]);
    expect(body.roles).toBeUndefined();
    expect(body.meta.version).not.toBe(created.meta.version);
    expect(res.headers.etag).toBe(body.meta.version);
  });

  it('applies attributes / excludedAttributes to the answer', async () => {
    const s = testServer();
    const created = await s.createUser('ada');
    const res = await s.put(`/Users/${created.id}?attributes=nickName`, { schemas: [USER], userName: 'ada', nickName: 'A', title: 'x' });
    expect(res.json()).toEqual({ schemas: [USER], id: created.id, nickName: 'A' });
    const without = await s.put(`/Users/${created.id}?excludedAttributes=meta,title`, { schemas: [USER], userName: 'ada', nickName: 'A', title: 'x' });
    expect(without.json()).toEqual({ schemas: [USER], id: created.id, userName: 'ada', nickName: 'A' });
  });

  it('refuses a userName another user has, ignoring case (409), but lets a user change its own case', async () => {
    const s = testServer();
    await s.createUser('ada');
    const grace = await s.createUser('grace');
    expectScimError(await s.put(`/Users/${grace.id}`, { schemas: [USER], userName: 'ADA' }), 409, 'uniqueness');
    const recased = await s.put(`/Users/${grace.id}`, { schemas: [USER], userName: 'Grace' });
    expect(recased.statusCode).toBe(200);
    expect(recased.json().userName).toBe('Grace');
  });

  it('refuses a PUT without userName, or with a wrong type', async () => {
    const s = testServer();
    const created = await s.createUser('ada');
    expectScimError(await s.put(`/Users/${created.id}`, { schemas: [USER] }), 400, 'invalidValue');
    expectScimError(await s.put(`/Users/${created.id}`, { schemas: [USER], userName: 'ada', active: 'yes' }), 400, 'invalidValue');
    expect((await s.get(`/Users/${created.id}`)).json()).toEqual(created);
  });

  it('answers 404 for an unknown id', async () => {
    const s = testServer();
    expectScimError(await s.put('/Users/nope', { schemas: [USER], userName: 'x' }), 404);
  });
});

describe('PATCH /Users/{id} (RFC 7644 §3.5.2)', () => {
  it('answers 200 with the patched resource, a new version and lastModified', async () => {
    const s = testServer();
    const created = await s.createUser('ada', { active: true, emails: [{ value: 'ada@work.example', type: 'work' }] });
    s.advance(1000);
    const res = await s.patch(
      `/Users/${created.id}`,
      patchBody(
        { op: 'replace', path: 'active', value: false },
        { op: 'add', path: 'emails', value: [{ value: 'ada@home.example', type: 'home', primary: true }] },
        { op: 'replace', path: 'name.familyName', value: 'Lovelace' },
      ),
    );
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.active).toBe(false);
    expect(body.name).toEqual({ familyName: 'Lovelace' });
    expect(body.emails).toEqual([
      { value: 'ada@work.example', type: 'work' },
      { value: 'ada@home.example', type: 'home', primary: true },
    ]);
    expect(body.meta.version).toBe('W/"2"');
    expect(body.meta.lastModified).toBe(new Date(T0 + 1000).toISOString());
    expect(body.meta.created).toBe(created.meta.created);
    expect(res.headers.etag).toBe('W/"2"');
    expect((await s.get(`/Users/${created.id}`)).json()).toEqual(body);
  });

  it('answers 204 without a body with patchStatus 204, and still applies the change', async () => {
    const s = testServer({ patchStatus: 204 });
    const created = await s.createUser('ada');
    const res = await s.patch(`/Users/${created.id}`, patchBody({ op: 'add', path: 'displayName', value: 'Ada L.' }));
    expect(res.statusCode).toBe(204);
    expect(res.body).toBe('');
    expect(res.headers['content-type']).toBeUndefined();
    expect(res.headers.etag).toBe('W/"2"');
    expect((await s.get(`/Users/${created.id}`)).json().displayName).toBe('Ada L.');
  });

  it('applies the projection to the answer', async () => {
    const s = testServer();
    const created = await s.createUser('ada');
    const res = await s.patch(`/Users/${created.id}?attributes=displayName`, patchBody({ op: 'add', path: 'displayName', value: 'Ada' }));
    expect(res.json()).toEqual({ schemas: [USER], id: created.id, displayName: 'Ada' });
  });

  it('refuses a PATCH to a userName another user has (409)', async () => {
    const s = testServer();
    await s.createUser('ada');
    const grace = await s.createUser('grace');
    expectScimError(await s.patch(`/Users/${grace.id}`, patchBody({ op: 'replace', path: 'userName', value: 'Ada' })), 409, 'uniqueness');
  });

  it('refuses to write the computed groups attribute (mutability)', async () => {
    const s = testServer();
    const user = await s.createUser('ada');
    const group = await s.createGroup('g');
    expectScimError(await s.patch(`/Users/${user.id}`, patchBody({ op: 'add', path: 'groups', value: [{ value: group.id }] })), 400, 'mutability');
    expect((await s.get(`/Users/${user.id}`)).json().groups).toBeUndefined();
  });
});

describe('DELETE /Users/{id} (RFC 7644 §3.6)', () => {
  it('answers 204 without a body, then 404 to GET, PUT, PATCH and DELETE', async () => {
    const s = testServer();
    const created = await s.createUser('bjensen');
    const res = await s.del(`/Users/${created.id}`);
    expect(res.statusCode).toBe(204);
    expect(res.body).toBe('');
    expect(res.headers['content-type']).toBeUndefined();
    const gone = expectScimError(await s.get(`/Users/${created.id}`), 404);
    expect(gone.detail).toContain(created.id);
    expectScimError(await s.put(`/Users/${created.id}`, { schemas: [USER], userName: 'bjensen' }), 404);
    expectScimError(await s.patch(`/Users/${created.id}`, patchBody({ op: 'add', path: 'nickName', value: 'b' })), 404);
    expectScimError(await s.del(`/Users/${created.id}`), 404);
    // The userName is free again.
    expect((await s.post('/Users', { schemas: [USER], userName: 'BJENSEN' })).statusCode).toBe(201);
  });

  it('accepts a DELETE that announces a JSON type with an empty body', async () => {
    const s = testServer();
    const created = await s.createUser('ada');
    const res = await s.del(`/Users/${created.id}`, { contentType: 'application/scim+json' });
    expect(res.statusCode).toBe(204);
  });
});

describe("a user's groups (RFC 7643 §4.1.2)", () => {
  it('are computed from the groups listing the user: value, $ref, display', async () => {
    const s = testServer();
    const ada = await s.createUser('ada');
    const grace = await s.createUser('grace');
    const admins = await s.createGroup('Admins', [ada.id]);
    const staff = await s.createGroup('Staff', [ada.id, grace.id]);
    const res = await s.get(`/Users/${ada.id}`);
    expect(res.json().groups).toEqual([
      { value: admins.id, $ref: `${ORIGIN}${BASE}/Groups/${admins.id}`, display: 'Admins', type: 'direct' },
      { value: staff.id, $ref: `${ORIGIN}${BASE}/Groups/${staff.id}`, display: 'Staff', type: 'direct' },
    ]);
    expect((await s.get(`/Users/${grace.id}`)).json().groups.map((g: Json) => g.value)).toEqual([staff.id]);
    // A list shows them too, and a projection can leave them out.
    const listed = await s.list('/Users', { filter: 'userName eq "ada"' });
    expect(listed.json().Resources[0].groups).toHaveLength(2);
    expect((await s.get(`/Users/${ada.id}?excludedAttributes=groups`)).json().groups).toBeUndefined();
  });

  it('follow a group rename and a member removal', async () => {
    const s = testServer();
    const ada = await s.createUser('ada');
    const group = await s.createGroup('Admins', [ada.id]);
    await s.patch(`/Groups/${group.id}`, patchBody({ op: 'replace', path: 'displayName', value: 'Root' }));
    expect((await s.get(`/Users/${ada.id}`)).json().groups[0].display).toBe('Root');
    await s.patch(`/Groups/${group.id}`, patchBody({ op: 'remove', path: `members[value eq "${ada.id}"]` }));
    expect((await s.get(`/Users/${ada.id}`)).json().groups).toBeUndefined();
  });

  it('are read-only: a client value in POST or PUT is ignored', async () => {
    const s = testServer();
    const group = await s.createGroup('Admins');
    const created = await s.post('/Users', { schemas: [USER], userName: 'ada', groups: [{ value: group.id }] });
    expect(created.statusCode).toBe(201);
    expect(created.json().groups).toBeUndefined();
    const replaced = await s.put(`/Users/${created.json().id}`, { schemas: [USER], userName: 'ada', groups: [{ value: group.id, display: 'Admins' }] });
    expect(replaced.statusCode).toBe(200);
    expect(replaced.json().groups).toBeUndefined();
    expect((await s.get(`/Groups/${group.id}`)).json().members).toBeUndefined();
  });

  it('a PUT keeps the memberships the user has', async () => {
    const s = testServer();
    const ada = await s.createUser('ada');
    const group = await s.createGroup('Admins', [ada.id]);
    const replaced = await s.put(`/Users/${ada.id}`, { schemas: [USER], userName: 'ada', displayName: 'Ada' });
    expect(replaced.json().groups.map((g: Json) => g.value)).toEqual([group.id]);
  });
});

describe('a deleted user', () => {
  it('is removed from every group, whose version and lastModified move on', async () => {
    const s = testServer();
    const ada = await s.createUser('ada');
    const grace = await s.createUser('grace');
    const one = await s.createGroup('one', [ada.id, grace.id]);
    const two = await s.createGroup('two', [ada.id]);
    const untouched = await s.createGroup('three', [grace.id]);
    s.advance(5000);
    expect((await s.del(`/Users/${ada.id}`)).statusCode).toBe(204);

    const afterOne = (await s.get(`/Groups/${one.id}`)).json();
    expect(afterOne.members.map((m: Json) => m.value)).toEqual([grace.id]);
    expect(afterOne.meta.version).toBe('W/"2"');
    expect(afterOne.meta.lastModified).toBe(new Date(T0 + 5000).toISOString());

    const afterTwo = await s.get(`/Groups/${two.id}`);
    expect(afterTwo.json().members).toBeUndefined();
    expect(afterTwo.headers.etag).toBe('W/"2"');

    expect((await s.get(`/Groups/${untouched.id}`)).json().meta.version).toBe('W/"1"');
    // No filter finds the user among members any more.
    const byMember = await s.list('/Groups', { filter: `members.value eq "${ada.id}"` });
    expect(byMember.json().totalResults).toBe(0);
    // A stale If-Match on the group now fails.
    expectScimError(await s.del(`/Groups/${one.id}`, { headers: { 'if-match': one.meta.version } }), 412);
  });

  it('leaves groups whose other sub-groups stay', async () => {
    const s = testServer();
    const ada = await s.createUser('ada');
    const inner = await s.createGroup('inner', [ada.id]);
    const outer = await s.createGroup('outer', [inner.id, ada.id]);
    expect((await s.get(`/Groups/${outer.id}`)).json().members.map((m: Json) => m.type)).toEqual(['Group', 'User']);
    await s.del(`/Groups/${inner.id}`);
    expect((await s.get(`/Groups/${outer.id}`)).json().members.map((m: Json) => m.value)).toEqual([ada.id]);
  });
});
