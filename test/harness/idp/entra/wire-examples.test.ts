import { afterEach, describe, expect, it } from 'vitest';
import * as wire from '../../../../harness/idp/entra/wire.js';
import { answerProbes, compact, created, EntraRig, LIST_EMPTY, list, TOKEN } from './rig.js';

/**
 * Every request example of docs/reference/entra.md that is not marked unverified, as the simulator
 * sends it: method, path with its encoded query, and the body text with its key order. Each
 * unverified behaviour is a setting, tested both ways.
 */

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';
const LEGACY = wire.dialectOf({ flags: [], foldSingleAttribute: false, activeStringCase: 'capitalized', memberRefNull: true } as never);

let rig: EntraRig;
afterEach(async () => rig?.close());

/** A target user as a server keeps it. */
function targetUser(id: string, attributes: Record<string, unknown>): Record<string, unknown> {
  return { schemas: [CORE], id, active: true, meta: { resourceType: 'User' }, ...attributes };
}

/**
 * The initial cycle for one assigned user whom the matching query finds as `existing`: the PATCH
 * it sends (or nothing), after the probes and the query.
 */
async function patchFor(source: Record<string, unknown>, existing: Record<string, unknown>, settings: Record<string, unknown> = {}): Promise<EntraRig> {
  rig = answerProbes(new EntraRig({ settings, directory: { users: { u: source }, assignments: ['u'] } }));
  // With externalId matching, the probe asks for a GUID externalId: answered empty, as Entra expects (§3).
  rig.on('GET', /^\/Users\?filter=externalId\+eq\+%22[0-9a-f-]{36}%22$/, LIST_EMPTY).on('GET', /^\/Users\?filter=/, list([existing])).on('PATCH', /^\/Users\//, { status: 200, body: existing });
  await rig.perform('cycle', 'initial');
  return rig;
}

function patches(r: EntraRig): { path: string; body: string }[] {
  return r.sent.filter((s) => s.method === 'PATCH').map((s) => ({ path: s.path, body: s.body! }));
}

describe('Entra ref §2–§3 transport and the probe', () => {
  it('§3: each cycle begins with the random-GUID probe, form-encoded, with Authorization only (no User-Agent, Accept or Content-Type, §2, §10.8)', async () => {
    rig = answerProbes(new EntraRig({ settings: { provisionGroups: false } }));
    await rig.perform('cycle', 'initial');
    expect(rig.sent).toHaveLength(1);
    expect(rig.sent[0]!.method).toBe('GET');
    expect(rig.sent[0]!.path).toMatch(/^\/Users\?filter=userName\+eq\+%22[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}%22$/);
    expect(rig.sent[0]!.headers).toEqual({ authorization: `Bearer ${TOKEN}` });
    expect(rig.sent[0]!.body).toBeUndefined();
  });

  it('§2: the observed Test Connection query for 7d420df3-9995-4831-a406-ecf8166f5f6a', () => {
    const request = wire.findUsers('userName', '7d420df3-9995-4831-a406-ecf8166f5f6a', { encodeAtSign: true, quoteFilterValues: true });
    expect(`${request.method} ${request.path}`).toBe('GET /Users?filter=userName+eq+%227d420df3-9995-4831-a406-ecf8166f5f6a%22');
  });

  it('§3: with externalId as the matching attribute the probe filters on externalId', async () => {
    rig = new EntraRig({ settings: { provisionGroups: false, userMappings: { userName: { matching: false }, externalId: { matching: 1 } } } });
    rig.on('GET', /^\/Users\?filter=externalId\+eq\+%22[0-9a-f-]{36}%22$/, LIST_EMPTY);
    await rig.perform('cycle', 'initial');
    expect(rig.lines()).toHaveLength(1);
    expect(rig.lines()[0]).toMatch(/^GET \/Users\?filter=externalId\+eq\+%22/);
  });

  it('§3 (unverified form, §12): the random-group probe when groups are provisioned, or none with groupProbe: false', async () => {
    rig = answerProbes(new EntraRig({}));
    await rig.perform('cycle', 'initial');
    expect(rig.lines()[1]).toMatch(/^GET \/Groups\?excludedAttributes=members&filter=displayName\+eq\+%22[0-9a-f-]{36}%22$/);
    await rig.close();
    rig = answerProbes(new EntraRig({ settings: { groupProbe: false } }));
    await rig.perform('cycle', 'initial');
    expect(rig.lines()).toHaveLength(1);
  });

  it('§2 (unverified): Accept absent by default, `*/*` with accept: "*/*"', async () => {
    rig = answerProbes(new EntraRig({ settings: { accept: '*/*', provisionGroups: false } }));
    await rig.perform('cycle', 'initial');
    expect(rig.sent[0]!.headers).toEqual({ authorization: `Bearer ${TOKEN}`, accept: '*/*' });
  });

  it('§1.1 (unverified): the Tenant-URL flags are stripped by default, forwarded with forwardFlags', async () => {
    rig = answerProbes(new EntraRig({ settings: { flags: ['aadOptscim062020'], provisionGroups: false } }));
    await rig.perform('cycle', 'initial');
    expect(rig.lines()[0]).not.toContain('aadOptscim062020');
    await rig.close();
    rig = new EntraRig({ settings: { flags: ['aadOptscim062020'], forwardFlags: true, provisionGroups: false } });
    rig.on('GET', /^\/Users\?filter=.*&aadOptscim062020$/, LIST_EMPTY);
    await rig.perform('cycle', 'initial');
    expect(rig.lines()[0]).toMatch(/^GET \/Users\?filter=userName\+eq\+%22[0-9a-f-]{36}%22&aadOptscim062020$/);
  });

  it('§2 (unverified): requestsPerSecond spaces the requests in virtual time', async () => {
    rig = answerProbes(new EntraRig({ settings: { requestsPerSecond: 2 } }));
    await rig.perform('cycle', 'initial');
    expect(rig.transcript.exchanges.map((e) => e.virtualTime)).toEqual(['2026-01-05T09:00:00.000Z', '2026-01-05T09:00:00.500Z']);
  });
});

describe('Entra ref §6.1 match', () => {
  it('§6.1: the matching query with @ as %40 (unverified; encodeAtSign: false leaves it)', async () => {
    for (const [encodeAtSign, path] of [
      [true, '/Users?filter=userName+eq+%22adele.vance%40contoso.com%22'],
      [false, '/Users?filter=userName+eq+%22adele.vance@contoso.com%22'],
    ] as const) {
      rig = answerProbes(new EntraRig({ settings: { encodeAtSign, provisionGroups: false }, directory: { users: { adele: { userPrincipalName: 'adele.vance@contoso.com' } }, assignments: ['adele'] } }));
      rig.on('GET', path, LIST_EMPTY).on('POST', '/Users', created('1'));
      await rig.perform('cycle', 'initial');
      expect(rig.lines()[1]).toBe(`GET ${path}`);
      await rig.close();
    }
  });

  it('§2, §10.9: the legacy doc example with an unquoted value, quoteFilterValues: false', () => {
    const request = wire.findUsers('externalId', 'jyoung', { encodeAtSign: true, quoteFilterValues: false });
    expect(request.path).toBe('/Users?filter=externalId+eq+jyoung');
  });
});

describe('Entra ref §6.2 create', () => {
  it('§6.2: the documented "Create User" body, byte for byte, with Content-Type application/scim+json; charset=utf-8', async () => {
    const user = {
      userPrincipalName: 'Test_User_00aa00aa-bb11-cc22-dd33-44ee44ee44ee',
      mailNickname: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
      mail: 'Test_User_11bb11bb-cc22-dd33-ee44-55ff55ff55ff@testuser.com',
      givenName: 'givenName',
      surname: 'familyName',
    };
    rig = answerProbes(new EntraRig({ settings: { provisionGroups: false }, directory: { users: { t: user }, assignments: ['t'] } }));
    rig.on('GET', /^\/Users\?filter=/, LIST_EMPTY).on('POST', '/Users', created('2441309d85324e7793ae'));
    await rig.perform('cycle', 'initial');
    const post = rig.sent.find((s) => s.method === 'POST')!;
    expect(post.path).toBe('/Users');
    expect(post.headers).toEqual({ authorization: `Bearer ${TOKEN}`, 'content-type': 'application/scim+json; charset=utf-8' });
    expect(post.body).toBe(
      compact(`{
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
        "externalId": "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef",
        "userName": "Test_User_00aa00aa-bb11-cc22-dd33-44ee44ee44ee",
        "active": true,
        "emails": [{"primary": true, "type": "work", "value": "Test_User_11bb11bb-cc22-dd33-ee44-55ff55ff55ff@testuser.com"}],
        "meta": {"resourceType": "User"},
        "name": {"formatted": "givenName familyName", "familyName": "familyName", "givenName": "givenName"},
        "roles": []
      }`),
    );
  });

  const adele = {
    userPrincipalName: 'AdeleV@contoso.com',
    displayName: 'Adele Vance',
    givenName: 'Adele',
    surname: 'Vance',
    mail: 'AdeleV@contoso.com',
    jobTitle: 'Retail Manager',
    preferredLanguage: 'en-US',
    physicalDeliveryOfficeName: '18/2111',
    streetAddress: '205 108th Ave NE',
    city: 'Bellevue',
    state: 'WA',
    postalCode: '98004',
    country: 'US',
    telephoneNumber: '+1 425 555 0109',
    mobile: '+1 425 555 0110',
    employeeId: '701984',
    department: 'Retail',
  };
  const ADELE_BODY = `{
    "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
    "externalId": "AdeleV",
    "userName": "AdeleV@contoso.com",
    "active": true,
    "displayName": "Adele Vance",
    "title": "Retail Manager",
    "preferredLanguage": "en-US",
    "emails": [{"primary": true, "type": "work", "value": "AdeleV@contoso.com"}],
    "meta": {"resourceType": "User"},
    "name": {"formatted": "Adele Vance", "familyName": "Vance", "givenName": "Adele"},
    "addresses": [{"type": "work", "formatted": "18/2111", "streetAddress": "205 108th Ave NE", "locality": "Bellevue", "region": "WA", "postalCode": "98004", "country": "US", "primary": false}],
    "phoneNumbers": [{"type": "work", "value": "+1 425 555 0109", "primary": false},{"type": "mobile", "value": "+1 425 555 0110", "primary": false}],
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"employeeNumber": "701984", "department": "Retail"},
    "roles": []
  }`;

  async function createBody(settings: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    rig = answerProbes(new EntraRig({ settings: { provisionGroups: false, ...settings }, directory: { users: { adele }, assignments: ['adele'] } }));
    rig.on('GET', /^\/Users\?filter=/, LIST_EMPTY).on('POST', '/Users', created('1'));
    await rig.perform('cycle', 'initial');
    const body = rig.sent.find((s) => s.method === 'POST')!.body!;
    await rig.close();
    return JSON.parse(body) as Record<string, unknown>;
  }

  it('§6.2: the fully populated default-mapping user, byte for byte; no nulls', async () => {
    rig = answerProbes(new EntraRig({ settings: { provisionGroups: false }, directory: { users: { adele }, assignments: ['adele'] } }));
    rig.on('GET', /^\/Users\?filter=/, LIST_EMPTY).on('POST', '/Users', created('1'));
    await rig.perform('cycle', 'initial');
    expect(rig.sent.find((s) => s.method === 'POST')!.body).toBe(compact(ADELE_BODY));
  });

  it('§6.2 (unverified): primary on work addresses and phones, or not with primaryOnAddressesAndPhones: false', async () => {
    const body = await createBody({ primaryOnAddressesAndPhones: false });
    expect(body.addresses).toEqual([{ type: 'work', formatted: '18/2111', streetAddress: '205 108th Ave NE', locality: 'Bellevue', region: 'WA', postalCode: '98004', country: 'US' }]);
    expect(body.phoneNumbers).toEqual([{ type: 'work', value: '+1 425 555 0109' }, { type: 'mobile', value: '+1 425 555 0110' }]);
  });

  it('§6.2, §12: active is boolean true in the POST; the string "True" with activeStringInCreate', async () => {
    expect((await createBody()).active).toBe(true);
    expect((await createBody({ activeStringInCreate: true })).active).toBe('True');
  });

  it('§6.2, §12 (unverified): the manager is not in the POST; with managerInCreate a provisioned manager goes in as a bare id', async () => {
    for (const managerInCreate of [false, true]) {
      const directory = { users: { boss: { userPrincipalName: 'boss@contoso.com' }, adele: { userPrincipalName: 'AdeleV@contoso.com', manager: 'boss' } }, assignments: ['boss', 'adele'] };
      rig = answerProbes(new EntraRig({ settings: { provisionGroups: false, managerInCreate }, directory }));
      rig.on('GET', /^\/Users\?filter=/, LIST_EMPTY).once('POST', '/Users', created('2c2f6fb8-254f-492e-b7fe-c09c5a61c8a2')).on('POST', '/Users', created('a1')).on('PATCH', /^\/Users\//, { status: 204 });
      await rig.perform('cycle', 'initial');
      const posts = rig.bodies() as Record<string, Record<string, unknown>>[];
      expect(posts[1]![ENTERPRISE]).toEqual(managerInCreate ? { manager: '2c2f6fb8-254f-492e-b7fe-c09c5a61c8a2' } : undefined);
      expect(rig.lines().filter((l) => l.startsWith('PATCH'))).toEqual(managerInCreate ? [] : ['PATCH /Users/a1']);
      await rig.close();
    }
  });

  it('§1.2: a custom extension attribute is nested under its URN, which is not added to schemas', async () => {
    const body = await createBody({ userMappings: { 'urn:ietf:params:scim:schemas:extension:CustomExtensionName:2.0:User:CustomAttribute': { source: 'department' } } });
    expect(body.schemas).toEqual([CORE, ENTERPRISE]);
    expect(body['urn:ietf:params:scim:schemas:extension:CustomExtensionName:2.0:User']).toEqual({ CustomAttribute: 'Retail' });
  });
});

describe('Entra ref §6.3 update', () => {
  it('§6.3: the documented single-valued update', async () => {
    const r = await patchFor(
      { userPrincipalName: '5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com', mailNickname: 'x' },
      targetUser('5171a35d82074e068ce2', { userName: 'old@testuser.com', externalId: 'x' }),
      { userMappings: { userName: { matching: false }, externalId: { matching: 1 } }, provisionGroups: false },
    );
    expect(patches(r)).toEqual([
      { path: '/Users/5171a35d82074e068ce2', body: compact('{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Replace","path":"userName","value":"5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com"}]}') },
    ]);
  });

  it('§6.3: the documented multi-valued update, one op per attribute', async () => {
    const r = await patchFor(
      { userPrincipalName: 'u@testuser.com', mail: 'updatedEmail@microsoft.com', surname: 'updatedFamilyName', mailNickname: 'u' },
      targetUser('6764549bef60420686bc', { userName: 'u@testuser.com', externalId: 'u', emails: [{ type: 'work', value: 'old@microsoft.com', primary: true }], name: { familyName: 'familyName', formatted: 'updatedFamilyName' } }),
    );
    expect(patches(r)[0]!.body).toBe(
      compact(`{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[
        {"op":"Replace","path":"emails[type eq \\"work\\"].value","value":"updatedEmail@microsoft.com"},
        {"op":"Replace","path":"name.familyName","value":"updatedFamilyName"}]}`),
    );
  });

  it('§6.3: a mixed request: Replace where the target has a value, Add where it has none (laravel-scim-server#34)', async () => {
    const r = await patchFor(
      { userPrincipalName: 'AdeleV@REDACTED.onmicrosoft.com', mail: 'AdeleV2@REDACTED.onmicrosoft.com', physicalDeliveryOfficeName: '18/2111', department: 'Retail' },
      targetUser('a1', { userName: 'AdeleV@REDACTED.onmicrosoft.com', externalId: 'AdeleV', emails: [{ type: 'work', value: 'AdeleV@REDACTED.onmicrosoft.com' }], addresses: [{ type: 'work', formatted: '18/1000' }] }),
    );
    expect(patches(r)[0]!.body).toBe(
      compact(`{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[
        {"op":"Replace","path":"emails[type eq \\"work\\"].value","value":"AdeleV2@REDACTED.onmicrosoft.com"},
        {"op":"Replace","path":"addresses[type eq \\"work\\"].formatted","value":"18/2111"},
        {"op":"Add","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department","value":"Retail"}]}`),
    );
  });

  const compatSource = { userPrincipalName: 'u@test.microsoft.com', displayName: 'Pvlo', mail: 'TestBcwqnm@test.microsoft.com', givenName: 'Gtfd', surname: 'Pkqf', mailNickname: 'Eqpj', employeeId: 'Eqpj' };
  const compatTarget = targetUser('b2', {
    userName: 'u@test.microsoft.com',
    displayName: 'Old',
    emails: [{ type: 'work', value: 'old@test.microsoft.com' }],
    name: { givenName: 'G', familyName: 'F', formatted: 'Gtfd Pkqf' },
    externalId: 'Old',
    [ENTERPRISE]: { employeeNumber: 'Old' },
  });

  it('§6.3, §8: without the flag, a multi-attribute replace is one op per attribute (SCIM-COMPAT)', async () => {
    const r = await patchFor(compatSource, compatTarget);
    expect(patches(r)[0]!.body).toBe(
      compact(`{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[
        {"op":"Replace","path":"displayName","value":"Pvlo"},
        {"op":"Replace","path":"emails[type eq \\"work\\"].value","value":"TestBcwqnm@test.microsoft.com"},
        {"op":"Replace","path":"name.givenName","value":"Gtfd"},
        {"op":"Replace","path":"name.familyName","value":"Pkqf"},
        {"op":"Replace","path":"externalId","value":"Eqpj"},
        {"op":"Replace","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber","value":"Eqpj"}]}`),
    );
  });

  it('§6.3, §8: with aadOptscim062020, filtered paths stay path ops and the rest fold into one path-less value object with flat keys (SCIM-COMPAT)', async () => {
    const source = { userPrincipalName: 'u@test.microsoft.com', displayName: 'Bjfe', mail: 'TestMhvaes@test.microsoft.com', givenName: 'Kkom', surname: 'Unua', mailNickname: 'Old', employeeId: 'Aklq' };
    const target = targetUser('b3', { ...compatTarget, id: 'b3', name: { givenName: 'G', familyName: 'F', formatted: 'Kkom Unua' } });
    const r = await patchFor(source, target, { flags: ['aadOptscim062020'] });
    expect(patches(r)[0]!.body).toBe(
      compact(`{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[
        {"op":"replace","path":"emails[type eq \\"work\\"].value","value":"TestMhvaes@test.microsoft.com"},
        {"op":"replace","value":{"displayName":"Bjfe","name.givenName":"Kkom","name.familyName":"Unua",
           "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber":"Aklq"}}]}`),
    );
  });

  it('§6.3, §8: the 2020 flag name AzureAdScimPatch062020 is the same dialect; AzureAdScimPatch2017 is the legacy one', async () => {
    for (const [flags, op] of [
      [['AzureAdScimPatch062020'], 'replace'],
      [['AzureAdScimPatch2017'], 'Replace'],
    ] as const) {
      const r = await patchFor({ userPrincipalName: 'u@x', displayName: 'New', mailNickname: 'u' }, targetUser('c1', { userName: 'u@x', externalId: 'u', displayName: 'Old' }), { flags });
      expect(JSON.parse(patches(r)[0]!.body)).toMatchObject({ Operations: [{ op, path: 'displayName', value: 'New' }] });
      await r.close();
    }
  });

  it('§6.3, §12 (unverified): with the flag, a single changed plain attribute is a path op, or folded with foldSingleAttribute', async () => {
    const source = { userPrincipalName: 'u@x', displayName: 'New', mailNickname: 'u' };
    const target = targetUser('c2', { userName: 'u@x', externalId: 'u', displayName: 'Old' });
    let r = await patchFor(source, target, { flags: ['aadOptscim062020'] });
    expect(JSON.parse(patches(r)[0]!.body).Operations).toEqual([{ op: 'replace', path: 'displayName', value: 'New' }]);
    await r.close();
    r = await patchFor(source, target, { flags: ['aadOptscim062020'], foldSingleAttribute: true });
    expect(JSON.parse(patches(r)[0]!.body).Operations).toEqual([{ op: 'replace', value: { displayName: 'New' } }]);
  });

  it('§6.3: single-value string add, capitalised without the flag and lowercase with it (SCIM-COMPAT)', async () => {
    for (const [flags, op] of [
      [[], 'Add'],
      [['aadOptscim062020'], 'add'],
    ] as const) {
      const r = await patchFor({ userPrincipalName: 'u@x', mailNickname: 'Babs' }, targetUser('d1', { userName: 'u@x', externalId: 'Babs' }), {
        flags,
        userMappings: { nickName: { source: 'mailNickname' } },
      });
      expect(patches(r)[0]!.body).toBe(compact(`{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"${op}","path":"nickName","value":"Babs"}]}`));
      await r.close();
    }
  });

  it('§6.3, §10.5: filtered paths on elements that do not exist yet, several on the same new element', async () => {
    const r = await patchFor({ userPrincipalName: 'u@x', mailNickname: 'u', streetAddress: '1 Main St', city: 'Seattle' }, targetUser('d2', { userName: 'u@x', externalId: 'u' }));
    expect(JSON.parse(patches(r)[0]!.body).Operations).toEqual([
      { op: 'Add', path: 'addresses[type eq "work"].streetAddress', value: '1 Main St' },
      { op: 'Add', path: 'addresses[type eq "work"].locality', value: 'Seattle' },
    ]);
  });

  it('§1.2, §10.14: a null source value is never sent; with clearedValues: remove-with-value (unverified) a Remove carries the old value', async () => {
    const directory = { users: { u: { userPrincipalName: 'u@x', mailNickname: 'u', mail: 'updated@example.org' } }, assignments: ['u'] };
    for (const clearedValues of ['omit', 'remove-with-value']) {
      rig = answerProbes(new EntraRig({ settings: { clearedValues, provisionGroups: false }, directory }));
      let stored = targetUser('e1', { userName: 'u@x', externalId: 'u', emails: [{ type: 'work', value: 'updated@example.org' }] });
      rig.on('GET', /^\/Users\?filter=/, LIST_EMPTY).on('POST', '/Users', (sent) => {
        stored = { ...(JSON.parse(sent.body!) as object), id: 'e1' };
        return { status: 201, body: stored };
      });
      rig.on('GET', '/Users/e1', () => ({ status: 200, body: stored })).on('PATCH', '/Users/e1', { status: 204 });
      await rig.perform('cycle', 'initial');
      await rig.perform('update', { user: 'u', set: { mail: null } });
      rig.clear();
      await rig.perform('cycle', 'incremental');
      expect(patches(rig).map((p) => JSON.parse(p.body).Operations)).toEqual(
        clearedValues === 'omit' ? [] : [[{ op: 'Remove', path: 'emails[type eq "work"].value', value: 'updated@example.org' }]],
      );
      expect(rig.logs()[0]).toMatchObject(clearedValues === 'omit' ? { action: 'Other', status: 'Skipped', errorCode: 'RedundantExport' } : { action: 'Update', status: 'Success' });
      await rig.close();
    }
  });
});

describe('Entra ref §6.4–§6.7 disable, delete, manager, GET by id', () => {
  /** A user provisioned as `id` in the initial cycle, then the traffic forgotten; the target keeps what it was sent. */
  async function provisioned(settings: Record<string, unknown>, directory: Record<string, unknown> = { users: { adele: { userPrincipalName: 'adele@contoso.com' } }, assignments: ['adele'] }, id = '5d48a0a8e9f04aa38008'): Promise<EntraRig> {
    rig = answerProbes(new EntraRig({ settings: { provisionGroups: false, ...settings }, directory }));
    let stored: Record<string, unknown> = {};
    rig.once('GET', /^\/Users\?filter=/, LIST_EMPTY).on('POST', '/Users', (sent) => {
      stored = { ...(JSON.parse(sent.body!) as object), id };
      return { status: 201, body: stored };
    });
    rig.on('GET', `/Users/${id}`, () => ({ status: 200, body: stored }));
    rig.on('PATCH', `/Users/${id}`, (sent) => {
      for (const op of (JSON.parse(sent.body!) as { Operations: { path: string; value: unknown }[] }).Operations) {
        if (op.path === 'active') stored.active = op.value === true || op.value === 'True' || op.value === 'true';
      }
      return { status: 204 };
    });
    rig.on('DELETE', `/Users/${id}`, { status: 204 });
    await rig.perform('cycle', 'initial');
    rig.clear();
    return rig;
  }

  it('§6.4: disable without the flag is Replace with the string "False"; §6.7: the linked user is read by id first', async () => {
    await provisioned({});
    await rig.perform('unassign', 'adele');
    await rig.perform('advance', '40m');
    expect(rig.lines().slice(1)).toEqual(['GET /Users/5d48a0a8e9f04aa38008', 'PATCH /Users/5d48a0a8e9f04aa38008']);
    expect(rig.writes()[0]!.body).toBe(compact('{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Replace","path":"active","value":"False"}]}'));
  });

  it('§6.4: disable with aadOptscim062020 is a lowercase replace with boolean false', async () => {
    await provisioned({ flags: ['aadOptscim062020'] });
    await rig.perform('disable', 'adele');
    await rig.perform('advance', '40m');
    expect(rig.writes()[0]!.body).toBe(compact('{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"active","value":false}]}'));
  });

  it('§6.4: re-enabling sends "True" / true; activeStringCase: lowercase sends "false" (scimmy#86)', async () => {
    await provisioned({ activeStringCase: 'lowercase' });
    await rig.perform('soft-delete', 'adele');
    await rig.perform('advance', '40m');
    await rig.perform('restore', 'adele');
    await rig.perform('advance', '40m');
    expect(rig.writes().map((w) => JSON.parse(w.body!).Operations[0].value)).toEqual(['false', 'true']);
  });

  it('§6.5: a hard-deleted user gets DELETE /Users/{id}', async () => {
    await provisioned({});
    await rig.perform('hard-delete', 'adele');
    await rig.perform('advance', '40m');
    expect(rig.writes().map((w) => `${w.method} ${w.path}`)).toEqual(['DELETE /Users/5d48a0a8e9f04aa38008']);
    expect(rig.writes()[0]!.body).toBeUndefined();
  });

  it('§6.6: the manager is linked by a separate PATCH with the bare target id, after both users exist', async () => {
    const directory = { users: { boss: { userPrincipalName: 'boss@contoso.com' }, adele: { userPrincipalName: 'adele@contoso.com', manager: 'boss' } }, assignments: ['boss', 'adele'] };
    rig = answerProbes(new EntraRig({ settings: { provisionGroups: false }, directory }));
    rig.on('GET', /^\/Users\?filter=/, LIST_EMPTY).once('POST', '/Users', created('2c2f6fb8-254f-492e-b7fe-c09c5a61c8a2')).on('POST', '/Users', created('a1')).on('PATCH', '/Users/a1', { status: 204 });
    await rig.perform('cycle', 'initial');
    expect(rig.lines().slice(1).map((l) => l.split('?')[0])).toEqual(['GET /Users', 'POST /Users', 'GET /Users', 'POST /Users', 'PATCH /Users/a1']);
    expect(rig.writes()[2]!.body).toBe(
      compact(`{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[
        {"op":"Add","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager","value":"2c2f6fb8-254f-492e-b7fe-c09c5a61c8a2"}]}`),
    );
  });

  it('§6.6: with the flag the manager op is lowercase (SCIM-SDK#686)', async () => {
    const directory = { users: { boss: { userPrincipalName: 'boss@contoso.com' }, adele: { userPrincipalName: 'adele@contoso.com', manager: 'boss' } }, assignments: ['boss', 'adele'] };
    rig = answerProbes(new EntraRig({ settings: { provisionGroups: false, flags: ['aadOptscim062020'] }, directory }));
    rig.on('GET', /^\/Users\?filter=/, LIST_EMPTY).once('POST', '/Users', created('m1')).on('POST', '/Users', created('a1')).on('PATCH', '/Users/a1', { status: 204 });
    await rig.perform('cycle', 'initial');
    expect(JSON.parse(rig.writes()[2]!.body!).Operations).toEqual([{ op: 'add', path: `${ENTERPRISE}:manager`, value: 'm1' }]);
  });

  it('§6.3, §6.6 (unverified): a manager removed in Entra sends nothing, or remove manager[value eq "…"] with managerRemoval: filtered-remove', async () => {
    for (const managerRemoval of ['none', 'filtered-remove']) {
      const directory = { users: { boss: { userPrincipalName: 'boss@contoso.com' }, adele: { userPrincipalName: 'adele@contoso.com', manager: 'boss' } }, assignments: ['boss', 'adele'] };
      rig = answerProbes(new EntraRig({ settings: { provisionGroups: false, managerRemoval }, directory }));
      const adeleStored = { id: 'a1', userName: 'adele@contoso.com', externalId: 'adele', active: true, [ENTERPRISE]: { manager: { value: 'm1' } } };
      rig.on('GET', /^\/Users\?filter=/, LIST_EMPTY).once('POST', '/Users', created('m1')).on('POST', '/Users', created('a1')).on('PATCH', '/Users/a1', { status: 204 });
      rig.on('GET', '/Users/a1', { status: 200, body: adeleStored });
      await rig.perform('cycle', 'initial');
      await rig.perform('update', { user: 'adele', set: { manager: null } });
      rig.clear();
      await rig.perform('cycle', 'incremental');
      expect(rig.writes().map((w) => w.body)).toEqual(
        managerRemoval === 'none' ? [] : [compact('{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Remove","path":"manager[value eq \\"m1\\"]"}]}')],
      );
      await rig.close();
    }
  });

  it('§5.3, §12 (unverified): a linked user is read by id by default, re-queried by its matching attribute with incrementalLookup: filter', async () => {
    await provisioned({ incrementalLookup: 'filter' });
    rig.on('GET', '/Users?filter=userName+eq+%22adele%40contoso.com%22', list([{ id: '5d48a0a8e9f04aa38008', userName: 'adele@contoso.com', externalId: 'adele', active: true }]));
    await rig.perform('update', { user: 'adele', set: { jobTitle: 'CEO' } });
    await rig.perform('advance', '40m');
    expect(rig.lines().slice(1)).toEqual(['GET /Users?filter=userName+eq+%22adele%40contoso.com%22', 'PATCH /Users/5d48a0a8e9f04aa38008']);
  });
});

describe('Entra ref §7 groups', () => {
  const directory = {
    users: { u1: { userPrincipalName: 'u1@contoso.com' }, u2: { userPrincipalName: 'u2@contoso.com' } },
    groups: { g: { displayName: 'displayName', objectId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159', members: ['u1'] } },
    assignments: ['g'],
  };

  /** The group provisioned with u1 (`f648f8d5ea4e4cd38e9c`), u2 provisioned too but not a member; traffic forgotten. */
  async function groupProvisioned(settings: Record<string, unknown> = {}): Promise<EntraRig> {
    rig = answerProbes(new EntraRig({ settings: { ...settings, scope: 'all' }, directory }));
    rig.on('GET', /^\/Users\?filter=/, LIST_EMPTY).once('POST', '/Users', created('f648f8d5ea4e4cd38e9c')).on('POST', '/Users', created('7f4bc1a3-285e-48ae-8202-5accb43efb0e'));
    rig.on('GET', /^\/Groups\?excludedAttributes=members&filter=displayName\+eq\+%22displayName%22$/, LIST_EMPTY).on('POST', '/Groups', created('1879db59'));
    rig.on('PATCH', '/Groups/1879db59', { status: 204 }).on('GET', '/Groups/1879db59?excludedAttributes=members', { status: 200, body: { id: '1879db59', displayName: 'displayName', externalId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159' } });
    rig.on('GET', /^\/Users\/[^?]+$/, (sent) => ({ status: 200, body: { id: sent.path.slice(7), active: true } })).on('PATCH', /^\/Users\//, { status: 204 });
    rig.on('DELETE', '/Groups/1879db59', { status: 204 });
    await rig.perform('cycle', 'initial');
    return rig;
  }

  it('§7.1, §7.2, §7.4: lookup with excludedAttributes=members, the documented POST (empty), then members added by PATCH with "$ref": null', async () => {
    await groupProvisioned();
    const groupTraffic = rig.sent.filter((s) => s.path.startsWith('/Groups') && !/[0-9a-f]{8}-[0-9a-f]{4}-4/.test(s.path));
    expect(groupTraffic.map((s) => `${s.method} ${s.path}`)).toEqual([
      'GET /Groups?excludedAttributes=members&filter=displayName+eq+%22displayName%22',
      'POST /Groups',
      'PATCH /Groups/1879db59',
    ]);
    expect(groupTraffic[1]!.body).toBe(
      compact(`{
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group","http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"],
        "externalId": "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159",
        "displayName": "displayName",
        "meta": {"resourceType": "Group"}
      }`),
    );
    expect(groupTraffic[2]!.body).toBe(compact('{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Add","path":"members","value":[{"$ref":null,"value":"f648f8d5ea4e4cd38e9c"}]}]}'));
  });

  it('§7.2, §12 (unverified currency): adscimGroupSchema: false sends only the core Group schema', async () => {
    await groupProvisioned({ adscimGroupSchema: false });
    expect(JSON.parse(rig.sent.find((s) => s.method === 'POST' && s.path === '/Groups')!.body!).schemas).toEqual(['urn:ietf:params:scim:schemas:core:2.0:Group']);
  });

  it('§7.3: rename by Replace displayName; §7.1: the linked group is read by id without members', async () => {
    await groupProvisioned();
    rig.clear();
    await rig.perform('update', { group: 'g', set: { displayName: '1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName' } });
    await rig.perform('advance', '40m');
    expect(rig.lines().slice(2)).toEqual(['GET /Groups/1879db59?excludedAttributes=members', 'PATCH /Groups/1879db59']);
    expect(rig.writes()[0]!.body).toBe(
      compact('{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Replace","path":"displayName","value":"1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName"}]}'),
    );
  });

  it('§7.5: legacy member removal is a value array on path members (SCIM-COMPAT, without $ref when memberRefNull: false)', async () => {
    await groupProvisioned({ memberRefNull: false });
    await rig.perform('remove-member', { group: 'g', user: 'u1' });
    rig.clear();
    await rig.perform('advance', '40m');
    const groupPatch = rig.writes().find((w) => w.path === '/Groups/1879db59')!;
    expect(groupPatch.body).toBe(compact('{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Remove","path":"members","value":[{"value":"f648f8d5ea4e4cd38e9c"}]}]}'));
  });

  it('§7.4–§7.5 with the flag: add without $ref, remove by members[value eq "…"] (SCIM-COMPAT)', async () => {
    await groupProvisioned({ flags: ['aadOptscim062020'] });
    expect(rig.writes().find((w) => w.path === '/Groups/1879db59')!.body).toBe(
      compact('{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"add","path":"members","value":[{"value":"f648f8d5ea4e4cd38e9c"}]}]}'),
    );
    await rig.perform('add-member', { group: 'g', user: 'u2' });
    await rig.perform('advance', '40m');
    await rig.perform('remove-member', { group: 'g', user: 'u2' });
    rig.clear();
    await rig.perform('advance', '40m');
    expect(rig.writes().find((w) => w.path === '/Groups/1879db59')!.body).toBe(
      compact('{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"remove","path":"members[value eq \\"7f4bc1a3-285e-48ae-8202-5accb43efb0e\\"]"}]}'),
    );
  });

  it('§7.4, §12 (unverified): memberBatchSize splits member changes across PATCHes', () => {
    const ids = ['a', 'b', 'c', 'd', 'e'];
    expect(wire.addMembers('g1', ids, LEGACY, 20)).toHaveLength(1);
    const split = wire.addMembers('g1', ids, LEGACY, 2);
    expect(split.map((r) => (r.body!.Operations as { value: unknown[] }[])[0]!.value.length)).toEqual([2, 2, 1]);
  });

  it('§7.6: a deleted group gets DELETE /Groups/{id}; §12: so does one leaving scope, unless deleteGroupsOnScopeExit: false', async () => {
    await groupProvisioned();
    rig.clear();
    await rig.perform('hard-delete', { group: 'g' });
    await rig.perform('advance', '40m');
    expect(rig.writes().map((w) => `${w.method} ${w.path}`)).toEqual(['DELETE /Groups/1879db59']);
    for (const deleteGroupsOnScopeExit of [true, false]) {
      rig = answerProbes(new EntraRig({ settings: { deleteGroupsOnScopeExit }, directory }));
      rig.on('GET', /^\/Users\?filter=/, LIST_EMPTY).on('POST', '/Users', created('u')).on('GET', /^\/Groups\?excl/, LIST_EMPTY).on('POST', '/Groups', created('g9'));
      rig.on('PATCH', /./, { status: 204 }).on('GET', '/Users/u', { status: 200, body: { id: 'u', active: true } }).on('DELETE', '/Groups/g9', { status: 204 });
      await rig.perform('cycle', 'initial');
      await rig.perform('unassign', 'g');
      rig.clear();
      await rig.perform('advance', '40m');
      expect(rig.writes().map((w) => `${w.method} ${w.path}`)).toEqual(deleteGroupsOnScopeExit ? ['PATCH /Users/u', 'DELETE /Groups/g9'] : ['PATCH /Users/u']);
      await rig.close();
    }
  });
});
