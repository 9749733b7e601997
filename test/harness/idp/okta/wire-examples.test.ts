import { afterEach, describe, expect, it } from 'vitest';
import { Redactor } from '../../../../harness/http/redact.js';
import { ScimClient } from '../../../../harness/http/client.js';
import { Transcript } from '../../../../harness/http/transcript.js';
import { VirtualClock } from '../../../../harness/idp/clock.js';
import { Task } from '../../../../harness/idp/okta/transport.js';
import * as wire from '../../../../harness/idp/okta/wire.js';
import { MockAgent } from 'undici';
import { BASE, compact, created, LIST_EMPTY, list, OktaRig, ORIGIN, TOKEN, type Sent } from './rig.js';

/**
 * Every request example of docs/reference/okta.md that is not marked UNVERIFIED, as the simulator
 * sends it: method, path with its encoded query, headers, and the body text with its key order.
 */

const USER_ID = '23a35c27-23d3-4c03-b4c5-6443c09e7173';
const OKTA_USER_ID = '00use6vjvehodmsQb4x6';
const GROUP_ID = 'abf4dd94-a4c0-4f67-89c9-76b03340cb9b';
const OKTA_HEADERS = {
  accept: 'application/scim+json',
  'accept-charset': 'utf-8',
  'accept-encoding': 'gzip,deflate',
  'user-agent': 'Okta SCIM Client 1.0.0',
  authorization: `Bearer ${TOKEN}`,
};

let rig: OktaRig;
afterEach(async () => rig?.close());

const testUser = { login: 'test.user@okta.local', firstName: 'Test', middleName: 'Excited', lastName: 'User' };

/** The user as a server keeps it, in the shape of Okta ref §5.1's PUT. */
const serverUser = (givenName: string, active = true) => ({
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
  id: USER_ID,
  userName: 'test.user@okta.local',
  name: { givenName, middleName: 'Excited', familyName: 'User' },
  emails: [{ primary: true, value: 'test.user@okta.local', type: 'work', display: 'test.user@okta.local' }],
  active,
  groups: [],
  meta: { resourceType: 'User' },
});

/** A rig with `test` provisioned as USER_ID, and the traffic so far forgotten. */
async function provisioned(settings: Record<string, unknown> = {}, groups?: Record<string, unknown>, user: Record<string, unknown> = testUser): Promise<OktaRig> {
  rig = new OktaRig({ settings, directory: { users: { test: user }, ...(groups && { groups }) } });
  rig.once('GET', /^\/Users\?filter=/, LIST_EMPTY).once('POST', '/Users', created(USER_ID));
  await rig.perform('assign', 'test');
  expect(rig.records()).toMatchObject([{ status: 'success' }]);
  rig.clear();
  return rig;
}

describe('Okta ref §2 transport', () => {
  it('§2.1: the lookup GET has Okta headers, no Content-Type, and the filter encoded with %20, %22, %40', async () => {
    rig = new OktaRig({ directory: { users: { jane: { login: 'jane.doe@example.com', firstName: 'Jane', lastName: 'Doe' } } } });
    rig.on('GET', /^\/Users\?filter=/, LIST_EMPTY).on('POST', '/Users', created('1'));
    await rig.perform('assign', 'jane');
    expect(rig.sent[0]!.method).toBe('GET');
    expect(rig.sent[0]!.path).toBe('/Users?filter=userName%20eq%20%22jane.doe%40example.com%22&startIndex=1&count=100');
    expect(rig.sent[0]!.headers).toEqual(OKTA_HEADERS);
    expect(rig.sent[0]!.body).toBeUndefined();
  });

  it('§2.1: a request with a body also carries Content-Type application/scim+json; charset=utf-8', async () => {
    rig = new OktaRig({ directory: { users: { jane: { login: 'jane.doe@example.com' } } } });
    rig.on('GET', /^\/Users\?filter=/, LIST_EMPTY).on('POST', '/Users', created('1'));
    await rig.perform('assign', 'jane');
    expect(rig.sent[1]!.headers).toEqual({ ...OKTA_HEADERS, 'content-type': 'application/scim+json; charset=utf-8' });
  });

  it('§2.3: the captured filter for obi-wan.kenobi@iamciam.dev, parameters in the order filter, startIndex, count', async () => {
    rig = new OktaRig({ directory: { users: { obi: { login: 'obi-wan.kenobi@iamciam.dev' } } } });
    rig.on('GET', /^\/Users\?filter=/, LIST_EMPTY).on('POST', '/Users', created('1'));
    await rig.perform('assign', 'obi');
    expect(rig.lines()[0]).toBe('GET /Users?filter=userName%20eq%20%22obi-wan.kenobi%40iamciam.dev%22&startIndex=1&count=100');
  });

  it('§2.3: the 2018–2019 form-encoded filter with filterSpaceEncoding "+"', async () => {
    rig = new OktaRig({ settings: { filterSpaceEncoding: '+' }, directory: { users: { jane: { login: 'jane.doe@example.com' } } } });
    rig.on('GET', /^\/Users\?filter=/, LIST_EMPTY).on('POST', '/Users', created('1'));
    await rig.perform('assign', 'jane');
    expect(rig.lines()[0]).toBe('GET /Users?filter=userName+eq+%22jane.doe%40example.com%22&startIndex=1&count=100');
  });
});

describe('Okta ref §3 Test API Credentials', () => {
  it('§3: GET /Users?startIndex=1&count=2, then /Groups?startIndex=1&count=100 with group import on', async () => {
    rig = new OktaRig({});
    rig.on('GET', /^\/(Users|Groups)\?/, LIST_EMPTY);
    await rig.perform('test-credentials');
    expect(rig.lines()).toEqual(['GET /Users?startIndex=1&count=2', 'GET /Groups?startIndex=1&count=100']);
    expect(rig.sent[0]!.headers).toEqual(OKTA_HEADERS);
    expect(rig.records()).toEqual([{ check: 'test-api-credentials', status: 'success' }]);
  });

  it.each([
    ['testConnectionChecksGroups: false', { testConnectionChecksGroups: false }],
    ['group import and push off (S14)', { provisioningFeatures: { importGroups: false, pushGroups: false } }],
  ])('§3: only the /Users call with %s (UNVERIFIED for 2.0)', async (_, settings) => {
    rig = new OktaRig({ settings });
    rig.on('GET', /^\/(Users|Groups)\?/, LIST_EMPTY);
    await rig.perform('test-credentials');
    expect(rig.lines()).toEqual(['GET /Users?startIndex=1&count=2']);
  });

  /** A target that accepts only the run's token. */
  const refusing = (sent: Sent) =>
    sent.headers.authorization === `Bearer ${TOKEN}` ? LIST_EMPTY : { status: 401, body: { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], detail: 'Invalid SCIM token', status: 401 } };

  it.each(['oin', 'aiw'])('§3: a key the target refuses (secretToken, %s) fails the test with the dialog text, and nothing more is sent', async (variant) => {
    rig = new OktaRig({ settings: { variant, secretToken: 'not-the-key' } });
    rig.on('GET', /^\/(Users|Groups)\?/, refusing);
    await rig.perform('test-credentials');
    expect(rig.lines()).toEqual(['GET /Users?startIndex=1&count=2']);
    expect(rig.sent[0]!.headers.authorization).toBe('Bearer not-the-key');
    expect(rig.records()).toEqual([
      {
        check: 'test-api-credentials',
        status: 'failure',
        message:
          'Error authenticating: Unauthorized. The connector configuration could not be tested. Make sure that the URL, Authentication Parameters are correct and that there is an implementation available at the URL provided.',
      },
    ]);
    const recorded = Object.entries(rig.transcript.exchanges[0]!.request.headers).find(([name]) => name.toLowerCase() === 'authorization');
    expect(recorded?.[1]).toBe('Bearer [redacted]');
    expect(JSON.stringify(rig.transcript.exchanges)).not.toContain('not-the-key');
  });

  it('§12: a task that meets the refused key fails with the 401 text of S18', async () => {
    rig = new OktaRig({ settings: { secretToken: 'not-the-key' }, directory: { users: { ada: { login: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace' } } } });
    rig.on('GET', /^\/Users\?/, refusing);
    await rig.perform('assign', 'ada');
    expect(rig.lines().map((l) => l.split('?')[0])).toEqual(['GET /Users']);
    expect(rig.records()).toEqual([
      {
        eventType: 'application.provision.user.push',
        user: 'ada',
        status: 'failure',
        message:
          'Automatic provisioning of user Ada Lovelace to app SCIM 2.0 Test App failed: Error while verifying if user ada@example.com exists: Unauthorized. Errors reported by remote server: Invalid SCIM token',
      },
    ]);
  });
});

describe('Okta ref §4 create user', () => {
  it('§4.2: the POST body of the capture, key for key, with externalId the Okta user id and an 8-character password', async () => {
    rig = new OktaRig({
      directory: { users: { obi: { id: '00use6vjvehodmsQb4x6', login: 'obi-wan.kenobi@iamciam.dev', firstName: 'Obi-Wan', lastName: 'Kenobi' } } },
    });
    rig.on('GET', /^\/Users\?filter=/, LIST_EMPTY).on('POST', '/Users', created('1'));
    await rig.perform('assign', 'obi');
    const post = rig.sent[1]!;
    expect(`${post.method} ${post.path}`).toBe('POST /Users');
    const password = (JSON.parse(post.body!) as { password: string }).password;
    expect(password).toMatch(/^[A-Za-z0-9^&]{8}$/);
    const captured = `{
      "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
      "userName": "obi-wan.kenobi@iamciam.dev",
      "name": { "givenName": "Obi-Wan", "familyName": "Kenobi" },
      "emails": [{ "primary": true, "value": "obi-wan.kenobi@iamciam.dev", "type": "work" }],
      "displayName": "Obi-Wan Kenobi",
      "locale": "en-US",
      "externalId": "00use6vjvehodmsQb4x6",
      "groups": [],
      "password": "gl^m&qWZ",
      "active": true
    }`;
    expect(post.body).toBe(compact(captured).replace('gl^m&qWZ', password));
  });

  it('§4.2: enterprise attributes nested under their URN, which is added to schemas', async () => {
    rig = new OktaRig({ directory: { users: { jonah: { login: 'jonah@example.com', department: 'Sales' } } } });
    rig.on('GET', /^\/Users\?filter=/, LIST_EMPTY).on('POST', '/Users', created('1'));
    await rig.perform('assign', 'jonah');
    const body = JSON.parse(rig.sent[1]!.body!) as Record<string, unknown>;
    expect(body.schemas).toEqual(['urn:ietf:params:scim:schemas:core:2.0:User', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User']);
    expect(body['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User']).toEqual({ department: 'Sales' });
    expect(Object.keys(body).at(-1)).toBe('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User');
  });

  it('§4.2: the same scenario sends the same password and ids on every run; another seed, others', async () => {
    const posts: string[] = [];
    for (const seed of [undefined, undefined, 'other']) {
      rig = new OktaRig({ settings: seed ? { seed } : {}, directory: { users: { ada: { login: 'ada@example.com' } } } });
      rig.on('GET', /^\/Users\?filter=/, LIST_EMPTY).on('POST', '/Users', created('1'));
      await rig.perform('assign', 'ada');
      posts.push(rig.sent[1]!.body!);
      await rig.close();
    }
    expect(posts[0]).toBe(posts[1]);
    expect(posts[2]).not.toBe(posts[0]);
    expect(JSON.parse(posts[0]!).externalId).toMatch(/^00u[0-9A-Za-z]{17}$/);
  });

  it('§4.1: a 404 on the lookup counts as not found, and the POST follows', async () => {
    rig = new OktaRig({ directory: { users: { ada: { login: 'ada@example.com' } } } });
    rig.on('GET', /^\/Users\?filter=/, { status: 404, body: { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], detail: 'not found', status: 404 } });
    rig.on('POST', '/Users', created('1'));
    await rig.perform('assign', 'ada');
    expect(rig.lines().map((l) => l.split('?')[0])).toEqual(['GET /Users', 'POST /Users']);
    expect(rig.records()).toMatchObject([{ status: 'success' }]);
  });

  it('§4.1 2b, §13.6: a match links — GET, then a PUT of the server object with the profile — and never POSTs', async () => {
    rig = new OktaRig({ directory: { users: { test: { ...testUser, firstName: 'Another' } } } });
    rig.on('GET', /^\/Users\?filter=/, list([serverUser('Test')]));
    rig.on('GET', `/Users/${USER_ID}`, { status: 200, body: serverUser('Test') });
    rig.on('PUT', `/Users/${USER_ID}`, (sent) => ({ status: 200, body: sent.body }));
    await rig.perform('assign', 'test');
    expect(rig.lines()).toEqual([
      'GET /Users?filter=userName%20eq%20%22test.user%40okta.local%22&startIndex=1&count=100',
      `GET /Users/${USER_ID}`,
      `PUT /Users/${USER_ID}`,
    ]);
    const put = JSON.parse(rig.sent[2]!.body!) as Record<string, unknown>;
    expect(put).toMatchObject({ id: USER_ID, meta: { resourceType: 'User' }, name: { givenName: 'Another' }, active: true, displayName: 'Another User', locale: 'en-US' });
    expect(put.externalId).toMatch(/^00u/);
    expect(rig.records()).toEqual([{ eventType: 'application.provision.user.push', user: 'test', status: 'success', linked: true }]);
  });

  it('§4.1 2b, §13.22: an inactive match is re-activated with the path-less PATCH before the profile PUT (OIN)', async () => {
    rig = new OktaRig({ directory: { users: { test: testUser } } });
    rig.on('GET', /^\/Users\?filter=/, list([serverUser('Test', false)]));
    rig.on('GET', `/Users/${USER_ID}`, { status: 200, body: serverUser('Test', false) });
    rig.on('PATCH', `/Users/${USER_ID}`, { status: 204 });
    rig.on('PUT', `/Users/${USER_ID}`, (sent) => ({ status: 200, body: sent.body }));
    await rig.perform('assign', 'test');
    expect(rig.lines().slice(1)).toEqual([`GET /Users/${USER_ID}`, `PATCH /Users/${USER_ID}`, `PUT /Users/${USER_ID}`]);
    expect(rig.sent[2]!.body).toBe(compact('{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","value":{"active":true}}]}'));
    expect(JSON.parse(rig.sent[3]!.body!).active).toBe(true);
    expect(rig.records()).toMatchObject([{ status: 'success', linked: true, reactivated: true }]);
  });
});

describe('Okta ref §5 profile push', () => {
  it('§5.1: GET, then the PUT of the example — the server body with the change, its meta, groups and email display kept, and externalId (S13)', async () => {
    // The example's user has no displayName or locale mapped; S13's PUT adds Okta's externalId, which the example leaves out.
    await provisioned({}, undefined, { ...testUser, displayName: null, locale: null, id: OKTA_USER_ID });
    rig.on('GET', `/Users/${USER_ID}`, { status: 200, body: serverUser('Test') });
    rig.on('PUT', `/Users/${USER_ID}`, (sent) => ({ status: 200, body: sent.body }));
    await rig.perform('update', { user: 'test', set: { firstName: 'Another' } });
    expect(rig.lines()).toEqual([`GET /Users/${USER_ID}`, `PUT /Users/${USER_ID}`]);
    const example = `{
      "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
      "id": "23a35c27-23d3-4c03-b4c5-6443c09e7173",
      "userName": "test.user@okta.local",
      "name": { "givenName": "Another", "middleName": "Excited", "familyName": "User" },
      "emails": [{ "primary": true, "value": "test.user@okta.local", "type": "work", "display": "test.user@okta.local" }],
      "active": true,
      "groups": [],
      "meta": { "resourceType": "User" }
    }`;
    expect(rig.sent[1]!.body).toBe(JSON.stringify({ ...(JSON.parse(example) as object), externalId: OKTA_USER_ID }));
    expect(rig.sent[1]!.headers['content-type']).toBe('application/scim+json; charset=utf-8');
    expect(rig.records()).toEqual([{ eventType: 'application.provision.user.push_profile', user: 'test', status: 'success' }]);
  });

  it('§5.1: the PUT is the whole user, not the change alone: every mapped attribute, externalId and groups: [] over a copy that lacks them', async () => {
    await provisioned({}, undefined, { ...testUser, id: OKTA_USER_ID, title: 'Engineer' });
    rig.on('GET', `/Users/${USER_ID}`, { status: 200, body: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], id: USER_ID, userName: 'test.user@okta.local', meta: { resourceType: 'User' } } });
    rig.on('PUT', `/Users/${USER_ID}`, (sent) => ({ status: 200, body: sent.body }));
    await rig.perform('update', { user: 'test', set: { title: 'Dr' } });
    expect(JSON.parse(rig.sent[1]!.body!)).toEqual({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      id: USER_ID,
      userName: 'test.user@okta.local',
      meta: { resourceType: 'User' },
      name: { givenName: 'Test', middleName: 'Excited', familyName: 'User' },
      emails: [{ primary: true, value: 'test.user@okta.local', type: 'work' }],
      displayName: 'Test User',
      title: 'Dr',
      locale: 'en-US',
      externalId: OKTA_USER_ID,
      active: true,
      groups: [],
    });
  });

  it('§5.1, §13.4: active is always in the PUT, added when the server left it out', async () => {
    await provisioned();
    const { active: _, ...withoutActive } = serverUser('Test');
    rig.on('GET', `/Users/${USER_ID}`, { status: 200, body: withoutActive });
    rig.on('PUT', `/Users/${USER_ID}`, (sent) => ({ status: 200, body: sent.body }));
    await rig.perform('update', { user: 'test', set: { title: 'Engineer' } });
    const put = JSON.parse(rig.sent[1]!.body!) as Record<string, unknown>;
    expect(put.active).toBe(true);
    expect(put.title).toBe('Engineer');
  });

  it('§4.2: an attribute without a mapping is never sent, so changing it alone sends nothing', async () => {
    await provisioned();
    await rig.perform('update', { user: 'test', set: { favouriteColour: 'green' } });
    expect(rig.sent).toEqual([]);
    expect(rig.records()).toEqual([]);
  });
});

describe('Okta ref §6 deactivate', () => {
  it('§6.1: unassigning sends GET, then the path-less PATCH of the example', async () => {
    await provisioned();
    rig.on('GET', `/Users/${USER_ID}`, { status: 200, body: serverUser('Test') });
    rig.on('PATCH', `/Users/${USER_ID}`, { status: 204 });
    await rig.perform('unassign', 'test');
    expect(rig.lines()).toEqual([`GET /Users/${USER_ID}`, `PATCH /Users/${USER_ID}`]);
    expect(rig.sent[1]!.body).toBe(
      compact(`{
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [{ "op": "replace", "value": { "active": false } }]
      }`),
    );
    expect(rig.sent[1]!.headers).toEqual({ ...OKTA_HEADERS, 'content-type': 'application/scim+json; charset=utf-8' });
    expect(rig.records()).toEqual([{ eventType: 'application.provision.user.deactivate', user: 'test', status: 'success' }]);
  });

  it('§6.1: without the GET when getBeforeDeactivate is off (S11 captured only the PATCH)', async () => {
    await provisioned({ getBeforeDeactivate: false });
    rig.on('PATCH', `/Users/${USER_ID}`, { status: 200, body: serverUser('Test', false) });
    await rig.perform('unassign', 'test');
    expect(rig.lines()).toEqual([`PATCH /Users/${USER_ID}`]);
  });

  it('§6.2: AIW sends GET, then a PUT of the whole user with active false', async () => {
    await provisioned({ variant: 'aiw' });
    rig.on('GET', `/Users/${USER_ID}`, { status: 200, body: serverUser('Test') });
    rig.on('PUT', `/Users/${USER_ID}`, (sent) => ({ status: 200, body: sent.body }));
    await rig.perform('unassign', 'test');
    expect(rig.lines()).toEqual([`GET /Users/${USER_ID}`, `PUT /Users/${USER_ID}`]);
    expect(rig.sent[1]!.body).toBe(JSON.stringify({ ...serverUser('Test'), active: false }));
  });

  it('§13.1: no DELETE in the classic model, whatever the event', async () => {
    await provisioned();
    rig.on('GET', `/Users/${USER_ID}`, { status: 200, body: serverUser('Test') });
    rig.on('PATCH', `/Users/${USER_ID}`, { status: 204 });
    await rig.perform('delete', 'test');
    expect(rig.lines().every((l) => !l.startsWith('DELETE'))).toBe(true);
  });
});

describe('Okta ref §7 reactivate', () => {
  async function deactivatedThroughGroup(settings: Record<string, unknown>): Promise<void> {
    rig = new OktaRig({ settings, directory: { users: { test: testUser }, groups: { staff: { members: ['test'] } } } });
    rig.once('GET', /^\/Users\?filter=/, LIST_EMPTY).once('POST', '/Users', created(USER_ID));
    rig.on('GET', `/Users/${USER_ID}`, { status: 200, body: serverUser('Test') });
    rig.on('PATCH', `/Users/${USER_ID}`, { status: 204 });
    rig.on('PUT', `/Users/${USER_ID}`, (sent) => ({ status: 200, body: sent.body }));
    await rig.perform('assign', { group: 'staff' });
    await rig.perform('deactivate', 'test');
    rig.clear();
  }

  it('§7.1: GET, the PATCH with active true, then the profile PUT (OIN)', async () => {
    await deactivatedThroughGroup({});
    await rig.perform('reactivate', 'test');
    expect(rig.lines()).toEqual([`GET /Users/${USER_ID}`, `PATCH /Users/${USER_ID}`, `PUT /Users/${USER_ID}`]);
    expect(rig.sent[1]!.body).toBe(
      compact(`{ "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [{ "op": "replace", "value": { "active": true } }] }`),
    );
    expect(JSON.parse(rig.sent[2]!.body!).active).toBe(true);
    expect(rig.records()).toEqual([{ eventType: 'application.provision.user.reactivate', user: 'test', status: 'success' }]);
  });

  it('§7.2: GET, then one PUT with active true (AIW)', async () => {
    await deactivatedThroughGroup({ variant: 'aiw' });
    await rig.perform('reactivate', 'test');
    expect(rig.lines()).toEqual([`GET /Users/${USER_ID}`, `PUT /Users/${USER_ID}`]);
    expect(JSON.parse(rig.sent[1]!.body!)).toMatchObject({ id: USER_ID, active: true, meta: { resourceType: 'User' } });
  });
});

describe('Okta ref §9 imports', () => {
  const users = (from: number, n: number, inactiveEvery = 0) =>
    Array.from({ length: n }, (_, i) => ({ id: `u${from + i}`, userName: `u${from + i}@example.com`, active: !(inactiveEvery && (from + i) % inactiveEvery === 0) }));

  it('§9.1: startIndex 1, 101, 201 with count=100 until totalResults; inactive users are not imported', async () => {
    rig = new OktaRig({});
    rig.on('GET', /^\/Users\?startIndex=(\d+)&count=100$/, (sent) => {
      const start = Number(/startIndex=(\d+)/.exec(sent.path)![1]);
      return list(users(start, Math.min(100, 250 - start + 1), 10), 250, start);
    });
    await rig.perform('import-users');
    expect(rig.lines()).toEqual(['GET /Users?startIndex=1&count=100', 'GET /Users?startIndex=101&count=100', 'GET /Users?startIndex=201&count=100']);
    expect(rig.sent[0]!.headers).toEqual(OKTA_HEADERS);
    expect(rig.records()).toEqual([{ eventType: 'application.provision.user.import', status: 'success', scanned: 225, inactive: 25, pages: 3 }]);
  });

  it('§9.2: GET /Groups?startIndex=1&count=100, members counted from each group', async () => {
    rig = new OktaRig({});
    rig.on('GET', '/Groups?startIndex=1&count=100', list([{ id: 'g1', displayName: 'A', members: [{ value: 'u1' }, { value: 'u2' }] }, { id: 'g2', displayName: 'B' }]));
    await rig.perform('import-groups');
    expect(rig.lines()).toEqual(['GET /Groups?startIndex=1&count=100']);
    expect(rig.records()).toEqual([{ eventType: 'application.provision.group.import', status: 'success', groups: 2, memberships: 2, pages: 1 }]);
  });
});

describe('Okta ref §10 Group Push', () => {
  const engineers = { eng: { name: 'Test SCIMv2', members: ['test'] } };

  it('§10.1: Create Group — the displayName lookup, the POST with members [], the reconciliation PATCH, the PATCH add', async () => {
    await provisioned({}, engineers);
    rig.on('GET', /^\/Groups\?filter=/, LIST_EMPTY);
    rig.on('POST', '/Groups', (sent) => ({ status: 201, body: { id: GROUP_ID, ...JSON.parse(sent.body!), meta: { resourceType: 'Group' } } }));
    rig.on('PATCH', `/Groups/${GROUP_ID}`, { status: 204 });
    await rig.perform('push-group', { group: 'eng', match: 'create' });
    expect(rig.lines()).toEqual([
      'GET /Groups?filter=displayName%20eq%20%22Test%20SCIMv2%22&startIndex=1&count=100',
      'POST /Groups',
      `PATCH /Groups/${GROUP_ID}`,
      `PATCH /Groups/${GROUP_ID}`,
    ]);
    expect(rig.sent[1]!.body).toBe(compact('{ "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "displayName": "Test SCIMv2", "members": [] }'));
    expect(rig.sent[2]!.body).toBe(
      compact(`{ "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [{ "op": "replace", "value": { "id": "${GROUP_ID}", "displayName": "Test SCIMv2" } }] }`),
    );
    expect(rig.sent[3]!.body).toBe(
      compact(`{ "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [{ "op": "add", "path": "members", "value": [{ "value": "${USER_ID}", "display": "test.user@okta.local" }] }] }`),
    );
    expect(rig.records()).toEqual([{ eventType: 'application.provision.group_push.updated', group: 'eng', status: 'success' }]);
  });

  it('§10.1: AIW — POST, then GET and PUT of the whole group', async () => {
    await provisioned({ variant: 'aiw' }, engineers);
    rig.on('GET', /^\/Groups\?filter=/, LIST_EMPTY);
    rig.on('POST', '/Groups', { status: 201, body: { id: GROUP_ID, displayName: 'Test SCIMv2' } });
    rig.on('GET', `/Groups/${GROUP_ID}`, { status: 200, body: { id: GROUP_ID, displayName: 'Test SCIMv2', members: [] } });
    rig.on('PUT', `/Groups/${GROUP_ID}`, { status: 200, body: { id: GROUP_ID } });
    await rig.perform('push-group', 'eng');
    expect(rig.lines().slice(1)).toEqual(['POST /Groups', `GET /Groups/${GROUP_ID}`, `PUT /Groups/${GROUP_ID}`]);
  });

  it('§10.3: the membership PATCH of the example — removes first, one per member by value filter, one add with value and display', async () => {
    const agent = new MockAgent();
    agent.disableNetConnect();
    const seen: Sent[] = [];
    agent
      .get(ORIGIN)
      .intercept({ path: () => true, method: () => true })
      .reply((options) => {
        seen.push({ method: options.method, path: options.path, headers: options.headers as Record<string, string>, body: options.body as string });
        return { statusCode: 204, data: '' };
      });
    const client = new ScimClient({ baseUrl: BASE, credentials: { kind: 'bearer', token: TOKEN }, dispatcher: agent, redactor: new Redactor() });
    const task = new Task({ client, transcript: new Transcript(), step: 0, report: () => {} }, new VirtualClock(), { timeoutSeconds: 60, retryServerErrors: false, retryWaits: 'double' });
    const [request] = wire.changeMembers(GROUP_ID, ['89bb1940-b905-4575-9e7f-6f887cfb368e', 'removeUser2'], [{ value: USER_ID, display: 'test.user@okta.local' }], 100);
    await task.send(request!);
    expect(seen[0]!.path).toBe(`/scim/v2/Groups/${GROUP_ID}`);
    expect(seen[0]!.body).toBe(
      compact(`{
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [
          { "op": "remove", "path": "members[value eq \\"89bb1940-b905-4575-9e7f-6f887cfb368e\\"]" },
          { "op": "remove", "path": "members[value eq \\"removeUser2\\"]" },
          { "op": "add", "path": "members",
            "value": [ { "value": "23a35c27-23d3-4c03-b4c5-6443c09e7173", "display": "test.user@okta.local" } ] }
        ]
      }`),
    );
    // Names as undici is given them, in Okta's casing (test/harness/wire-capture.test.ts checks the casing and order).
    const named = Object.fromEntries(Object.entries(seen[0]!.headers).map(([name, value]) => [name.toLowerCase(), value]));
    expect(named).toMatchObject({ ...OKTA_HEADERS, 'content-type': 'application/scim+json; charset=utf-8' });
    await client.close();
    await agent.close();
  });

  async function pushed(settings: Record<string, unknown> = {}): Promise<void> {
    await provisioned({ groupRenameOnMembershipUpdate: false, ...settings }, engineers);
    rig.once('GET', /^\/Groups\?filter=/, LIST_EMPTY);
    rig.once('POST', '/Groups', { status: 201, body: { id: GROUP_ID, displayName: 'Test SCIMv2' } });
    rig.on('PATCH', `/Groups/${GROUP_ID}`, { status: 204 });
    rig.on('GET', `/Groups/${GROUP_ID}`, { status: 200, body: { id: GROUP_ID, displayName: 'Test SCIMv2' } });
    rig.on('PUT', `/Groups/${GROUP_ID}`, { status: 200, body: { id: GROUP_ID } });
    await rig.perform('push-group', 'eng');
    rig.clear();
  }

  it('§10.3, §13.10: Push Now is a replace of all members, and [] for an empty group', async () => {
    await pushed();
    await rig.perform('push-now', 'eng');
    await rig.perform('remove-member', { group: 'eng', user: 'test' });
    await rig.perform('push-now', 'eng');
    const bodies = rig.sent.map((s) => s.body);
    expect(bodies[0]).toBe(
      compact(`{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations":[{"op":"replace","path":"members","value":[{"value":"${USER_ID}","display":"test.user@okta.local"}]}]}`),
    );
    expect(bodies[2]).toBe(compact('{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"members","value":[]}]}'));
    expect(rig.records().map((r) => r.eventType)).toEqual([
      'application.provision.group_push.push_memberships',
      'application.provision.group_push.updated',
      'application.provision.group_push.push_memberships',
    ]);
  });

  it('§10.3: AIW sends the whole group as in the example: schemas, id, displayName, members with value and display', async () => {
    await pushed({ variant: 'aiw' });
    await rig.perform('push-now', 'eng');
    expect(rig.lines()).toEqual([`GET /Groups/${GROUP_ID}`, `PUT /Groups/${GROUP_ID}`]);
    expect(rig.sent[1]!.body).toBe(
      compact(`{ "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "id": "${GROUP_ID}", "displayName": "Test SCIMv2",
        "members": [ { "value": "${USER_ID}", "display": "test.user@okta.local" } ] }`),
    );
  });

  it('§10.4: a rename is the path-less replace of the example, with id inside value', async () => {
    await pushed();
    await rig.perform('rename-group', { group: 'eng', name: 'Test SCIMv2' });
    expect(rig.lines()).toEqual([`PATCH /Groups/${GROUP_ID}`]);
    expect(rig.sent[0]!.body).toBe(
      compact(`{ "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [{ "op": "replace", "value": { "id": "abf4dd94-a4c0-4f67-89c9-76b03340cb9b", "displayName": "Test SCIMv2" } }] }`),
    );
    expect(rig.records()).toEqual([{ eventType: 'application.provision.group_push.updated', group: 'eng', status: 'success' }]);
  });

  it('§10.4: AIW renames with GET and PUT; nothing is sent with "Rename app groups" off', async () => {
    await pushed({ variant: 'aiw' });
    await rig.perform('rename-group', { group: 'eng', name: 'Renamed' });
    expect(rig.lines()).toEqual([`GET /Groups/${GROUP_ID}`, `PUT /Groups/${GROUP_ID}`]);
    expect(JSON.parse(rig.sent[1]!.body!).displayName).toBe('Renamed');
    await rig.close();
    await pushed({ renameAppGroups: false });
    await rig.perform('rename-group', { group: 'eng', name: 'Renamed' });
    expect(rig.sent).toEqual([]);
  });

  it('§10.5: unlink with "Delete the group in the target app" sends DELETE; "Leave the group" sends nothing', async () => {
    await pushed();
    rig.on('DELETE', `/Groups/${GROUP_ID}`, { status: 204 });
    await rig.perform('unlink-group', { group: 'eng', delete: true });
    expect(rig.lines()).toEqual([`DELETE /Groups/${GROUP_ID}`]);
    expect(rig.sent[0]!.headers).toEqual(OKTA_HEADERS);
    expect(rig.records()).toEqual([{ eventType: 'application.provision.group_push.removed', group: 'eng', status: 'success' }]);
    await rig.close();
    await pushed();
    await rig.perform('unlink-group', { group: 'eng', delete: false });
    expect(rig.sent).toEqual([]);
    expect(rig.records()).toEqual([]);
  });
});
