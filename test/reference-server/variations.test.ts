import { describe, expect, it } from 'vitest';
import { createReferenceServer } from '../../reference-server/app.js';
import { VARIATION_NAMES, type Variation } from '../../reference-server/variations.js';
import { URN } from '../../scim/schema/urns.js';
import { ENTERPRISE, expectScimError, GROUP, patchBody, SEARCH, testServer, USER, type Json, type TestServer } from './resource-helpers.js';

const variant = (...variations: Variation[]) => testServer({ variations });

const bulk = (Operations: unknown[]) => ({ schemas: [URN.bulkRequest], Operations });

function attributeNames(schema: Json): string[] {
  return (schema.attributes as Json[]).map((a) => a.name as string);
}

async function userSchema(s: TestServer): Promise<Json> {
  const res = await s.get(`/Schemas/${USER}`);
  expect(res.statusCode).toBe(200);
  return res.json();
}

describe('variations', () => {
  it('refuses an unknown variation name, naming the known ones', () => {
    expect(() => createReferenceServer({ variations: ['nope' as Variation] })).toThrow(/unknown variation "nope".*patch-204/);
  });

  it('patch-204: PATCH answers 204 without a body, unless attributes are asked for', async () => {
    const s = variant('patch-204');
    const user = await s.createUser('ada');
    const res = await s.patch(`/Users/${user.id}`, patchBody({ op: 'replace', path: 'displayName', value: 'Ada' }));
    expect(res.statusCode).toBe(204);
    expect(res.body).toBe('');
    expect(res.headers.etag).toBe('W/"2"');
    const asked = await s.patch(`/Users/${user.id}?attributes=displayName`, patchBody({ op: 'replace', path: 'displayName', value: 'Ada L' }));
    expect(asked.statusCode).toBe(200);
  });

  it('no-scim-type: errors carry no scimType but the uniqueness, invalidFilter and noTarget the RFC requires, in Bulk too', async () => {
    const s = variant('no-scim-type');
    const user = await s.createUser('ada');
    expect(expectScimError(await s.post('/Users', { schemas: [USER], userName: 'bob', shoeSize: 9 }), 400, undefined).detail).toMatch(/shoeSize/);
    expectScimError(await s.post('/Users', { schemas: [USER], userName: 'bob', active: 'yes' }), 400, undefined);
    expectScimError(await s.patch(`/Users/${user.id}`, patchBody({ op: 'replace', path: 'id', value: 'x' })), 400, undefined);
    expectScimError(await s.post('/Users', { schemas: [USER], userName: 'ADA' }), 409, 'uniqueness');
    expectScimError(await s.list('/Users', { filter: 'userName regex "a"' }), 400, 'invalidFilter');
    expectScimError(await s.patch(`/Users/${user.id}`, patchBody({ op: 'replace', path: 'emails[type eq "work"].value', value: 'a@example.com' })), 400, 'noTarget');
    const res = await s.post('/Bulk', bulk([{ method: 'POST', path: '/Users', bulkId: 'a', data: { schemas: [USER], userName: 'bob', active: 'yes' } }]));
    expect(res.json().Operations[0].response).toEqual({ schemas: [URN.error], status: '400', detail: expect.stringMatching(/active/) });
  });

  describe('minimal-user-schema', () => {
    it('declares only userName, displayName, active, emails and groups, and no enterprise extension', async () => {
      const s = variant('minimal-user-schema');
      const schema = await userSchema(s);
      expect(attributeNames(schema)).toEqual(['userName', 'displayName', 'active', 'emails', 'groups']);
      const emails = (schema.attributes as Json[]).find((a) => a.name === 'emails')!;
      expect(attributeNames({ attributes: emails.subAttributes }).sort()).toEqual(['display', 'primary', 'type', 'value']);
      const ids = ((await s.get('/Schemas')).json().Resources as Json[]).map((r) => r.id);
      expect(ids).not.toContain(ENTERPRISE);
      expect(ids).toContain(GROUP);
      expectScimError(await s.get(`/Schemas/${ENTERPRISE}`), 404);
      expect((await s.get('/ResourceTypes/User')).json()).not.toHaveProperty('schemaExtensions');
    });

    it('refuses other attributes in POST, PUT and PATCH as the default server refuses unknown ones', async () => {
      const s = variant('minimal-user-schema');
      const strict = testServer();
      const user = await s.createUser('ada', { displayName: 'Ada', emails: [{ value: 'ada@example.com', type: 'work', primary: true }], active: true });
      const known = await strict.createUser('ada');
      // nickName here, an attribute no schema has on the default server: the same 400 and scimType.
      const same = async (send: (t: TestServer, id: string, attr: string) => Promise<{ statusCode: number; json(): Json }>) => {
        const refused = await send(s, user.id, 'nickName');
        const unknown = await send(strict, known.id, 'shoeSize');
        expect([refused.statusCode, refused.json().scimType]).toEqual([400, unknown.json().scimType]);
        expect(unknown.statusCode).toBe(400);
      };
      await same((t, _id, attr) => t.post('/Users', { schemas: [USER], userName: 'bob', [attr]: 'x' }));
      await same((t, id, attr) => t.put(`/Users/${id}`, { schemas: [USER], userName: 'ada', [attr]: 'x' }));
      await same((t, id, attr) => t.patch(`/Users/${id}`, patchBody({ op: 'replace', path: attr, value: 'x' })));
      await same((t, id, attr) => t.patch(`/Users/${id}`, patchBody({ op: 'replace', value: { [attr]: 'x' } })));
      const extension = await s.post('/Users', { schemas: [USER, ENTERPRISE], userName: 'carol', [ENTERPRISE]: { department: 'R&D' } });
      expect(extension.statusCode).toBe(400);
      expectScimError(await s.list('/Users', { filter: 'title eq "x"' }), 400, 'invalidFilter');
    });

    it('drops them instead with compat.ignoreUnknownAttributes; Groups are unchanged', async () => {
      const s = testServer({ variations: ['minimal-user-schema'], compat: { ignoreUnknownAttributes: true } });
      const user = await s.createUser('ada', { title: 'Countess', name: { givenName: 'Ada' } });
      expect(user).not.toHaveProperty('title');
      expect(user).not.toHaveProperty('name');
      const group = await s.createGroup('Engineers', [user.id]);
      expect(group.members).toEqual([{ value: user.id, type: 'User', $ref: expect.stringContaining(user.id) }]);
    });
  });

  it('display-name-default: a User created without displayName gets its userName, by POST and by Bulk', async () => {
    const s = variant('display-name-default');
    expect((await s.createUser('ada')).displayName).toBe('ada');
    expect((await s.createUser('bob', { displayName: 'Bob' })).displayName).toBe('Bob');
    const res = await s.post('/Bulk', bulk([{ method: 'POST', path: '/Users', bulkId: 'c', data: { schemas: [USER], userName: 'carol' } }]));
    const created = await s.get(new URL(res.json().Operations[0].location).pathname);
    expect(created.json().displayName).toBe('carol');
    expect((await s.createGroup('Engineers')).displayName).toBe('Engineers');
  });

  it('put-keeps-omitted: PUT keeps what its body omits, extension included; null still clears', async () => {
    const s = variant('put-keeps-omitted');
    const user = await s.createUser('ada', {
      schemas: [USER, ENTERPRISE],
      displayName: 'Ada',
      title: 'Countess',
      emails: [{ value: 'ada@example.com' }],
      [ENTERPRISE]: { department: 'R&D', costCenter: '7' },
    });
    const res = await s.put(`/Users/${user.id}`, { schemas: [USER], userName: 'ada', title: 'Analyst' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      schemas: [USER, ENTERPRISE],
      displayName: 'Ada',
      title: 'Analyst',
      emails: [{ value: 'ada@example.com' }],
      [ENTERPRISE]: { department: 'R&D', costCenter: '7' },
    });
    const partial = await s.put(`/Users/${user.id}`, { schemas: [USER, ENTERPRISE], userName: 'ada', [ENTERPRISE]: { department: 'Ops' } });
    expect(partial.json()[ENTERPRISE]).toEqual({ department: 'Ops', costCenter: '7' });
    const cleared = (await s.put(`/Users/${user.id}`, { schemas: [USER], userName: 'ada', displayName: null, emails: null })).json();
    expect(cleared).not.toHaveProperty('displayName');
    expect(cleared).not.toHaveProperty('emails');
    expect(cleared.title).toBe('Analyst');
  });

  it('no-user-groups: Users declare and show no groups, and cannot be filtered on them', async () => {
    const s = variant('no-user-groups');
    expect(attributeNames(await userSchema(s))).not.toContain('groups');
    const user = await s.createUser('ada');
    await s.createGroup('Engineers', [user.id]);
    expect((await s.get(`/Users/${user.id}`)).json()).not.toHaveProperty('groups');
    expect((await s.get(`/Users/${user.id}?attributes=groups`)).json()).not.toHaveProperty('groups');
    expectScimError(await s.list('/Users', { filter: 'groups.value eq "x"' }), 400, 'invalidFilter');
    // groups is readOnly (RFC 7643 §4.1.2): sent by a client, as Okta does on create, it is ignored, not refused.
    const bob = await s.createUser('bob', { groups: [] });
    expect((await s.get(`/Users/${bob.id}`)).json()).not.toHaveProperty('groups');
  });

  it("computed-member-display: members' display is the member's displayName, or userName, or group name", async () => {
    const s = variant('computed-member-display');
    const ada = await s.createUser('ada', { displayName: 'Ada Lovelace' });
    const bob = await s.createUser('bob');
    const admins = await s.createGroup('Admins');
    const res = await s.post('/Groups', {
      schemas: [GROUP],
      displayName: 'Engineers',
      members: [
        { value: ada.id, display: 'Someone else' },
        { value: bob.id, display: 'Bobby' },
        { value: admins.id, type: 'Group' },
      ],
    });
    expect(res.statusCode, res.body).toBe(201);
    const group = res.json();
    expect(group.members.map((m: Json) => m.display)).toEqual(['Ada Lovelace', 'bob', 'Admins']);
    const carol = await s.createUser('carol', { displayName: 'Carol' });
    const patched = await s.patch(
      `/Groups/${group.id}`,
      patchBody({ op: 'add', path: 'members', value: [{ value: carol.id, display: 'Sent by the client' }] }, { op: 'remove', path: `members[value eq "${admins.id}"]` }),
    );
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json().members.map((m: Json) => [m.value, m.display])).toEqual([
      [ada.id, 'Ada Lovelace'],
      [bob.id, 'bob'],
      [carol.id, 'Carol'],
    ]);
  });

  describe('eq-and-filters', () => {
    const refusals: [string, string][] = [
      ['userName sw "a"', '"sw"'],
      ['userName eq "a" or userName eq "b"', '"or"'],
      ['not (userName eq "a")', '"not"'],
      ['title pr', '"pr"'],
      ['userName eq "a" and meta.lastModified gt "2020-01-01T00:00:00Z"', '"gt"'],
      ['emails[type eq "work"]', 'emails[…]'],
    ];

    it.each(refusals)('refuses %s with 400 invalidFilter naming %s', async (filter, named) => {
      const s = variant('eq-and-filters');
      const body = expectScimError(await s.list('/Users', { filter }), 400, 'invalidFilter');
      expect(body.detail).toContain(named);
      expect(body.detail).toContain('only "eq" and "and"');
    });

    it('accepts eq and and with parentheses, and refuses the rest in /.search and on Groups too', async () => {
      const s = variant('eq-and-filters');
      const ada = await s.createUser('ada', { displayName: 'Ada' });
      await s.createUser('bob');
      const found = await s.list('/Users', { filter: '(userName eq "ada") and (displayName eq "Ada" and active eq true)' });
      expect(found.statusCode, found.body).toBe(200);
      expect(found.json().totalResults).toBe(0);
      const both = await s.list('/Users', { filter: 'userName eq "ada" and displayName eq "Ada"' });
      expect(both.json().Resources.map((r: Json) => r.id)).toEqual([ada.id]);
      expect(expectScimError(await s.post('/Users/.search', { schemas: [SEARCH], filter: 'userName co "a"' }), 400, 'invalidFilter').detail).toContain('"co"');
      expect(expectScimError(await s.post('/.search', { schemas: [SEARCH], filter: 'userName ew "a"' }), 400, 'invalidFilter').detail).toContain('"ew"');
      expect(expectScimError(await s.list('/Groups', { filter: 'displayName ne "x"' }), 400, 'invalidFilter').detail).toContain('"ne"');
    });
  });

  it('no-search: POST /.search answers 404 at the root and per type, as an unknown endpoint does', async () => {
    const s = variant('no-search');
    await s.createUser('ada');
    const search = { schemas: [SEARCH], filter: 'userName eq "ada"' };
    for (const path of ['/.search', '/Users/.search', '/Groups/.search']) {
      expect(expectScimError(await s.post(path, search), 404).detail).toBe(`No endpoint at POST /scim/v2${path}`);
    }
    expect((await s.list('/Users', { filter: 'userName eq "ada"' })).json().totalResults).toBe(1);
  });

  describe('minimal-spc', () => {
    it('declares bulk without limits and changePassword as unsupported; /Bulk answers 501', async () => {
      const s = variant('minimal-spc');
      const config = (await s.get('/ServiceProviderConfig')).json();
      expect(config.bulk).toEqual({ supported: false });
      expect(config.changePassword).toEqual({ supported: false });
      const res = await s.post('/Bulk', bulk([{ method: 'POST', path: '/Users', bulkId: 'a', data: { schemas: [USER], userName: 'ada' } }]));
      expect(expectScimError(res, 501).detail).toMatch(/Bulk operations are not supported/);
    });

    it('sets a password on create, but refuses PUT and PATCH that change it with 400 mutability', async () => {
      const s = variant('minimal-spc');
      const user = await s.createUser('ada', { password: 'first-Secret1' });
      const put = expectScimError(await s.put(`/Users/${user.id}`, { schemas: [USER], userName: 'ada', password: 'other-Secret2' }), 400, 'mutability');
      expect(put.detail).toBe('Password changes are not supported: /ServiceProviderConfig declares changePassword.supported false');
      expectScimError(await s.patch(`/Users/${user.id}`, patchBody({ op: 'replace', path: 'password', value: 'other-Secret2' })), 400, 'mutability');
      expect((await s.put(`/Users/${user.id}`, { schemas: [USER], userName: 'ada', password: 'first-Secret1', displayName: 'Ada' })).statusCode).toBe(200);
      expect((await s.patch(`/Users/${user.id}`, patchBody({ op: 'replace', path: 'displayName', value: 'Ada L' }))).statusCode).toBe(200);
    });
  });

  it('all at once: a minimal schema without groups, and each behaviour still in force', async () => {
    const s = testServer({ variations: VARIATION_NAMES });
    expect(attributeNames(await userSchema(s))).toEqual(['userName', 'displayName', 'active', 'emails']);
    const user = await s.createUser('ada');
    expect(user.displayName).toBe('ada');
    expect((await s.patch(`/Users/${user.id}`, patchBody({ op: 'replace', path: 'active', value: false }))).statusCode).toBe(204);
    expectScimError(await s.list('/Users', { filter: 'userName sw "a"' }), 400, 'invalidFilter');
    expectScimError(await s.post('/Users', { schemas: [USER], userName: 'bob', nickName: 'b' }), 400, undefined);
    expectScimError(await s.post('/Users/.search', { schemas: [SEARCH] }), 404);
  });
});
