import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { IDPS } from '../../harness/idp/registry.js';
import type { BodyRecord, ScenarioResult } from '../../harness/result.js';
import { runScenarios } from '../../harness/runner/run.js';
import { loadScenarioFile } from '../../harness/scenario/load.js';
import { createReferenceServer, type ReferenceServer } from '../../reference-server/app.js';
import type { FaultRule } from '../../reference-server/faults/types.js';
import type { ProfileDocument } from '../../scim/profile/fields.js';
import { readProfile } from '../../scim/profile/resolve.js';
import { URN } from '../../scim/schema/urns.js';
import { ENTERPRISE, expectScimError, GROUP, ids, patchBody, SEARCH, testServer, USER, type Json, type Response, type TestServer } from './resource-helpers.js';
import { referenceServer } from './store-helpers.js';

/*
 * `createReferenceServer({ profile: 'postman' })` answers each item of the Postman checklist
 * (docs/reference/postman.md §9) as the reference says (D), or with its suggested default (U).
 * One test per item, titled by its PM number. PM-39 and PM-40 play the Okta and Entra simulators
 * (Postman ref §7, §8) against the profile over loopback.
 */

const postman = (over: ProfileDocument = {}) => testServer({ profile: Object.keys(over).length === 0 ? 'postman' : { extends: 'postman', ...over } });

/** A team that verified example.com and knows accounts outside it, as Postman ref §4.1's table has them. */
const TEAM: ProfileDocument = {
  team: {
    verifiedDomains: ['example.com'],
    accounts: [
      { email: 'ana@example.com' },
      { email: 'bo@partner.example' },
      { email: 'cy@rival.example', otherTeam: true },
    ],
  },
};

const GENERIC_404 = { error: { name: 'NotFound', message: 'The requested resource was not found.' }, status: 'error' };

const member = (userName: string, attributes: Json = {}) => ({ schemas: [USER], userName, name: { givenName: 'Ana', familyName: 'Silva' }, active: true, ...attributes });

async function createMember(s: TestServer, userName: string, attributes: Json = {}): Promise<Json> {
  const res = await s.post('/Users', member(userName, attributes));
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

const userNames = (res: Response): string[] => (res.json().Resources as Json[]).map((r) => r.userName as string);

function expectGeneric404(res: Response): void {
  expect(res.statusCode).toBe(404);
  expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
  expect(res.json()).toEqual(GENERIC_404);
}

describe('profiles/postman.yaml', () => {
  const file = fileURLToPath(new URL('../../profiles/postman.yaml', import.meta.url));
  const text = readFileSync(file, 'utf8');

  it('agrees with the JSON Schema and the reader, and resolves', () => {
    const schema = JSON.parse(readFileSync(fileURLToPath(new URL('../../profiles/profile.schema.json', import.meta.url)), 'utf8'));
    const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);
    expect(validate(parse(text)), JSON.stringify(validate.errors)).toBe(true);
    expect(() => readProfile(parse(text), file)).not.toThrow();
    expect(createReferenceServer({ tokens: ['t'], profile: 'postman' }).options.profile.name).toBe('postman');
  });

  it('cites the reference on every setting: on its line, or on the comment line above it', () => {
    const lines = text.split('\n');
    const uncited = lines.flatMap((line, i) => {
      // A setting with a value on its line; name, description and refs describe the profile itself.
      if (!/^\s*[\w/{}.-]+:\s*[^\s#]/.test(line) || /^(name|description|refs):/.test(line)) return [];
      return /Postman ref §\d/.test(line) || /^\s*#.*Postman ref §\d/.test(lines[i - 1] ?? '') ? [] : [`${i + 1}: ${line.trim()}`];
    });
    expect(uncited).toEqual([]);
  });
});

describe('Postman ref §6: authentication', () => {
  it('PM-1: Authorization: Bearer <key> is accepted', async () => {
    const s = postman();
    expect((await s.get('/Users', { headers: { authorization: 'Bearer t' } })).statusCode).toBe(200);
  });

  it('PM-2: Authorization: <key>, the key alone, is accepted (U)', async () => {
    const s = postman();
    expect((await s.get('/Users', { headers: { authorization: 't' } })).statusCode).toBe(200);
  });

  it('PM-3: no key, a wrong key and a revoked key get 401 with a SCIM error', async () => {
    const s = postman();
    expectScimError(await s.get('/Users', { headers: { authorization: '' } }), 401);
    expectScimError(await s.get('/Users', { headers: { authorization: 'Bearer wrong' } }), 401);
    expectScimError(await s.get('/Users', { headers: { authorization: 'wrong' } }), 401);
    // Revoked: replaced by a new key, its grace over.
    s.server.rotateToken('t2');
    s.advance(301_000);
    expect(expectScimError(await s.get('/Users'), 401).detail).toMatch(/expired/);
  });

  it('PM-4: a regenerated key\'s predecessor works during the grace (U: 300 s), then gets 401', async () => {
    const s = postman();
    s.server.rotateToken('t2');
    expect((await s.get('/Users')).statusCode).toBe(200);
    expect((await s.get('/Users', { headers: { authorization: 't2' } })).statusCode).toBe(200);
    s.advance(299_000);
    expect((await s.get('/Users')).statusCode).toBe(200);
    s.advance(1_000);
    expectScimError(await s.get('/Users'), 401);
    expect((await s.get('/Users', { headers: { authorization: 'Bearer t2' } })).statusCode).toBe(200);
  });

  it('PM-5: SCIM off for the team gets 403 (U), in the profile or switched on a running server', async () => {
    const off = postman({ team: { scimEnabled: false } });
    expectScimError(await off.get('/Users'), 403);
    expectScimError(await off.post('/Groups', { schemas: [GROUP], displayName: 'Eng' }), 403);
    expect((await off.get('/ServiceProviderConfig')).statusCode).toBe(200);
    // The key is still checked first.
    expectScimError(await off.get('/Users', { headers: { authorization: 'wrong' } }), 401);

    const s = postman();
    const ana = await createMember(s, 'ana@example.com');
    s.server.team.scimEnabled = false;
    expectScimError(await s.get(`/Users/${ana.id}`), 403);
    s.server.team.scimEnabled = true;
    expect((await s.get(`/Users/${ana.id}`)).statusCode).toBe(200);
  });
});

describe('Postman ref §3: lists and filters', () => {
  it('PM-6: GET /Users answers at most 100 items, with integer counts, inactive users listed (U)', async () => {
    const s = postman();
    await s.server.services.User.create(member('off@example.com', { active: false }));
    for (let i = 0; i < 104; i++) await s.server.services.User.create(member(`u${i}@example.com`));
    const res = await s.get('/Users');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect([body.totalResults, body.itemsPerPage, body.startIndex, body.Resources.length]).toEqual([105, 100, 1, 100]);
    expect(res.body).toMatch(/"totalResults":105,"itemsPerPage":100,"startIndex":1/);
    expect(body.Resources[0]).toMatchObject({ userName: 'off@example.com', active: false });
    expect((await s.list('/Users', { count: 500 })).json().itemsPerPage).toBe(100);
  });

  it('PM-7: GET /Users?startIndex=1&count=2 answers 200 with at most 2 items', async () => {
    const s = postman();
    for (const name of ['a', 'b', 'c']) await createMember(s, `${name}@example.com`);
    const res = await s.get('/Users?startIndex=1&count=2');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ totalResults: 3, itemsPerPage: 2, startIndex: 1 });
    expect(res.json().Resources).toHaveLength(2);
  });

  it('PM-8: userName eq in another case finds nothing (200, 0 results)', async () => {
    const s = postman();
    const ana = await createMember(s, 'Ana.Silva@example.com');
    expect(ids(await s.list('/Users', { filter: 'userName eq "ana.silva@example.com"' }))).toEqual([]);
    expect(ids(await s.list('/Users', { filter: 'userName eq "Ana.Silva@example.com"' }))).toEqual([ana.id]);
    // Okta's %20 and Entra's + both decode, and so does %40 (Postman ref §3).
    expect(ids(await s.get('/Users?filter=userName+eq+%22Ana.Silva%40example.com%22'))).toEqual([ana.id]);
    expect(ids(await s.get('/Users?filter=userName%20eq%20%22Ana.Silva@example.com%22'))).toEqual([ana.id]);
  });

  it('PM-9: userName eq "<random GUID>", Entra\'s probe, answers 200 with an empty list', async () => {
    const s = postman();
    await createMember(s, 'ana@example.com');
    const res = await s.get('/Users?filter=userName+eq+%22e9b7a1b4-77c6-4f4e-8a64-0c3f2a9a1d55%22');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ schemas: [URN.listResponse], totalResults: 0, itemsPerPage: 0, startIndex: 1, Resources: [] });
  });

  it('PM-10: active eq false lists the inactive users only', async () => {
    const s = postman();
    const off = await createMember(s, 'off@example.com', { active: false });
    await createMember(s, 'on@example.com');
    expect(ids(await s.list('/Users', { filter: 'active eq false' }))).toEqual([off.id]);
  });

  it('PM-11: externalId eq, co, sw and combined filters get 400 invalidFilter (U)', async () => {
    const s = postman();
    for (const filter of ['externalId eq "00u1"', 'userName co "ana"', 'userName sw "ana"', 'userName eq "a" and active eq true', 'emails.value eq "a@example.com"']) {
      expectScimError(await s.list('/Users', { filter }), 400, 'invalidFilter');
    }
    expectScimError(await s.list('/Groups', { filter: 'externalId eq "x"' }), 400, 'invalidFilter');
  });

  it('PM-12: startIndex=0 gets 400 (U)', async () => {
    const s = postman();
    expectScimError(await s.get('/Users?startIndex=0'), 400, 'invalidValue');
    expectScimError(await s.get('/Groups?startIndex=-1&count=10'), 400, 'invalidValue');
  });
});

describe('Postman ref §4.1: creating users', () => {
  it('PM-13: POST of a new email answers 201 with an active member', async () => {
    const s = postman(TEAM);
    const res = await s.post('/Users', member('new.person@elsewhere.example'));
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ userName: 'new.person@elsewhere.example', active: true });
    expect(userNames(await s.get('/Users'))).toEqual(['new.person@elsewhere.example']);
    // Active without being told: a new member can sign in (Postman ref §4.1), as users.activeDefault says.
    const { active: _omitted, ...withoutActive } = member('quiet.person@elsewhere.example');
    expect((await s.post('/Users', withoutActive)).json()).toMatchObject({ active: true });
  });

  it('PM-14: POST of an existing account in a verified domain answers 201: it joins at once', async () => {
    const s = postman(TEAM);
    const res = await s.post('/Users', member('ana@example.com'));
    expect(res.statusCode).toBe(201);
    expect(ids(await s.list('/Users', { filter: 'userName eq "ana@example.com"' }))).toEqual([res.json().id]);
    expect(s.server.invites.list()).toEqual([]);
  });

  it('PM-15: POST of an existing account in an unverified domain invites it: 201, not listed until accepted (U)', async () => {
    const s = postman(TEAM);
    const res = await s.post('/Users', member('bo@partner.example'));
    expect(res.statusCode).toBe(201);
    const invited = res.json();
    expect(invited).toMatchObject({ userName: 'bo@partner.example', id: expect.any(String) });
    expect(ids(await s.list('/Users', { filter: 'userName eq "bo@partner.example"' }))).toEqual([]);
    expectScimError(await s.get(`/Users/${invited.id}`), 404);
    expect(s.server.invites.list()).toEqual([{ id: invited.id, userName: 'bo@partner.example', invitedAt: expect.any(String) }]);
    // Accepted, the account joins with the id the POST answered.
    await s.server.invites.accept('bo@partner.example');
    expect(ids(await s.list('/Users', { filter: 'userName eq "bo@partner.example"' }))).toEqual([invited.id]);
    expect((await s.get(`/Users/${invited.id}`)).json().active).toBe(true);
  });

  it('PM-16: POST of an account in another team, domain unverified, gets 409 with a scimType', async () => {
    const s = postman(TEAM);
    const body = expectScimError(await s.post('/Users', member('cy@rival.example')), 409, 'uniqueness');
    expect(body.detail).toBe('cy@rival.example belongs to another team, and this team has not verified its domain');
    expect(s.server.invites.list()).toEqual([]);
  });

  it('PM-17: POST while an invite is pending gets 409 (U), until the admin deletes the invite', async () => {
    const s = postman(TEAM);
    expect((await s.post('/Users', member('bo@partner.example'))).statusCode).toBe(201);
    expect(expectScimError(await s.post('/Users', member('Bo@Partner.example')), 409, 'uniqueness').detail).toMatch(/^An invite to Bo@Partner\.example is pending/);
    await s.server.invites.delete('bo@partner.example');
    expect((await s.post('/Users', member('bo@partner.example'))).statusCode).toBe(201);
    expect(s.server.invites.list().map((i) => i.userName)).toEqual(['bo@partner.example']);
  });

  it('PM-18: POST of an existing member gets 409 uniqueness (U), in any case', async () => {
    const s = postman(TEAM);
    await createMember(s, 'ana@example.com');
    expectScimError(await s.post('/Users', member('ana@example.com')), 409, 'uniqueness');
    expectScimError(await s.post('/Users', member('ANA@example.com')), 409, 'uniqueness');
  });

  it('PM-19: POST with password, emails and more answers 201, the extras dropped (U)', async () => {
    const s = postman();
    const res = await s.post('/Users', {
      ...member('ana@example.com', { externalId: '00u8k2mq7ZxY1abcd357', locale: 'pt-BR', groups: [] }),
      schemas: [USER, ENTERPRISE, 'urn:ietf:params:scim:schemas:extension:custom:2.0:User'],
      password: 'Tr0ub4dor&3',
      displayName: 'Ana Silva',
      emails: [{ value: 'ana@example.com', type: 'work', primary: true }],
      name: { givenName: 'Ana', familyName: 'Silva', formatted: 'Ana Silva' },
      [ENTERPRISE]: { department: 'R&D' },
      'urn:ietf:params:scim:schemas:extension:custom:2.0:User': { shoeSize: 38 },
    });
    expect(res.statusCode, res.body).toBe(201);
    const { id, meta } = res.json();
    // Postman ref §2: nothing but the modelled attributes, meta without location and version.
    expect(res.json()).toEqual({
      schemas: [USER],
      id,
      externalId: '00u8k2mq7ZxY1abcd357',
      userName: 'ana@example.com',
      name: { givenName: 'Ana', familyName: 'Silva' },
      active: true,
      meta: { resourceType: 'User', created: meta.created, lastModified: meta.created },
    });
    expect(res.headers.etag).toBeUndefined();
    expect((await s.get(`/Users/${id}`)).json()).toEqual(res.json());
  });
});

describe('Postman ref §4.2, §4.3: reading and updating users', () => {
  it('PM-20: GET /Users/{unknown} gets 404 with a SCIM error', async () => {
    const s = postman();
    expectScimError(await s.get('/Users/6f0c2d9e41b7a3c58e2f9d0a1b4c7e3f5a8d2c6b9e1f4a70'), 404);
  });

  it('PM-21: a deactivated user reads 200 with active false (U)', async () => {
    const s = postman();
    const ana = await createMember(s, 'ana@example.com');
    expect((await s.patch(`/Users/${ana.id}`, patchBody({ op: 'replace', value: { active: false } }))).statusCode).toBe(200);
    const res = await s.get(`/Users/${ana.id}`);
    expect([res.statusCode, res.json().active]).toEqual([200, false]);
  });

  it('PM-22: PUT with a new name answers 200 and changes only the name', async () => {
    const s = postman();
    const ana = await createMember(s, 'ana@example.com', { externalId: 'okta-1' });
    const res = await s.put(`/Users/${ana.id}`, {
      schemas: [USER],
      id: ana.id,
      userName: 'ana.silva@example.com',
      externalId: 'okta-2',
      name: { givenName: 'Anabela', familyName: 'Silva Costa', middleName: 'M' },
      displayName: 'Anabela',
      title: 'Engineer',
      active: true,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ userName: 'ana@example.com', externalId: 'okta-1', name: { givenName: 'Anabela', familyName: 'Silva Costa' }, active: true });
    expect(Object.keys(res.json()).sort()).toEqual(['active', 'externalId', 'id', 'meta', 'name', 'schemas', 'userName']);
    expect(Object.keys(res.json().name).sort()).toEqual(['familyName', 'givenName']);
  });

  it('PM-23: PUT active false takes the user off the team, active true brings it back', async () => {
    const s = postman();
    const ana = await createMember(s, 'ana@example.com');
    const off = await s.put(`/Users/${ana.id}`, member('ana@example.com', { active: false }));
    expect([off.statusCode, off.json().active]).toEqual([200, false]);
    expect(ids(await s.list('/Users', { filter: 'active eq false' }))).toEqual([ana.id]);
    const on = await s.put(`/Users/${ana.id}`, member('ana@example.com', { active: true }));
    expect([on.statusCode, on.json().active]).toEqual([200, true]);
    expect(ids(await s.list('/Users', { filter: 'active eq true' }))).toEqual([ana.id]);
  });

  it('PM-24: PATCH form A ({"op":"replace","value":{"active":…}}) answers 200: off the team, then back', async () => {
    const s = postman();
    const ana = await createMember(s, 'ana@example.com');
    const off = await s.patch(`/Users/${ana.id}`, patchBody({ op: 'replace', value: { active: false } }));
    expect([off.statusCode, off.json().active]).toEqual([200, false]);
    const on = await s.patch(`/Users/${ana.id}`, patchBody({ op: 'replace', value: { active: true } }));
    expect([on.statusCode, on.json().active]).toEqual([200, true]);

    // postman-oas (patch.values): form A's value holds only active, and only as a boolean.
    const oas = testServer({ profile: 'postman-oas' });
    const bo = await createMember(oas, 'bo@example.com');
    const formA = await oas.patch(`/Users/${bo.id}`, patchBody({ op: 'replace', value: { active: false } }));
    expect([formA.statusCode, formA.json().active]).toEqual([200, false]);
    const stringy = expectScimError(await oas.patch(`/Users/${bo.id}`, patchBody({ op: 'replace', value: { active: 'True' } })), 400, 'invalidValue');
    expect(stringy.detail).toBe('Operation 1: PATCH here takes a boolean for active in a path-less value, not a string');
    const more = expectScimError(await oas.patch(`/Users/${bo.id}`, patchBody({ op: 'replace', value: { active: true, userName: 'bo@example.com' } })), 400, 'invalidValue');
    expect(more.detail).toBe('Operation 1: a path-less PATCH value here holds only active, not userName');
    expect((await oas.get(`/Users/${bo.id}`)).json().active).toBe(false);
  });

  it('PM-25: PATCH form B changes userName to a verified domain; elsewhere 400 mutability (U)', async () => {
    const s = postman(TEAM);
    const ana = await createMember(s, 'ana@example.com');
    const moved = await s.patch(`/Users/${ana.id}`, patchBody({ op: 'replace', path: 'userName', value: 'ana.silva@example.com' }));
    expect([moved.statusCode, moved.json().userName]).toEqual([200, 'ana.silva@example.com']);
    const refused = expectScimError(await s.patch(`/Users/${ana.id}`, patchBody({ op: 'replace', path: 'userName', value: 'ana@gmail.example' })), 400, 'mutability');
    expect(refused.detail).toBe('userName may change only to an address in a domain the team verified (example.com), not "ana@gmail.example"');
    expect((await s.get(`/Users/${ana.id}`)).json().userName).toBe('ana.silva@example.com');
  });

  it('PM-26: Entra\'s Replace of active "False" and of name.givenName answer 200 and apply (U)', async () => {
    const s = postman();
    const ana = await createMember(s, 'ana@example.com');
    const res = await s.patch(
      `/Users/${ana.id}`,
      patchBody({ op: 'Replace', path: 'active', value: 'False' }, { op: 'Replace', path: 'name.givenName', value: 'Anabela' }, { op: 'Add', value: { 'name.familyName': 'Costa' } }),
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ active: false, name: { givenName: 'Anabela', familyName: 'Costa' } });
    // patch.values: active by path is a boolean or "True"/"False" in any case, and no other string.
    expect((await s.patch(`/Users/${ana.id}`, patchBody({ op: 'replace', path: 'active', value: 'TRUE' }))).json().active).toBe(true);
    const plain = patchBody({ op: 'replace', path: 'active', value: 'False' });
    expect((await s.patch(`/Users/${ana.id}`, plain)).json().active).toBe(false);
    const yes = expectScimError(await s.patch(`/Users/${ana.id}`, patchBody({ op: 'replace', path: 'active', value: 'yes' })), 400, 'invalidValue');
    expect(yes.detail).toBe('Operation 1: PATCH here takes a boolean or a "True"/"False" string at path active, not a string');

    // postman-oas: a path active fits neither form A nor form B: 400 invalidValue, nothing applied.
    const oas = testServer({ profile: 'postman-oas' });
    const bo = await createMember(oas, 'bo@example.com');
    const refused = expectScimError(await oas.patch(`/Users/${bo.id}`, plain), 400, 'invalidValue');
    expect(refused.detail).toBe('Operation 1: PATCH here names only the paths userName, not active');
    expectScimError(await oas.patch(`/Users/${bo.id}`, patchBody({ op: 'replace', path: 'active', value: false })), 400, 'invalidValue');
    expect((await oas.get(`/Users/${bo.id}`)).json().active).toBe(true);
  });

  it('PM-27: PATCH of an unsupported path answers 200 and is ignored (U); postman-oas refuses it with 400', async () => {
    const s = postman();
    const ana = await createMember(s, 'ana@example.com');
    const body = patchBody(
      { op: 'Replace', path: 'displayName', value: 'Ana S' },
      { op: 'Add', path: 'emails[type eq "work"].value', value: 'ana@example.com' },
      { op: 'Replace', path: `${ENTERPRISE}:department`, value: 'R&D' },
      { op: 'replace', path: 'externalId', value: 'other' },
    );
    const res = await s.patch(`/Users/${ana.id}`, body);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual((await s.get(`/Users/${ana.id}`)).json());
    expect(res.json().meta.lastModified).toBe(ana.meta.lastModified);

    const oas = testServer({ profile: 'postman-oas' });
    const bo = await createMember(oas, 'bo@example.com');
    expectScimError(await oas.patch(`/Users/${bo.id}`, patchBody({ op: 'replace', path: 'name.givenName', value: 'B' })), 400, 'mutability');
    expectScimError(await oas.patch(`/Users/${bo.id}`, patchBody({ op: 'replace', path: 'title', value: 'B' })), 400, 'mutability');
    expectScimError(await oas.patch(`/Users/${bo.id}`, patchBody({ op: 'Replace', path: 'active', value: false })), 400, 'invalidSyntax');
    expect((await oas.patch(`/Users/${bo.id}`, patchBody({ op: 'replace', value: { active: false } }))).statusCode).toBe(200);
  });

  it('PM-28: DELETE /Users/{id} gets the generic 404 body (U), and the user stays', async () => {
    const s = postman();
    const ana = await createMember(s, 'ana@example.com');
    expectGeneric404(await s.del(`/Users/${ana.id}`));
    expect((await s.get(`/Users/${ana.id}`)).statusCode).toBe(200);
  });
});

describe('Postman ref §4.4: groups', () => {
  it('PM-29: displayName eq in another case finds no group', async () => {
    const s = postman();
    const eng = await s.createGroup('Engineering');
    expect(ids(await s.list('/Groups', { filter: 'displayName eq "engineering"' }))).toEqual([]);
    expect(ids(await s.list('/Groups', { filter: 'displayName eq "Engineering"' }))).toEqual([eng.id]);
  });

  it('PM-30: POST of a group with joined members answers 201 with its id and members', async () => {
    const s = postman();
    const ana = await createMember(s, 'ana@example.com');
    const res = await s.post('/Groups', { schemas: [GROUP], displayName: 'Engineering', externalId: 'g-1', members: [{ value: ana.id, display: 'Ana Silva', type: 'User' }] });
    expect(res.statusCode, res.body).toBe(201);
    const { id, meta } = res.json();
    expect(res.json()).toEqual({
      schemas: [GROUP],
      id,
      externalId: 'g-1',
      displayName: 'Engineering',
      members: [{ value: ana.id, display: 'Ana Silva' }],
      meta: { resourceType: 'Group', created: meta.created, lastModified: meta.created },
    });
    // A second group of the same name: 409 (U).
    expectScimError(await s.post('/Groups', { schemas: [GROUP], displayName: 'Engineering' }), 409, 'uniqueness');
  });

  it('PM-31: group PATCH replace {id, displayName} answers 200, renamed (with the collection\'s PutOp schemas too)', async () => {
    const s = postman();
    const eng = await s.createGroup('Engineering');
    const res = await s.patch(`/Groups/${eng.id}`, patchBody({ op: 'replace', value: { id: eng.id, displayName: 'Platform' } }));
    expect([res.statusCode, res.json().displayName]).toEqual([200, 'Platform']);
    const putOp = await s.patch(`/Groups/${eng.id}`, { schemas: ['urn:ietf:params:scim:api:messages:2.0:PutOp'], Operations: [{ op: 'replace', value: { id: eng.id, displayName: 'Core' } }] });
    expect([putOp.statusCode, putOp.json().displayName]).toEqual([200, 'Core']);
    // patch.values: the value is typed {id, displayName}; Entra's rename by path passes here (U), not in postman-oas.
    expectScimError(await s.patch(`/Groups/${eng.id}`, patchBody({ op: 'replace', value: { displayName: ['Core'] } })), 400, 'invalidValue');
    expect((await s.patch(`/Groups/${eng.id}`, patchBody({ op: 'Replace', path: 'displayName', value: 'Platform' }))).json().displayName).toBe('Platform');
    const oas = testServer({ profile: 'postman-oas' });
    const ops = await oas.createGroup('Operations');
    expect((await oas.patch(`/Groups/${ops.id}`, patchBody({ op: 'replace', value: { id: ops.id, displayName: 'SRE' } }))).json().displayName).toBe('SRE');
    const byPath = expectScimError(await oas.patch(`/Groups/${ops.id}`, patchBody({ op: 'replace', path: 'displayName', value: 'Ops' })), 400, 'invalidValue');
    expect(byPath.detail).toBe('Operation 1: PATCH here names only the paths members, not displayName');
  });

  it('PM-32: group PATCH adds and removes members (200); a pending invitee as member gets 400 invalidValue (U)', async () => {
    const s = postman(TEAM);
    const ana = await createMember(s, 'ana@example.com');
    const eve = await createMember(s, 'eve@example.com');
    const eng = await s.createGroup('Engineering');
    const add = await s.patch(`/Groups/${eng.id}`, patchBody({ op: 'add', path: 'members', value: [{ value: ana.id }, { value: eve.id }] }));
    expect(add.json().members.map((m: Json) => m.value)).toEqual([ana.id, eve.id]);
    const removed = await s.patch(`/Groups/${eng.id}`, patchBody({ op: 'remove', path: `members[value eq "${ana.id}"]` }));
    expect(removed.json().members.map((m: Json) => m.value)).toEqual([eve.id]);
    // Entra's legacy removal with a value list, and a whole-list replace (U).
    const legacy = await s.patch(`/Groups/${eng.id}`, patchBody({ op: 'Remove', path: 'members', value: [{ value: eve.id }] }));
    expect([legacy.statusCode, legacy.json().members]).toEqual([200, undefined]);
    const replaced = await s.patch(`/Groups/${eng.id}`, patchBody({ op: 'replace', path: 'members', value: [{ value: ana.id }] }));
    expect(replaced.json().members).toEqual([{ value: ana.id }]);

    const invited = (await s.post('/Users', member('bo@partner.example'))).json();
    expectScimError(await s.patch(`/Groups/${eng.id}`, patchBody({ op: 'add', path: 'members', value: [{ value: invited.id }] })), 400, 'invalidValue');
    expectScimError(await s.patch(`/Groups/${eng.id}`, patchBody({ op: 'add', path: 'members', value: [{ value: 'nobody' }] })), 400, 'invalidValue');
  });

  it('PM-33: DELETE of a group answers 204; its members left in no group are deactivated (U rule)', async () => {
    const s = postman();
    const ana = await createMember(s, 'ana@example.com');
    const eve = await createMember(s, 'eve@example.com');
    const eng = await s.createGroup('Engineering', [ana.id, eve.id]);
    await s.createGroup('Support', [eve.id]);
    const res = await s.del(`/Groups/${eng.id}`);
    expect([res.statusCode, res.body]).toEqual([204, '']);
    expect((await s.get(`/Users/${ana.id}`)).json().active).toBe(false);
    expect((await s.get(`/Users/${eve.id}`)).json().active).toBe(true);
    expectScimError(await s.get(`/Groups/${eng.id}`), 404);
  });

  it('PM-34: excludedAttributes=members leaves members out (U)', async () => {
    const s = postman();
    const ana = await createMember(s, 'ana@example.com');
    await s.createGroup('Engineering', [ana.id]);
    const res = await s.get('/Groups?excludedAttributes=members&filter=displayName+eq+%22Engineering%22');
    expect(res.statusCode).toBe(200);
    expect(res.json().Resources[0]).not.toHaveProperty('members');
    expect(res.json().Resources[0].displayName).toBe('Engineering');
  });
});

describe('Postman ref §1, §2, §5: discovery, absent routes, limits', () => {
  it('PM-35: GET /ServiceProviderConfig answers 200 with the members of §2 (values U)', async () => {
    const s = postman();
    const res = await s.get('/ServiceProviderConfig');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      documentationUri: expect.stringMatching(/^https:\/\/learning\.postman\.com\//),
      patch: { supported: true },
      bulk: { supported: false },
      filter: { supported: true, maxResults: 100 },
      changePassword: { supported: false },
      sort: { supported: false },
      etag: { supported: false },
      authenticationSchemes: [expect.objectContaining({ type: 'oauthbearertoken' })],
      meta: expect.objectContaining({ resourceType: 'ServiceProviderConfig' }),
    });
    expect(s.server.options.supports).toEqual({ patch: true, bulk: false, filter: true, sort: false, etag: false, changePassword: false });
  });

  it('PM-36: GET /ResourceTypes answers a bare array; without a key, a 401 that is no SCIM error', async () => {
    const s = postman();
    const res = await s.get('/ResourceTypes');
    expect(res.statusCode).toBe(200);
    expect(Array.isArray(res.json())).toBe(true);
    expect(res.json().map((t: Json) => [t.id, t.name, t.endpoint, t.schema])).toEqual([
      ['User', 'User', '/Users', USER],
      ['Group', 'Group', '/Groups', GROUP],
    ]);
    const denied = await s.get('/ResourceTypes', { headers: { authorization: 'Bearer wrong' } });
    expect([denied.statusCode, denied.headers['content-type'], denied.json()]).toEqual([
      401,
      'application/json; charset=utf-8',
      { error: { name: 'AuthenticationError', message: 'Invalid SCIM API key.' } },
    ]);
    // Elsewhere the 401 is a SCIM error.
    expectScimError(await s.get('/ServiceProviderConfig', { headers: { authorization: 'Bearer wrong' } }), 401);
  });

  it('PM-37: /Schemas, /Bulk and .search get the generic 404 (U); sortBy and attributes are ignored (U)', async () => {
    const s = postman();
    expectGeneric404(await s.get('/Schemas'));
    expectGeneric404(await s.get(`/Schemas/${USER}`));
    expectGeneric404(await s.post('/Bulk', { schemas: [URN.bulkRequest], Operations: [] }));
    expectGeneric404(await s.post('/.search', { schemas: [SEARCH] }));
    expectGeneric404(await s.post('/Users/.search', { schemas: [SEARCH] }));
    expectGeneric404(await s.get('/Me'));
    expectGeneric404(await s.put('/Groups/x', {}));
    const zed = await createMember(s, 'zed@example.com');
    const ana = await createMember(s, 'ana@example.com');
    expect(ids(await s.list('/Users', { sortBy: 'userName', sortOrder: 'ascending' }))).toEqual([zed.id, ana.id]);
    expect((await s.list('/Users', { attributes: 'userName' })).json().Resources[0]).toHaveProperty('name');
  });

  it('PM-38: no rate limit by default (U: off); the faults of docs/faults.md give one', async () => {
    const s = postman();
    for (let i = 0; i < 301; i++) expect((await s.get('/Users?count=1')).statusCode).toBe(200);

    // The rule docs/faults.md gives for it, as written there.
    const faultsDoc = readFileSync(fileURLToPath(new URL('../../docs/faults.md', import.meta.url)), 'utf8');
    const recipe = /\*\*Postman's rate limit\.\*\*[\s\S]*?```yaml\n([\s\S]*?)```/.exec(faultsDoc)![1]!;
    const limited = testServer({ profile: 'postman', faults: { rules: parse(recipe) as FaultRule[] } });
    for (let i = 0; i < 300; i++) expect((await limited.get('/Users?count=1')).statusCode).toBe(200);
    const res = await limited.get('/Users?count=1');
    expect([res.statusCode, res.headers['retry-after'], res.headers['x-ratelimit-remaining'], res.json().error.name]).toEqual([429, '60', '0', 'rateLimitError']);
  });
});

let dir: string;
let server: ReferenceServer;
let url: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'scimulator-postman-'));
  server = referenceServer({ tokens: ['postman-key'], host: '127.0.0.1', port: 0, profile: 'postman' });
  ({ url } = await server.listen());
});

afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

async function play(name: string, text: string): Promise<ScenarioResult> {
  writeFileSync(join(dir, name), text);
  const scenario = await loadScenarioFile(join(dir, name), { idps: IDPS });
  const result = await runScenarios([scenario], { idps: IDPS, target: { url, credentials: { kind: 'bearer', token: 'postman-key' } } });
  return result.scenarios[0]!;
}

const failures = (result: ScenarioResult) => [result.reason, ...result.steps.flatMap((s) => s.checks).filter((c) => !c.passed).map((c) => c.message)].filter(Boolean);
const idpRequests = (result: ScenarioResult) => result.exchanges.filter((e) => e.kind === 'idp');
const bodyText = (body: BodyRecord | undefined) => (body === undefined ? '' : (body.text ?? JSON.stringify(body.json)));

describe('Postman ref §7, §8: the IdP suites against the postman profile, over loopback', () => {
  it('PM-39: the Okta OIN app creates, updates names, deactivates and reactivates, with no group, import or password call', async () => {
    const result = await play(
      'okta-postman.yaml',
      `
id: postman.okta.oin-app
title: Postman's OIN app in Okta
refs: ["Postman ref §7"]
idp: okta
settings:
  variant: oin
  provisioningFeatures: { pushGroups: false, importUsers: false, importGroups: false, syncPassword: false }
directory:
  users:
    ana: { login: "ana-{{unique.ana}}@example.com", firstName: Ana, lastName: Silva, title: Analyst }
steps:
  - test-credentials:
  - expect:
      sent: ["GET /Users?startIndex=1&count=2"]
      outcome: { check: test-api-credentials, status: success }
  - assign: ana
  - expect:
      outcome: { eventType: application.provision.user.push, status: success, user: ana }
      target: { ana: { active: true, name.givenName: Ana, title: { absent: true } } }
  - update: { user: ana, set: { firstName: Anabela, title: Engineer } }
  - expect:
      outcome: { eventType: application.provision.user.push_profile, status: success, user: ana }
      target: { ana: { name.givenName: Anabela, title: { absent: true } } }
  - password: ana
  - expect: { sent: [] }
  - unassign: ana
  - expect:
      outcome: { eventType: application.provision.user.deactivate, status: success, user: ana }
      target: { ana: { active: false } }
  - assign: ana
  - expect:
      outcome: { eventType: application.provision.user.push, status: success, user: ana }
      target: { ana: { active: true } }
`,
    );
    expect(failures(result)).toEqual([]);
    expect(result.status).toBe('passed');
    const requests = idpRequests(result);
    expect(requests.filter((e) => /\/Groups/.test(e.request.url))).toEqual([]);
    expect(requests.every((e) => e.response !== undefined && e.response.status < 300)).toBe(true);
    // Okta's create carries a password (Okta ref §4), which Postman drops; nothing else sends one.
    const withPassword = requests.filter((e) => /"password"/.test(bodyText(e.request.body)));
    expect(withPassword.map((e) => e.request.method)).toEqual(['POST']);
    expect(bodyText(withPassword[0]!.response!.body)).not.toMatch(/password/);
  });

  it('PM-40: the Entra non-gallery app, groups off, runs its 40-minute cycles: create, rename, disable', async () => {
    const result = await play(
      'entra-postman.yaml',
      `
id: postman.entra.non-gallery
title: Postman as an Entra non-gallery app
refs: ["Postman ref §8"]
idp: entra
settings: { flags: [], scope: assigned, provisionGroups: false }
directory:
  users:
    adele: { userPrincipalName: "adele-{{unique.adele}}@example.com", givenName: Adele, surname: Vance, jobTitle: Retail Manager }
  groups:
    retail: { displayName: Retail, members: [adele] }
  assignments: [adele, retail]
steps:
  - cycle: initial
  - expect:
      outcome: [{ user: adele, action: Create, status: Success }]
      target: { adele: { active: true, name.givenName: Adele, name.familyName: Vance, title: { absent: true } } }
  - update: { user: adele, set: { givenName: Adela } }
  - advance: 39m
  - expect: { sent: [] }
  - advance: 2m
  - expect:
      outcome: [{ user: adele, action: Update, status: Success }]
      target: { adele: { name.givenName: Adela } }
  - unassign: adele
  - unassign: retail
  - advance: 40m
  - expect:
      outcome: [{ user: adele, action: Disable, status: Success }]
      target: { adele: { active: false } }
`,
    );
    expect(failures(result)).toEqual([]);
    expect(result.status).toBe('passed');
    const requests = idpRequests(result);
    expect(requests.filter((e) => /\/Groups/.test(e.request.url))).toEqual([]);
    expect(requests.every((e) => e.response !== undefined && e.response.status < 300)).toBe(true);
    // The legacy dialect's shapes, applied by Postman's laxer reading (Postman ref §4.2).
    const patches = requests.filter((e) => e.request.method === 'PATCH').map((e) => bodyText(e.request.body));
    expect(patches.some((body) => /"op":"Replace","path":"active","value":"False"/.test(body))).toBe(true);
  });
});
