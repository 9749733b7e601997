import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createReferenceServer } from '../../reference-server/app.js';
import type { ProfileDocument } from '../../scim/profile/fields.js';
import { URN } from '../../scim/schema/urns.js';
import { ENTERPRISE, expectScimError, GROUP, ids, patchBody, SEARCH, testServer, USER, type Json, type TestServer } from './resource-helpers.js';

/* Each field of a profile, over HTTP (docs/profiles.md). */

const serve = (profile: ProfileDocument) => testServer({ profile });
const POSTMAN_404 = { error: { name: 'NotFound', message: 'Not found' }, status: 'error' };

async function configOf(s: TestServer): Promise<Json> {
  const res = await s.get('/ServiceProviderConfig');
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

describe('choosing a profile', () => {
  it('takes a bundled name, a file, or a document; strict is the default', () => {
    expect(createReferenceServer({ tokens: ['t'] }).options.profile.name).toBe('strict');
    expect(createReferenceServer({ tokens: ['t'], profile: 'lenient' }).options.compat.caseInsensitiveOps).toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'profile-'));
    writeFileSync(join(dir, 'base.yaml'), 'extends: lenient\npatch: { status: 204 }\n');
    writeFileSync(join(dir, 'target.yaml'), 'extends: ./base.yaml\nusers: { put: keep-omitted }\n');
    const options = createReferenceServer({ tokens: ['t'], profile: join(dir, 'target.yaml') }).options;
    expect([options.profile.name, options.patchStatus, options.compat.stringBooleans, options.profile.users.put]).toEqual(['target', 204, true, 'keep-omitted']);
    expect(createReferenceServer({ tokens: ['t'], profile: { name: 'mine', extends: 'patch-204' } }).options.patchStatus).toBe(204);
  });

  it('refuses an unknown name, a bad file and an unknown attribute, saying where and what', () => {
    expect(() => createReferenceServer({ profile: 'postmann' })).toThrow(/extends: "postmann" is neither a bundled profile \(strict, lenient, .*\) nor a file/);
    const dir = mkdtempSync(join(tmpdir(), 'profile-'));
    writeFileSync(join(dir, 'bad.yaml'), 'patch:\n  status: 201\n');
    expect(() => createReferenceServer({ profile: join(dir, 'bad.yaml') })).toThrow(`${join(dir, 'bad.yaml')}: patch.status: must be one of 200, 204, got 201`);
    writeFileSync(join(dir, 'broken.yaml'), 'patch: [\n');
    expect(() => createReferenceServer({ profile: join(dir, 'broken.yaml') })).toThrow(/broken\.yaml: line \d+, column \d+: is not valid YAML/);
    expect(() => createReferenceServer({ profile: { attributes: { User: { stored: ['userName', 'nickname2'] } } } })).toThrow(
      /attributes\.User\.stored\[1\]: "nickname2" is not an attribute of Users in RFC 7643: did you mean 'nickName'\?/,
    );
    expect(() => createReferenceServer({ profile: { filtre: {} } as ProfileDocument })).toThrow("the profile option: filtre: unknown key 'filtre' at the top level: did you mean 'filter'?");
  });

  it('lets the older options win over the profile: compat, patchStatus, publicDiscovery, maxPageSize, variations', () => {
    const options = createReferenceServer({
      tokens: ['t'],
      profile: { patch: { status: 204 }, discovery: { public: true }, paging: { maxResults: 5 }, compat: { stringBooleans: true } },
      patchStatus: 200,
      publicDiscovery: false,
      maxPageSize: 7,
      compat: { stringBooleans: false, caseInsensitiveOps: true },
      variations: ['no-scim-type'],
    }).options;
    expect([options.patchStatus, options.publicDiscovery, options.maxPageSize, options.profile.paging.maxResults]).toEqual([200, false, 7, 7]);
    expect([options.compat.stringBooleans, options.compat.caseInsensitiveOps, options.profile.errors.scimType]).toEqual([false, true, 'required']);
  });
});

describe('compat', () => {
  it("turns the departures on by name: Entra's capitalised ops", async () => {
    const s = serve({ compat: { caseInsensitiveOps: true } });
    const user = await s.createUser('ada');
    expect((await s.patch(`/Users/${user.id}`, patchBody({ op: 'Replace', path: 'displayName', value: 'Ada' }))).statusCode).toBe(200);
    expectScimError(await s.patch(`/Users/${user.id}`, patchBody({ op: 'replace', path: 'active', value: 'False' })), 400, 'invalidValue');
  });
});

describe('endpoints', () => {
  it('takes methods away: 405 with an Allow header that no longer lists them', async () => {
    const s = serve({ endpoints: { '/Users/{id}': ['GET', 'PUT', 'PATCH'] } });
    const user = await s.createUser('ada');
    const res = expectScimError(await s.del(`/Users/${user.id}`), 405);
    expect(res.detail).toBe('DELETE is not allowed on /Users/{id}: use GET, PUT, PATCH, HEAD');
    expect((await s.get(`/Users/${user.id}`)).statusCode).toBe(200);
  });

  it('takes endpoints away: 404 as an unknown endpoint, {id} paths and discovery included', async () => {
    const s = serve({ endpoints: { '/Bulk': [], '/Schemas': [], '/Me': [], '/Groups/{id}': [] } });
    expect(expectScimError(await s.post('/Bulk', { schemas: [URN.bulkRequest], Operations: [] }), 404).detail).toBe('No endpoint at POST /scim/v2/Bulk');
    expectScimError(await s.get(`/Schemas/${USER}`), 404);
    expectScimError(await s.get('/Schemas'), 404);
    expectScimError(await s.get('/Me'), 404);
    const group = await s.createGroup('Engineers');
    expectScimError(await s.get(`/Groups/${group.id}`), 404);
    expect((await configOf(s)).bulk).toEqual({ supported: false });
  });

  it('answers what is absent as the profile says: a status and any JSON body', async () => {
    const s = serve({ endpoints: { '/Users/{id}': ['GET', 'PUT', 'PATCH'], absent: { status: 404, body: POSTMAN_404 } } });
    const user = await s.createUser('ada');
    for (const res of [await s.del(`/Users/${user.id}`), await s.put('/Users', {}), await s.get('/Nowhere')]) {
      expect(res.statusCode).toBe(404);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(res.json()).toEqual(POSTMAN_404);
    }
    const plain = serve({ endpoints: { '/Me': [], absent: { status: 400 } } });
    expect(expectScimError(await plain.get('/Me'), 400).detail).toBe('No endpoint at GET /scim/v2/Me');
  });

  it('still asks for a credential first', async () => {
    const s = serve({ endpoints: { '/Bulk': [] } });
    expect((await s.post('/Bulk', {}, { headers: { authorization: 'Bearer wrong' } })).statusCode).toBe(401);
  });
});

describe('filter', () => {
  it('accepts only the listed attributes per resource type, each with its operators', async () => {
    const s = serve({ filter: { attributes: { User: { userName: ['eq'], active: ['eq'] }, Group: { displayName: ['eq'] } } } });
    const ada = await s.createUser('ada');
    expect(ids(await s.list('/Users', { filter: 'userName eq "ada" and active eq true' }))).toEqual([]);
    expect(ids(await s.list('/Users', { filter: 'userName eq "ada"' }))).toEqual([ada.id]);
    expect(expectScimError(await s.list('/Users', { filter: 'externalId eq "x"' }), 400, 'invalidFilter').detail).toBe(
      'Users cannot be filtered on "externalId" here: filter on userName (eq), active (eq)',
    );
    expect(expectScimError(await s.list('/Users', { filter: 'userName sw "a"' }), 400, 'invalidFilter').detail).toBe('"userName" takes only eq here, not "sw"');
    expectScimError(await s.post('/Groups/.search', { schemas: [SEARCH], filter: 'externalId eq "x"' }), 400, 'invalidFilter');
    expect((await s.post('/.search', { schemas: [SEARCH], filter: 'displayName eq "x"' })).statusCode).toBe(200);
    expectScimError(await s.post('/.search', { schemas: [SEARCH], filter: 'externalId eq "x"' }), 400, 'invalidFilter');
  });

  it('compares an attribute respecting case when caseExact says so, and declares it', async () => {
    const s = serve({ filter: { caseExact: { User: { userName: true } } } });
    const ada = await s.createUser('Ada@example.com');
    expect(ids(await s.list('/Users', { filter: 'userName eq "ada@example.com"' }))).toEqual([]);
    expect(ids(await s.list('/Users', { filter: 'userName eq "Ada@example.com"' }))).toEqual([ada.id]);
    const schema = (await s.get(`/Schemas/${USER}`)).json();
    expect(schema.attributes.find((a: Json) => a.name === 'userName').caseExact).toBe(true);
    // Uniqueness still ignores case (RFC 7643 §4.1.1 "server" uniqueness as the store keeps it).
    expectScimError(await s.post('/Users', { schemas: [USER], userName: 'ada@example.com' }), 409, 'uniqueness');
    const strict = testServer();
    await strict.createUser('Ada@example.com');
    expect(ids(await strict.list('/Users', { filter: 'userName eq "ada@example.com"' }))).toHaveLength(1);
  });

  it('answers a refused filter as the refusal says: another status, or a body of its own', async () => {
    const body = { error: { name: 'invalidFilter' } };
    const s = serve({ filter: { operators: ['eq'], refusal: { status: 400, body } } });
    for (const res of [await s.list('/Users', { filter: 'userName sw "a"' }), await s.list('/Users', { filter: 'userName eq' }), await s.post('/.search', { schemas: [SEARCH], filter: 'a pr' })]) {
      expect([res.statusCode, res.json()]).toEqual([400, body]);
    }
    const other = serve({ filter: { operators: ['eq'], refusal: { status: 422 } } });
    expectScimError(await other.list('/Users', { filter: 'userName sw "a"' }), 422, 'invalidFilter');
  });
});

describe('paging', () => {
  it('takes maxResults, a default count, and refuses a startIndex below 1 when told', async () => {
    const s = serve({ paging: { maxResults: 3, defaultCount: 2, startIndexBelowOne: 'refuse' } });
    for (const name of ['a', 'b', 'c', 'd']) await s.createUser(name);
    expect(ids(await s.list('/Users'))).toHaveLength(2);
    expect(ids(await s.list('/Users', { count: 10 }))).toHaveLength(3);
    expect((await configOf(s)).filter).toEqual({ supported: true, maxResults: 3 });
    expect(expectScimError(await s.list('/Users', { startIndex: 0 }), 400, 'invalidValue').detail).toBe('startIndex must be 1 or more, got 0: the first result is 1');
    const clamp = serve({ paging: { startIndexBelowOne: 'clamp' } });
    expect((await clamp.list('/Users', { startIndex: -5 })).json().startIndex).toBe(1);
  });
});

describe('patch', () => {
  it('answers 204 without a body', async () => {
    const s = serve({ patch: { status: 204 } });
    const user = await s.createUser('ada');
    expect((await s.patch(`/Users/${user.id}`, patchBody({ op: 'replace', path: 'active', value: false }))).statusCode).toBe(204);
  });

  it('accepts only the listed ops', async () => {
    const s = serve({ patch: { ops: ['replace'] } });
    const user = await s.createUser('ada');
    expect(expectScimError(await s.patch(`/Users/${user.id}`, patchBody({ op: 'add', path: 'title', value: 'x' })), 400, 'invalidSyntax').detail).toBe(
      'Operation 1: op "add" is not supported here: use replace',
    );
  });

  it('applies only the listed paths and ignores the rest, path-less values included', async () => {
    const s = serve({ patch: { paths: { User: { apply: ['active', 'name.givenName', 'name.familyName'], otherwise: 'ignore' } } } });
    const user = await s.createUser('ada', { title: 'Countess' });
    const res = await s.patch(
      `/Users/${user.id}`,
      patchBody(
        { op: 'replace', path: 'userName', value: 'bob' },
        { op: 'replace', value: { active: false, title: 'Analyst', name: { givenName: 'Ada', middleName: 'M' } } },
        { op: 'replace', path: 'name.familyName', value: 'Lovelace' },
      ),
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ userName: 'ada', active: false, title: 'Countess', name: { givenName: 'Ada', familyName: 'Lovelace' } });
    expect(res.json().name).not.toHaveProperty('middleName');
    // Nothing left to apply: the resource is answered unchanged, its version too.
    const none = await s.patch(`/Users/${user.id}`, patchBody({ op: 'replace', path: 'title', value: 'x' }));
    expect([none.statusCode, none.json().meta.version]).toEqual([200, res.json().meta.version]);
  });

  it('refuses the other paths with 400 mutability when told, on Groups too and in Bulk', async () => {
    const s = serve({ patch: { paths: { Group: { apply: ['members', 'displayName'], otherwise: 'refuse' } } } });
    const group = await s.createGroup('Engineers');
    const body = patchBody({ op: 'replace', path: 'externalId', value: 'x' });
    expect(expectScimError(await s.patch(`/Groups/${group.id}`, body), 400, 'mutability').detail).toBe('PATCH may change only members, displayName here, not "externalId"');
    const bulk = await s.post('/Bulk', { schemas: [URN.bulkRequest], Operations: [{ method: 'PATCH', path: `/Groups/${group.id}`, data: body }] });
    expect(bulk.json().Operations[0].status).toBe('400');
    expect((await s.patch(`/Groups/${group.id}`, patchBody({ op: 'replace', path: 'displayName', value: 'Eng' }))).statusCode).toBe(200);
  });
});

describe('attributes', () => {
  it('stores only the listed ones; unstored: ignore accepts and drops the rest, in POST, PUT and PATCH', async () => {
    const s = serve({ attributes: { User: { stored: ['userName', 'name', 'active', `${ENTERPRISE}:department`], unstored: 'ignore' } } });
    const res = await s.post('/Users', {
      schemas: [USER, ENTERPRISE],
      userName: 'ada',
      password: 'Secret-1',
      emails: [{ value: 'ada@example.com' }],
      name: { givenName: 'Ada' },
      [ENTERPRISE]: { department: 'R&D', costCenter: '7' },
    });
    expect(res.statusCode, res.body).toBe(201);
    const user = res.json();
    expect(user).not.toHaveProperty('emails');
    expect(user[ENTERPRISE]).toEqual({ department: 'R&D' });
    const put = await s.put(`/Users/${user.id}`, { schemas: [USER], userName: 'ada', title: 'x', active: false });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json()).not.toHaveProperty('title');
    const patched = await s.patch(`/Users/${user.id}`, patchBody({ op: 'add', value: { title: 'x', active: true } }, { op: 'add', path: 'nickName', value: 'n' }));
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json()).toMatchObject({ active: true });
    expect(patched.json()).not.toHaveProperty('nickName');
    const schema = (await s.get(`/Schemas/${ENTERPRISE}`)).json();
    expect(schema.attributes.map((a: Json) => a.name)).toEqual(['department']);
  });

  it('unstored: refuse answers 400 as for an unknown attribute; groups: false takes Users\' groups away', async () => {
    const s = serve({ attributes: { User: { stored: ['userName', 'displayName'], unstored: 'refuse', groups: false } } });
    expectScimError(await s.post('/Users', { schemas: [USER], userName: 'bob', title: 'x' }), 400, 'invalidSyntax');
    const ada = await s.createUser('ada', { groups: [] });
    await s.createGroup('Engineers', [ada.id]);
    expect((await s.get(`/Users/${ada.id}`)).json()).not.toHaveProperty('groups');
    expect((await s.get(`/Schemas/${USER}`)).json().attributes.map((a: Json) => a.name)).toEqual(['userName', 'displayName']);
  });

  it('narrows Groups too', async () => {
    const s = serve({ attributes: { Group: { stored: ['displayName'], unstored: 'ignore' } } });
    const ada = await s.createUser('ada');
    const res = await s.post('/Groups', { schemas: [GROUP], displayName: 'Engineers', members: [{ value: ada.id }] });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).not.toHaveProperty('members');
  });
});

describe('discovery', () => {
  it('lays fields over the computed ServiceProviderConfig, or serves a body whole', async () => {
    const fields = serve({ discovery: { serviceProviderConfig: { fields: { sort: { supported: false }, documentationUri: 'https://example.com/scim', etag: null } } } });
    const config = await configOf(fields);
    expect(config).toMatchObject({ sort: { supported: false }, documentationUri: 'https://example.com/scim', patch: { supported: true } });
    expect(config).not.toHaveProperty('etag');
    const body = { schemas: [URN.serviceProviderConfig], patch: { supported: true } };
    expect(await configOf(serve({ discovery: { serviceProviderConfig: { body } } }))).toEqual(body);
  });

  it('answers /ResourceTypes as a bare array, and without a credential when public', async () => {
    const s = serve({ discovery: { resourceTypes: 'array', public: true } });
    const res = await s.get('/ResourceTypes', { headers: { authorization: '' } });
    expect(res.statusCode).toBe(200);
    expect(res.json().map((t: Json) => t.id)).toEqual(['User', 'Group']);
    expect((await s.get('/Users', { headers: { authorization: '' } })).statusCode).toBe(401);
  });

  it('serves schema resources given in the profile', async () => {
    const schema = { id: 'urn:example:User', name: 'User', description: 'Ours', attributes: [] };
    const s = serve({ discovery: { schemas: [schema] } });
    expect((await s.get('/Schemas')).json().Resources.map((r: Json) => r.id)).toEqual(['urn:example:User']);
    expect((await s.get('/Schemas/urn:example:user')).json()).toMatchObject(schema);
  });
});

describe('errors', () => {
  it('sends scimType always, only where the RFC requires it, or never', async () => {
    for (const [policy, unknown, taken] of [
      ['always', 'invalidSyntax', 'uniqueness'],
      ['required', undefined, 'uniqueness'],
      ['never', undefined, undefined],
    ] as const) {
      const s = serve({ errors: { scimType: policy } });
      await s.createUser('ada');
      expectScimError(await s.post('/Users', { schemas: [USER], userName: 'bob', shoeSize: 9 }), 400, unknown);
      expectScimError(await s.post('/Users', { schemas: [USER], userName: 'ada' }), 409, taken);
    }
  });

  it('replaces the body of an error status, on one endpoint or everywhere', async () => {
    const auth = { error: { name: 'AuthenticationError', message: 'Invalid SCIM API key.' } };
    const s = serve({ errors: { answers: [{ status: 401, endpoint: '/ResourceTypes', body: auth }, { status: 404, body: POSTMAN_404 }] } });
    const res = await s.get('/ResourceTypes', { headers: { authorization: 'Bearer wrong' } });
    expect([res.statusCode, res.headers['content-type'], res.json()]).toEqual([401, 'application/json; charset=utf-8', auth]);
    expectScimError(await s.get('/Users', { headers: { authorization: 'Bearer wrong' } }), 401);
    expect((await s.get('/Users/nobody')).json()).toEqual(POSTMAN_404);
  });
});

describe('auth', () => {
  it('accepts the raw token alone when the forms say', async () => {
    const s = serve({ auth: { forms: ['bearer', 'raw'] } });
    expect((await s.get('/Users', { headers: { authorization: 't' } })).statusCode).toBe(200);
    expect((await s.get('/Users', { headers: { authorization: 'Bearer t' } })).statusCode).toBe(200);
    expect(expectScimError(await s.get('/Users', { headers: { authorization: 'u' } }), 401).detail).toBe('The bearer token is not valid');
    const strict = testServer();
    expect(expectScimError(await strict.get('/Users', { headers: { authorization: 't' } }), 401).detail).toBe('Unsupported authorization scheme: use Bearer');
  });

  it('refuses the forms left out: Basic credentials, or the Bearer scheme', async () => {
    const basic = { authorization: `Basic ${Buffer.from('admin:pw').toString('base64')}` };
    const bearerOnly = testServer({ profile: { auth: { forms: ['bearer'] } }, basic: [{ user: 'admin', password: 'pw' }] });
    expectScimError(await bearerOnly.get('/Users', { headers: basic }), 401);
    expect((await configOf(bearerOnly)).authenticationSchemes.map((s: Json) => s.type)).toEqual(['oauthbearertoken']);
    const rawOnly = serve({ auth: { forms: ['raw'] } });
    expectScimError(await rawOnly.get('/Users', { headers: { authorization: 'Bearer t' } }), 401);
    expect((await rawOnly.get('/Users', { headers: { authorization: 't' } })).statusCode).toBe(200);
    expect(() => createReferenceServer({ profile: { auth: { forms: ['basic'] } } })).toThrow('no credential configured: give at least one Basic user (auth.forms accepts only basic)');
  });

  it('keeps a replaced token for the rotation grace, then answers 401', async () => {
    const s = serve({ auth: { rotationGrace: 60 } });
    s.server.rotateToken('new');
    expect((await s.get('/Users')).statusCode).toBe(200);
    expect((await s.get('/Users', { headers: { authorization: 'Bearer new' } })).statusCode).toBe(200);
    s.advance(60_000);
    expect(expectScimError(await s.get('/Users'), 401).detail).toMatch(/has expired/);
    expect((await s.get('/Users', { headers: { authorization: 'Bearer new' } })).statusCode).toBe(200);
    const now = testServer();
    now.server.rotateToken('new');
    expect((await now.get('/Users')).statusCode).toBe(401);
  });
});

describe('users and groups', () => {
  it('PUT keeps what it omits, and displayName defaults to userName, when told', async () => {
    const s = serve({ users: { put: 'keep-omitted', displayNameDefault: 'userName' } });
    const user = await s.createUser('ada', { title: 'Countess' });
    expect(user.displayName).toBe('ada');
    expect((await s.put(`/Users/${user.id}`, { schemas: [USER], userName: 'ada', active: true })).json().title).toBe('Countess');
  });

  it("computes members' display and keeps a Group's omitted attributes on PUT, when told", async () => {
    const s = serve({ groups: { memberDisplay: 'computed', put: 'keep-omitted' } });
    const ada = await s.createUser('ada', { displayName: 'Ada Lovelace' });
    const group = await s.createGroup('Engineers', [], { externalId: 'e1', members: [{ value: ada.id, display: 'Someone' }] });
    expect(group.members[0].display).toBe('Ada Lovelace');
    expect((await s.put(`/Groups/${group.id}`, { schemas: [GROUP], displayName: 'Eng' })).json()).toMatchObject({ externalId: 'e1', members: [{ value: ada.id }] });
  });
});

describe('supports', () => {
  it('defaults to what the ServiceProviderConfig declares, and the profile may claim otherwise', () => {
    expect(createReferenceServer({ tokens: ['t'] }).options.supports).toEqual({ patch: true, bulk: true, filter: true, sort: true, etag: true, changePassword: true });
    expect(createReferenceServer({ tokens: ['t'], profile: 'minimal-spc' }).options.supports).toMatchObject({ bulk: false, changePassword: false });
    const claimed = createReferenceServer({ tokens: ['t'], profile: { supports: { bulk: false, sort: false } } }).options;
    expect(claimed.supports).toMatchObject({ bulk: false, sort: false, patch: true });
    // A claim is what the runner reads; the server still does what it declares.
    expect(claimed.declared.bulk).toBe(true);
  });
});
