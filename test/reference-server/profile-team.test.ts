import { describe, expect, it } from 'vitest';
import { createReferenceServer } from '../../reference-server/app.js';
import type { ProfileDocument } from '../../scim/profile/fields.js';
import { URN } from '../../scim/schema/urns.js';
import { expectScimError, GROUP, ids, patchBody, SEARCH, testServer, USER, type Json, type Response, type TestServer } from './resource-helpers.js';

/*
 * The profile fields the postman profile brought, each over HTTP on a strict server with only
 * that field set (docs/profiles.md): team (accounts, invites and their admin, SCIM off, userName
 * changes), put.paths, patch.checkSchemas, parameters.ignored, attributes.*.meta and stored
 * sub-attributes, users.userNameCase, groups.uniqueDisplayName and groups.onDelete.
 */

const serve = (profile: ProfileDocument) => testServer({ profile });

const TEAM: ProfileDocument['team'] = {
  verifiedDomains: ['example.com'],
  accounts: [{ email: 'ana@example.com' }, { email: 'bo@partner.example' }, { email: 'cy@rival.example', otherTeam: true }],
};

const user = (userName: string, attributes: Json = {}) => ({ schemas: [USER], userName, ...attributes });

describe('team', () => {
  it('creates new addresses and verified-domain accounts, invites the others, refuses other teams\' and pending ones', async () => {
    const s = serve({ team: TEAM });
    expect((await s.post('/Users', user('new@elsewhere.example'))).statusCode).toBe(201);
    expect((await s.post('/Users', user('ana@example.com'))).statusCode).toBe(201);
    const invited = await s.post('/Users', user('bo@partner.example'));
    expect(invited.statusCode).toBe(201);
    expectScimError(await s.post('/Users', user('cy@rival.example')), 409, 'uniqueness');
    expectScimError(await s.post('/Users', user('bo@partner.example')), 409, 'uniqueness');
    expect((await s.get('/Users')).json().Resources.map((r: Json) => r.userName)).toEqual(['new@elsewhere.example', 'ana@example.com']);
    expect(s.server.invites.list()).toEqual([{ id: invited.json().id, userName: 'bo@partner.example', invitedAt: '2024-03-01T10:00:00.000Z' }]);
  });

  it('invites.status and invites.pendingStatus set the answers; a status of 400 or more is a SCIM error', async () => {
    const s = serve({ team: { ...TEAM, invites: { status: 202, pendingStatus: 422 } } });
    expect((await s.post('/Users', user('bo@partner.example'))).statusCode).toBe(202);
    expectScimError(await s.post('/Users', user('bo@partner.example')), 422, 'uniqueness');
    const refusing = serve({ team: { ...TEAM, invites: { status: 409 } } });
    expect(expectScimError(await refusing.post('/Users', user('bo@partner.example')), 409).detail).toBe(
      'bo@partner.example has an account already: it was invited, and joins when the invite is accepted',
    );
    expect(refusing.server.invites.list()).toHaveLength(1);
  });

  it('invites.listed shows a pending invitee as an inactive user, active once accepted, gone once deleted', async () => {
    const s = serve({ team: { ...TEAM, invites: { listed: true } } });
    const invited = (await s.post('/Users', user('bo@partner.example', { active: true }))).json();
    expect(invited.active).toBe(false);
    expect(ids(await s.list('/Users', { filter: 'userName eq "bo@partner.example"' }))).toEqual([invited.id]);
    await s.server.invites.accept(invited.id);
    expect((await s.get(`/Users/${invited.id}`)).json().active).toBe(true);
    expect(s.server.invites.list()).toEqual([]);

    const listed = serve({ team: { verifiedDomains: [], accounts: [{ email: 'dee@partner.example' }], invites: { listed: true } } });
    const dee = (await listed.post('/Users', user('dee@partner.example'))).json();
    await listed.server.invites.delete('dee@partner.example');
    expectScimError(await listed.get(`/Users/${dee.id}`), 404);
    expect((await listed.post('/Users', user('dee@partner.example'))).statusCode).toBe(201);
  });

  it('accepting an unlisted invite makes the account a member with the invite\'s id; an unknown invite is a 404', async () => {
    const s = serve({ team: TEAM });
    const invited = (await s.post('/Users', user('bo@partner.example', { name: { givenName: 'Bo' } }))).json();
    const member = await s.server.invites.accept('BO@partner.example');
    expect(member).toMatchObject({ id: invited.id, userName: 'bo@partner.example', active: true, name: { givenName: 'Bo' } });
    expect((await s.get(`/Users/${invited.id}`)).statusCode).toBe(200);
    expectScimError(await s.post('/Users', user('bo@partner.example')), 409, 'uniqueness');
    await expect(s.server.invites.accept('bo@partner.example')).rejects.toThrow('No invite is pending for "bo@partner.example": GET /_scimulator/invites lists them');
    await expect(s.server.invites.delete('nobody')).rejects.toThrow(/No invite is pending/);
  });

  it('scimEnabled: false answers /Users and /Groups with 403 after the credential, and can be switched', async () => {
    const s = serve({ team: { scimEnabled: false } });
    expect(expectScimError(await s.get('/Users'), 403).detail).toBe('SCIM provisioning is turned off for this team: a team admin turns it on in the team settings');
    expectScimError(await s.post('/Groups/.search', { schemas: [SEARCH] }), 403);
    expectScimError(await s.get('/Users', { headers: { authorization: 'Bearer wrong' } }), 401);
    expect((await s.get('/Schemas')).statusCode).toBe(200);
    s.server.team.scimEnabled = true;
    expect((await s.get('/Users')).statusCode).toBe(200);
  });

  it('userNameChange: verified-domains refuses a new userName elsewhere, by PUT and by PATCH; any allows it', async () => {
    const s = serve({ team: { verifiedDomains: ['Example.com'], userNameChange: 'verified-domains' } });
    const ada = await s.createUser('ada@example.com');
    expect((await s.put(`/Users/${ada.id}`, user('ada.l@EXAMPLE.com'))).statusCode).toBe(200);
    expectScimError(await s.put(`/Users/${ada.id}`, user('ada@gmail.example')), 400, 'mutability');
    expectScimError(await s.patch(`/Users/${ada.id}`, patchBody({ op: 'replace', path: 'userName', value: 'ada' })), 400, 'mutability');
    const any = serve({ team: { userNameChange: 'any' } });
    const bob = await any.createUser('bob@example.com');
    expect((await any.patch(`/Users/${bob.id}`, patchBody({ op: 'replace', path: 'userName', value: 'bob' }))).statusCode).toBe(200);
  });
});

describe('the invite admin API', () => {
  async function admin(s: TestServer, method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, token = 'admin-secret') {
    return s.app.inject({ method, url: `/_scimulator/invites${path}`, headers: { authorization: `Bearer ${token}` } });
  }

  it('lists, accepts and deletes invites with the admin token, as a team admin would', async () => {
    const s = testServer({ profile: { team: TEAM }, adminToken: 'admin-secret' });
    const bo = (await s.post('/Users', user('bo@partner.example'))).json();
    const listed = await admin(s, 'GET', '');
    expect([listed.statusCode, listed.json()]).toEqual([200, [{ id: bo.id, userName: 'bo@partner.example', invitedAt: '2024-03-01T10:00:00.000Z' }]]);
    const accepted = await admin(s, 'POST', `/${bo.id}/accept`);
    expect([accepted.statusCode, accepted.json().userName]).toEqual([200, 'bo@partner.example']);
    expect(ids(await s.list('/Users', { filter: 'userName eq "bo@partner.example"' }))).toEqual([bo.id]);

    const team = testServer({ profile: { team: { accounts: [{ email: 'dee@partner.example' }] } }, adminToken: 'admin-secret' });
    await team.post('/Users', user('dee@partner.example'));
    const deleted = await admin(team, 'DELETE', `/${encodeURIComponent('dee@partner.example')}`);
    expect([deleted.statusCode, deleted.body]).toEqual([204, '']);
    expect((await admin(team, 'GET', '')).json()).toEqual([]);
    const missing = expectScimError(await admin(team, 'DELETE', '/dee@partner.example'), 404);
    expect(missing.detail).toMatch(/No invite is pending/);
  });

  it('takes only the admin token, and does not exist without one', async () => {
    const s = testServer({ profile: { team: TEAM }, adminToken: 'admin-secret' });
    expectScimError(await admin(s, 'GET', '', 't'), 401);
    expectScimError(await admin(s, 'PUT', ''), 405);
    const closed = testServer({ profile: { team: TEAM } });
    expectScimError(await admin(closed, 'GET', '', 't'), 404);
  });
});

describe('put.paths', () => {
  it('changes only the listed attributes; the others keep their values, or are refused when changed', async () => {
    const s = serve({ put: { paths: { User: { apply: ['name.givenName', 'active'], otherwise: 'ignore' } } } });
    const ada = await s.createUser('ada', { title: 'Countess', name: { givenName: 'Ada', familyName: 'Lovelace' } });
    const res = await s.put(`/Users/${ada.id}`, user('bob', { name: { givenName: 'Augusta' }, active: false }));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ userName: 'ada', title: 'Countess', active: false, name: { givenName: 'Augusta', familyName: 'Lovelace' } });
    // Omitted, a listed attribute is cleared (users.put: replace) or kept (keep-omitted).
    expect((await s.put(`/Users/${ada.id}`, user('ada'))).json().name).toEqual({ familyName: 'Lovelace' });

    const refuse = serve({ put: { paths: { User: { apply: ['active'], otherwise: 'refuse' } } }, users: { put: 'keep-omitted' } });
    const bob = await refuse.createUser('bob', { title: 'Engineer', active: true });
    expect((await refuse.put(`/Users/${bob.id}`, user('bob', { title: 'Engineer', active: false }))).json()).toMatchObject({ title: 'Engineer', active: false });
    expect((await refuse.put(`/Users/${bob.id}`, user('bob'))).json().active).toBe(false);
    expect(expectScimError(await refuse.put(`/Users/${bob.id}`, user('bob', { title: 'Boss' })), 400, 'mutability').detail).toBe('PUT may change only active here, not "title"');
    expectScimError(await refuse.put(`/Users/${bob.id}`, { userName: 'bob' }), 400, 'invalidValue');
  });
});

describe('patch.checkSchemas', () => {
  it('false lets a body through whatever its schemas say', async () => {
    const body = { schemas: ['urn:ietf:params:scim:api:messages:2.0:PutOp'], Operations: [{ op: 'replace', path: 'displayName', value: 'Eng' }] };
    const lax = serve({ patch: { checkSchemas: false } });
    const group = await lax.createGroup('Engineers');
    expect((await lax.patch(`/Groups/${group.id}`, body)).json().displayName).toBe('Eng');
    const strict = testServer();
    const other = await strict.createGroup('Engineers');
    expectScimError(await strict.patch(`/Groups/${other.id}`, body), 400, 'invalidSyntax');
  });
});

describe('parameters.ignored', () => {
  it('reads the listed parameters as if they were not sent, in lists, searches and reads', async () => {
    const s = serve({ parameters: { ignored: ['sortBy', 'attributes'] } });
    const zed = await s.createUser('zed', { title: 'Z' });
    const ada = await s.createUser('ada');
    expect(ids(await s.list('/Users', { sortBy: 'userName' }))).toEqual([zed.id, ada.id]);
    expect((await s.list('/Users', { attributes: 'userName' })).json().Resources[0].title).toBe('Z');
    expect((await s.get(`/Users/${zed.id}?attributes=userName`)).json().title).toBe('Z');
    expect((await s.post('/Users/.search', { schemas: [SEARCH], sortBy: 'userName' })).json().Resources[0].id).toBe(zed.id);
    expect((await s.post('/.search', { schemas: [SEARCH], sortBy: 'userName' })).json().Resources[0].id).toBe(zed.id);
    expect((await s.list('/Users', { excludedAttributes: 'title' })).json().Resources[0]).not.toHaveProperty('title');
  });

  /** Three users, a, b and c, created in that order: an unsorted list has them so. */
  async function threeUsers(s: TestServer): Promise<string[]> {
    const made: string[] = [];
    for (const name of ['a', 'b', 'c']) made.push((await s.createUser(name)).id);
    return made;
  }
  const page = (res: Response) => {
    const { startIndex, itemsPerPage, totalResults } = res.json();
    return { startIndex, itemsPerPage, totalResults, ids: ids(res) };
  };

  it('an ignored startIndex answers every list and search from the first result, and says startIndex 1', async () => {
    const s = serve({ parameters: { ignored: ['startIndex'] } });
    const [a] = await threeUsers(s);
    const first = { startIndex: 1, itemsPerPage: 1, totalResults: 3, ids: [a] };
    expect(page(await s.list('/Users', { startIndex: 3, count: 1 }))).toEqual(first);
    expect(page(await s.post('/Users/.search', { schemas: [SEARCH], startIndex: 3, count: 1 }))).toEqual(first);
    expect(page(await s.post('/.search', { schemas: [SEARCH], startIndex: 3, count: 1 }))).toEqual(first);
    // Ignored means not read at all: a value the server would refuse passes.
    expect(page(await s.list('/Users', { startIndex: 'x', count: 1 }))).toEqual(first);
  });

  it('an ignored count answers the page size of the profile, whatever the client asked, and itemsPerPage says so', async () => {
    const s = serve({ parameters: { ignored: ['count'] } });
    const [, b, c] = await threeUsers(s);
    const rest = { startIndex: 2, itemsPerPage: 2, totalResults: 3, ids: [b, c] };
    expect(page(await s.list('/Users', { startIndex: 2, count: 1 }))).toEqual(rest);
    expect(page(await s.post('/Users/.search', { schemas: [SEARCH], startIndex: 2, count: 1 }))).toEqual(rest);
    expect(page(await s.post('/.search', { schemas: [SEARCH], startIndex: 2, count: 0 }))).toEqual(rest);
    // The profile's page size still bounds it: defaultCount, then maxResults.
    const small = serve({ parameters: { ignored: ['count'] }, paging: { maxResults: 2 } });
    const [x, y] = await threeUsers(small);
    expect(page(await small.list('/Users', { count: 3 }))).toEqual({ startIndex: 1, itemsPerPage: 2, totalResults: 3, ids: [x, y] });
    const byDefault = serve({ parameters: { ignored: ['count'] }, paging: { defaultCount: 1 } });
    const [first] = await threeUsers(byDefault);
    expect(page(await byDefault.post('/Users/.search', { schemas: [SEARCH], count: 3 }))).toEqual({ startIndex: 1, itemsPerPage: 1, totalResults: 3, ids: [first] });
  });
});

describe('attributes: meta and sub-attributes', () => {
  it('meta shows only the listed members; without version there is no ETag, If-Match is not checked, and etag is unsupported', async () => {
    const s = serve({ attributes: { User: { meta: ['resourceType', 'created'] } } });
    const res = await s.post('/Users', user('ada'));
    expect(res.json().meta).toEqual({ resourceType: 'User', created: '2024-03-01T10:00:00.000Z' });
    expect(res.headers.etag).toBeUndefined();
    const id = res.json().id;
    expect((await s.get(`/Users/${id}`, { headers: { 'if-none-match': 'W/"1"' } })).statusCode).toBe(200);
    expect((await s.put(`/Users/${id}`, user('ada'), { headers: { 'if-match': 'W/"9"' } })).statusCode).toBe(200);
    expect((await s.get('/ServiceProviderConfig')).json().etag).toEqual({ supported: false });
    const bulk = await s.post('/Bulk', { schemas: [URN.bulkRequest], Operations: [{ method: 'POST', path: '/Users', bulkId: 'b', data: user('bob') }] });
    expect(bulk.json().Operations[0]).not.toHaveProperty('version');
    // Groups keep theirs.
    const group = await s.post('/Groups', { schemas: [GROUP], displayName: 'Eng' });
    expect(Object.keys(group.json().meta).sort()).toEqual(['created', 'lastModified', 'location', 'resourceType', 'version']);
    expect(group.headers.etag).toBe('W/"1"');
  });

  it('stores only the listed sub-attributes of a complex attribute, in POST, PUT, PATCH and /Schemas', async () => {
    const s = serve({
      attributes: { User: { stored: ['userName', 'name.givenName', 'name.familyName'], unstored: 'ignore' }, Group: { stored: ['displayName', 'members.value'], unstored: 'ignore' } },
    });
    const ada = (await s.post('/Users', user('ada', { name: { givenName: 'Ada', middleName: 'B', formatted: 'Ada B' } }))).json();
    expect(ada.name).toEqual({ givenName: 'Ada' });
    expect((await s.put(`/Users/${ada.id}`, user('ada', { name: { familyName: 'L', honorificPrefix: 'Lady' } }))).json().name).toEqual({ familyName: 'L' });
    const patched = await s.patch(`/Users/${ada.id}`, patchBody({ op: 'add', value: { name: { givenName: 'Ada', formatted: 'x' } } }, { op: 'add', path: 'name.middleName', value: 'B' }));
    expect(patched.json().name).toEqual({ givenName: 'Ada', familyName: 'L' });
    const schema = (await s.get(`/Schemas/${USER}`)).json();
    expect(schema.attributes.find((a: Json) => a.name === 'name').subAttributes.map((a: Json) => a.name)).toEqual(['familyName', 'givenName']);
    const group = (await s.post('/Groups', { schemas: [GROUP], displayName: 'Eng', members: [{ value: ada.id, display: 'Ada', type: 'User' }] })).json();
    expect(group.members).toEqual([{ value: ada.id }]);
  });
});

describe('users.userNameCase', () => {
  it('lower stores a userName lower-cased, on every write', async () => {
    const s = serve({ users: { userNameCase: 'lower' } });
    const ada = await s.createUser('Ada@Example.com');
    expect(ada.userName).toBe('ada@example.com');
    expect((await s.patch(`/Users/${ada.id}`, patchBody({ op: 'replace', path: 'userName', value: 'ADA.L@example.com' }))).json().userName).toBe('ada.l@example.com');
    expect((await s.put(`/Users/${ada.id}`, user('Ada@Example.com'))).json().userName).toBe('ada@example.com');
  });
});

describe('groups.uniqueDisplayName and groups.onDelete', () => {
  it('refuses a second group of the same name (as its caseExact compares), on create and on rename', async () => {
    const s = serve({ groups: { uniqueDisplayName: true } });
    const eng = await s.createGroup('Engineers');
    expectScimError(await s.post('/Groups', { schemas: [GROUP], displayName: 'engineers' }), 409, 'uniqueness');
    const ops = await s.createGroup('Ops');
    expectScimError(await s.patch(`/Groups/${ops.id}`, patchBody({ op: 'replace', path: 'displayName', value: 'Engineers' })), 409, 'uniqueness');
    expect((await s.put(`/Groups/${eng.id}`, { schemas: [GROUP], displayName: 'Engineers' })).statusCode).toBe(200);
    const exact = serve({ groups: { uniqueDisplayName: true }, filter: { caseExact: { Group: { displayName: true } } } });
    await exact.createGroup('Engineers');
    expect((await exact.post('/Groups', { schemas: [GROUP], displayName: 'engineers' })).statusCode).toBe(201);
    const plain = testServer();
    await plain.createGroup('Engineers');
    await plain.createGroup('Engineers');
  });

  it('deactivate-groupless deactivates the user members a deleted group leaves in no group', async () => {
    const s = serve({ groups: { onDelete: 'deactivate-groupless' } });
    const ada = await s.createUser('ada', { active: true });
    const bob = await s.createUser('bob', { active: true });
    const inner = await s.createGroup('Inner');
    const eng = await s.createGroup('Engineers', [ada.id, bob.id, inner.id]);
    await s.createGroup('Ops', [bob.id]);
    expect((await s.del(`/Groups/${eng.id}`)).statusCode).toBe(204);
    expect((await s.get(`/Users/${ada.id}`)).json().active).toBe(false);
    expect((await s.get(`/Users/${bob.id}`)).json().active).toBe(true);
    expect((await s.get(`/Groups/${inner.id}`)).statusCode).toBe(200);
    const keep = testServer();
    const carl = await keep.createUser('carl', { active: true });
    const g = await keep.createGroup('G', [carl.id]);
    await keep.del(`/Groups/${g.id}`);
    expect((await keep.get(`/Users/${carl.id}`)).json().active).toBe(true);
  });
});

describe('the postman profile as a base', () => {
  it('extends into a team of its own', () => {
    const options = createReferenceServer({ tokens: ['t'], profile: { extends: 'postman', team: { verifiedDomains: ['acme.example'] } } }).options;
    expect(options.profile.team).toMatchObject({ verifiedDomains: ['acme.example'], userNameChange: 'verified-domains', invites: { status: 201, listed: false, pendingStatus: 409 } });
  });
});
