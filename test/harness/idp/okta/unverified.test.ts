import { afterEach, describe, expect, it } from 'vitest';
import { created, LIST_EMPTY, list, OktaRig, type Answer } from './rig.js';

/**
 * Every behaviour docs/reference/okta.md marks UNVERIFIED is a setting: each is exercised with its default
 * and with the other choice.
 */

const USER = { login: 'ada@example.com', email: 'ada.lovelace@example.com', firstName: 'Ada', lastName: 'Lovelace', title: 'Countess', password: 'Okta-Pa55' };
const SERVER = { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], id: 'u1', userName: 'ada@example.com', title: 'Countess', active: true, meta: { resourceType: 'User' } };
const echo = (status: number) => (sent: { body?: string }): Answer => ({ status, body: sent.body });

let rig: OktaRig;
afterEach(async () => rig?.close());

/** A rig whose target keeps `ada` as u1 and accepts everything; ada is provisioned and the traffic forgotten. */
async function provisioned(settings: Record<string, unknown>, groups?: Record<string, unknown>): Promise<OktaRig> {
  rig = new OktaRig({ settings, directory: { users: { ada: USER, bob: { login: 'bob@example.com' }, cy: { login: 'cy@example.com' } }, ...(groups && { groups }) } });
  rig.on('GET', /^\/Users\?filter=.*ada/, LIST_EMPTY).on('POST', '/Users', created('u1'));
  rig.on('GET', '/Users/u1', { status: 200, body: SERVER }).on('PUT', '/Users/u1', echo(200)).on('PATCH', '/Users/u1', { status: 204 }).on('DELETE', '/Users/u1', { status: 204 });
  await rig.perform('assign', 'ada');
  expect(rig.records()).toMatchObject([{ status: 'success' }]);
  return rig;
}

const bodyOf = (i: number) => JSON.parse(rig.sent[i]!.body!) as Record<string, unknown>;

describe('userUpdateMethod (Okta ref §1)', () => {
  it('PUT by default: GET, then the whole user', async () => {
    await provisioned({});
    rig.clear();
    await rig.perform('update', { user: 'ada', set: { title: 'Analyst' } });
    expect(rig.lines()).toEqual(['GET /Users/u1', 'PUT /Users/u1']);
  });

  it("PATCH: GET (the PATCH flow diagram, S10), then one path-less replace of the changed values only; a cleared one is left out", async () => {
    await provisioned({ userUpdateMethod: 'PATCH' });
    rig.clear();
    await rig.perform('update', { user: 'ada', set: { firstName: 'Augusta', title: null, department: 'Maths' } });
    expect(rig.lines()).toEqual(['GET /Users/u1', 'PATCH /Users/u1']);
    expect(bodyOf(1)).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'replace', value: { name: { givenName: 'Augusta' }, 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { department: 'Maths' } } }],
    });
    rig.clear();
    await rig.perform('update', { user: 'ada', set: { department: null } });
    expect(rig.sent).toEqual([]);
  });

  it('PATCH with clearedAttribute null: the cleared attribute is null in the replace, never a remove', async () => {
    await provisioned({ userUpdateMethod: 'PATCH', clearedAttribute: 'null' });
    rig.clear();
    await rig.perform('update', { user: 'ada', set: { title: null } });
    expect(bodyOf(1)).toEqual({ schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', value: { title: null } }] });
  });
});

describe('clearedAttribute (Okta ref §5.1)', () => {
  it.each([
    ['omit', (put: Record<string, unknown>) => expect('title' in put).toBe(false)],
    ['null', (put: Record<string, unknown>) => expect(put.title).toBeNull()],
    ['empty-string', (put: Record<string, unknown>) => expect(put.title).toBe('')],
  ])('%s', async (clearedAttribute, check) => {
    await provisioned({ clearedAttribute });
    rig.clear();
    await rig.perform('update', { user: 'ada', set: { title: null } });
    check(bodyOf(1));
  });
});

describe('lookupAttribute (Okta ref §4.1)', () => {
  it.each([
    ['userName', 'userName%20eq%20%22ada%40example.com%22'],
    ['emails', 'emails%20eq%20%22ada.lovelace%40example.com%22'],
    ['externalId', 'externalId%20eq%20%2200u'],
  ])('%s', async (lookupAttribute, filter) => {
    rig = new OktaRig({ settings: { lookupAttribute }, directory: { users: { ada: USER } } });
    rig.on('GET', /^\/Users\?filter=/, LIST_EMPTY).on('POST', '/Users', created('u1'));
    await rig.perform('assign', 'ada');
    expect(rig.sent[0]!.path.startsWith(`/Users?filter=${filter}`)).toBe(true);
  });

  it('appUsernameFormat email: userName and the lookup are the email', async () => {
    rig = new OktaRig({ settings: { appUsernameFormat: 'email' }, directory: { users: { ada: USER } } });
    rig.on('GET', /^\/Users\?filter=/, LIST_EMPTY).on('POST', '/Users', created('u1'));
    await rig.perform('assign', 'ada');
    expect(rig.sent[0]!.path).toContain('ada.lovelace%40example.com');
    expect(bodyOf(1).userName).toBe('ada.lovelace@example.com');
  });
});

describe('passwords (Okta ref §4.2, §5.1, §8)', () => {
  it('the create placeholder is random by default; syncOktaPassword sends the Okta password; sendPasswordOnCreate off sends none', async () => {
    await provisioned({});
    expect(bodyOf(1).password).not.toBe('Okta-Pa55');
    await rig.close();
    await provisioned({ syncOktaPassword: true, provisioningFeatures: { syncPassword: true } });
    expect(bodyOf(1).password).toBe('Okta-Pa55');
    await rig.close();
    await provisioned({ sendPasswordOnCreate: false });
    expect('password' in bodyOf(1)).toBe(false);
  });

  it.each([
    ['value-object', { op: 'replace', value: { password: 'N3w-pass' } }],
    ['path', { op: 'replace', path: 'password', value: 'N3w-pass' }],
  ])('passwordPatchShape %s: GET, then the PATCH', async (passwordPatchShape, operation) => {
    await provisioned({ passwordPatchShape, provisioningFeatures: { syncPassword: true } });
    rig.clear();
    await rig.perform('password', { user: 'ada', value: 'N3w-pass' });
    expect(rig.lines()).toEqual(['GET /Users/u1', 'PATCH /Users/u1']);
    expect(bodyOf(1).Operations).toEqual([operation]);
    expect(rig.records()).toEqual([{ eventType: 'application.provision.user.push_password', user: 'ada', status: 'success' }]);
  });

  it('AIW pushes the password with GET and PUT; without Sync Password nothing is sent', async () => {
    await provisioned({ variant: 'aiw', provisioningFeatures: { syncPassword: true } });
    rig.clear();
    await rig.perform('password', { user: 'ada', value: 'N3w-pass' });
    expect(rig.lines()).toEqual(['GET /Users/u1', 'PUT /Users/u1']);
    expect(bodyOf(1)).toMatchObject({ id: 'u1', password: 'N3w-pass', active: true });
    await rig.close();
    await provisioned({});
    rig.clear();
    await rig.perform('password', 'ada');
    expect(rig.sent).toEqual([]);
  });

  it('putIncludesPassword: the profile PUT carries the last password only when on, with Sync Password', async () => {
    await provisioned({ provisioningFeatures: { syncPassword: true } });
    rig.clear();
    await rig.perform('update', { user: 'ada', set: { title: 'Analyst' } });
    expect('password' in bodyOf(1)).toBe(false);
    await rig.close();
    await provisioned({ putIncludesPassword: true, provisioningFeatures: { syncPassword: true } });
    const placeholder = bodyOf(1).password;
    rig.clear();
    await rig.perform('update', { user: 'ada', set: { title: 'Analyst' } });
    expect(bodyOf(1).password).toBe(placeholder);
  });
});

describe('Group Push knobs (Okta ref §10)', () => {
  const groups = { g: { name: 'Sales', members: ['ada'] } };
  async function pushable(settings: Record<string, unknown>): Promise<void> {
    await provisioned(settings, groups);
    rig.on('GET', /^\/Groups\?filter=/, LIST_EMPTY).on('POST', '/Groups', { status: 201, body: { id: 'g1' } }).on('PATCH', '/Groups/g1', { status: 204 });
    rig.clear();
  }
  const ops = () => rig.sent.filter((s) => s.method === 'PATCH').map((s) => (JSON.parse(s.body!) as { Operations: { op: string; path?: string }[] }).Operations);

  it('groupCreateIncludesMembers: the POST carries the members (2021 capture), still followed by the PATCH add', async () => {
    await pushable({ groupCreateIncludesMembers: true });
    await rig.perform('push-group', 'g');
    expect(bodyOf(1).members).toEqual([{ value: 'u1', display: 'ada@example.com' }]);
    expect(ops().map((o) => o.map((op) => op.op))).toEqual([['replace'], ['add']]);
  });

  it.each([
    ['link', ['GET /Groups', 'PATCH /Groups/g9', 'PATCH /Groups/g9'], { linked: true }],
    ['post', ['GET /Groups', 'POST /Groups', 'PATCH /Groups/g1', 'PATCH /Groups/g1'], {}],
  ])('groupCreateOnMatch %s: what Create Group does when its lookup finds the group', async (groupCreateOnMatch, lines, linked) => {
    await provisioned({ groupCreateOnMatch }, groups);
    rig.on('GET', /^\/Groups\?filter=/, list([{ id: 'g9', displayName: 'Sales' }])).on('POST', '/Groups', { status: 201, body: { id: 'g1' } });
    rig.on('PATCH', /^\/Groups\/g[19]$/, { status: 204 });
    rig.clear();
    await rig.perform('push-group', 'g');
    expect(rig.lines().map((l) => l.split('?')[0])).toEqual(lines);
    expect(rig.records().at(-1)).toEqual({ eventType: 'application.provision.group_push.updated', group: 'g', status: 'success', ...linked });
  });

  it('groupRenameOnMembershipUpdate: the reconciliation PATCH comes first, or not at all', async () => {
    await pushable({});
    await rig.perform('push-group', 'g');
    await rig.perform('remove-member', { group: 'g', user: 'ada' });
    expect(ops().map((o) => o.map((op) => op.op))).toEqual([['replace'], ['add'], ['replace'], ['remove']]);
    await rig.close();
    await pushable({ groupRenameOnMembershipUpdate: false });
    await rig.perform('push-group', 'g');
    await rig.perform('remove-member', { group: 'g', user: 'ada' });
    expect(ops().map((o) => o.map((op) => op.op))).toEqual([['add'], ['remove']]);
  });

  it('groupPatchBatchSize: at most that many changes per PATCH', async () => {
    rig = new OktaRig({
      settings: { groupPatchBatchSize: 2, groupRenameOnMembershipUpdate: false },
      directory: { users: { a: { login: 'a@x.io' }, b: { login: 'b@x.io' }, c: { login: 'c@x.io' } }, groups: { g: { members: ['a', 'b', 'c'] } } },
    });
    let n = 0;
    rig.on('GET', /^\/Users\?filter=/, LIST_EMPTY).on('POST', '/Users', (sent) => created(`u${++n}`)(sent));
    rig.on('GET', /^\/Groups\?filter=/, LIST_EMPTY).on('POST', '/Groups', { status: 201, body: { id: 'g1' } }).on('PATCH', '/Groups/g1', { status: 204 });
    await rig.perform('assign', { group: 'g' });
    await rig.perform('push-group', 'g');
    expect(ops()).toEqual([
      [{ op: 'add', path: 'members', value: [{ value: 'u1', display: 'a@x.io' }, { value: 'u2', display: 'b@x.io' }] }],
      [{ op: 'add', path: 'members', value: [{ value: 'u3', display: 'c@x.io' }] }],
    ]);
  });

  it('fullPushUsesReplace off: Push Now adds the members instead', async () => {
    await pushable({ fullPushUsesReplace: false, groupRenameOnMembershipUpdate: false });
    await rig.perform('push-group', 'g');
    rig.clear();
    await rig.perform('push-now', 'g');
    expect(ops()).toEqual([[{ op: 'add', path: 'members', value: [{ value: 'u1', display: 'ada@example.com' }] }]]);
  });

  it('pathlessMembersReplace: Push Now as a path-less replace with value { members }', async () => {
    await pushable({ pathlessMembersReplace: true, groupRenameOnMembershipUpdate: false });
    await rig.perform('push-group', 'g');
    rig.clear();
    await rig.perform('push-now', 'g');
    expect(ops()).toEqual([[{ op: 'replace', value: { members: [{ value: 'u1', display: 'ada@example.com' }] } }]]);
  });
});

describe('granularDeprovisioningDelete (Okta ref §10.5)', () => {
  it('off: deactivation; on: DELETE /Users/{id} with the user.delete event', async () => {
    await provisioned({});
    rig.clear();
    await rig.perform('unassign', 'ada');
    expect(rig.lines()).toEqual(['GET /Users/u1', 'PATCH /Users/u1']);
    await rig.close();
    await provisioned({ granularDeprovisioningDelete: true });
    rig.clear();
    await rig.perform('unassign', 'ada');
    expect(rig.lines()).toEqual(['DELETE /Users/u1']);
    expect(rig.records()).toEqual([{ eventType: 'application.provision.user.delete', user: 'ada', status: 'success' }]);
  });
});

describe('imports (Okta ref §9.1, §2.4)', () => {
  /** A server that caps pages at 50 whatever count says, with 120 users. */
  const capped = (sent: { path: string }): Answer => {
    const start = Number(/startIndex=(\d+)/.exec(sent.path)![1]);
    const resources = Array.from({ length: Math.max(0, Math.min(50, 120 - start + 1)) }, (_, i) => ({ id: `u${start + i}`, active: true }));
    return list(resources, 120, start);
  };

  it('importAdvance count (default): startIndex moves by 100, so a server capping pages at 50 has users skipped', async () => {
    rig = new OktaRig({});
    rig.on('GET', /^\/Users\?startIndex=/, capped);
    await rig.perform('import-users');
    expect(rig.lines()).toEqual(['GET /Users?startIndex=1&count=100', 'GET /Users?startIndex=101&count=100']);
    expect(rig.records()).toMatchObject([{ status: 'success', scanned: 70 }]);
  });

  it('importAdvance itemsPerPage: startIndex moves by what each page holds', async () => {
    rig = new OktaRig({ settings: { importAdvance: 'itemsPerPage' } });
    rig.on('GET', /^\/Users\?startIndex=/, capped);
    await rig.perform('import-users');
    expect(rig.lines().map((l) => /startIndex=(\d+)/.exec(l)![1])).toEqual(['1', '51', '101']);
    expect(rig.records()).toMatchObject([{ status: 'success', scanned: 120 }]);
  });

  it('pageSize sets count and the step', async () => {
    rig = new OktaRig({ settings: { pageSize: 50 } });
    rig.on('GET', /^\/Users\?startIndex=/, capped);
    await rig.perform('import-users');
    expect(rig.lines()).toEqual(['GET /Users?startIndex=1&count=50', 'GET /Users?startIndex=51&count=50', 'GET /Users?startIndex=101&count=50']);
  });

  const lowerCase = { status: 200, body: { totalresults: 1, itemsperpage: 1, startindex: 1, resources: [{ id: 'u7', userName: 'ada@example.com', active: true }] } };

  it('listKeysIgnoreCase (default): lower-case list keys are read like the RFC ones', async () => {
    rig = new OktaRig({ settings: { provisioningFeatures: { updateUserAttributes: false } }, directory: { users: { ada: USER } } });
    rig.on('GET', /^\/Users\?filter=/, lowerCase).on('GET', /^\/Users\?startIndex=/, lowerCase);
    await rig.perform('assign', 'ada');
    await rig.perform('import-users');
    expect(rig.records()).toMatchObject([{ linked: true }, { status: 'success', scanned: 1 }]);
  });

  it('listKeysIgnoreCase off: they are not, so the lookup misses and the import has no totalResults', async () => {
    rig = new OktaRig({ settings: { listKeysIgnoreCase: false }, directory: { users: { ada: USER } } });
    rig.on('GET', /^\/Users\?filter=/, lowerCase).on('GET', /^\/Users\?startIndex=/, lowerCase).on('POST', '/Users', created('u1'));
    await rig.perform('assign', 'ada');
    await rig.perform('import-users');
    expect(rig.lines()[1]).toBe('POST /Users');
    expect(rig.records()[1]).toEqual({
      eventType: 'application.provision.user.import',
      status: 'failure',
      message: 'Import of users from app SCIM 2.0 Test App failed: the ListResponse for startIndex=1 has no integer totalResults',
    });
  });
});

describe('extendedMappings (Okta ref §4.2)', () => {
  const extras = { nickName: 'Ada', timezone: 'Europe/London', costCenter: 'CC1', managerId: 'm1' };
  it.each([
    [false, {}],
    [true, { nickName: 'Ada', timezone: 'Europe/London', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { costCenter: 'CC1', manager: { value: 'm1' } } }],
  ])('%s: the undocumented template mappings are sent only when on', async (extendedMappings, sent) => {
    rig = new OktaRig({ settings: { extendedMappings }, directory: { users: { ada: { ...USER, ...extras } } } });
    rig.on('GET', /^\/Users\?filter=/, LIST_EMPTY).on('POST', '/Users', created('u1'));
    await rig.perform('assign', 'ada');
    const post = bodyOf(1);
    expect(post).toMatchObject(sent);
    if (!extendedMappings) expect(Object.keys(post)).toEqual(['schemas', 'userName', 'name', 'emails', 'displayName', 'title', 'locale', 'externalId', 'groups', 'password', 'active']);
  });
});

describe('excludeUsernameUpdates (Okta ref §5.1)', () => {
  it('a login change is pushed as userName, unless excluded', async () => {
    await provisioned({});
    rig.clear();
    await rig.perform('update', { user: 'ada', set: { login: 'ada.l@example.com' } });
    expect(bodyOf(1).userName).toBe('ada.l@example.com');
    await rig.close();
    await provisioned({ excludeUsernameUpdates: true });
    rig.clear();
    await rig.perform('update', { user: 'ada', set: { login: 'ada.l@example.com' } });
    expect(rig.sent).toEqual([]);
  });
});
