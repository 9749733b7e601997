import { describe, expect, it } from 'vitest';
import { createReferenceServer } from '../../reference-server/app.js';
import { DEFAULT_RESOURCE_LIMITS, MAX_GROUP_NAME_BYTES, MAX_GROUPS_PER_USER, MAX_RESOURCE_BYTES, renderedBound } from '../../scim/resource-limits.js';
import { BASE, expectScimError, GROUP, ORIGIN, patchBody, testServer, USER, type Json } from './resource-helpers.js';

/**
 * A write that would make a resource larger than the server keeps, or one of its attributes
 * longer, is refused (RFC 7644 §3.12, 400 invalidValue), so that whatever is stored can still be
 * read (issue 20, finding 3).
 */

const BULK = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';

/** The most characters a rendering of a resource that repeats the base URL `references` times may take (README, Limits). */
const renderedAtMost = (references: number) => renderedBound(DEFAULT_RESOURCE_LIMITS).bytes + references * `${ORIGIN}${BASE}`.length;

const nameRefused = (bytes: number) =>
  `The group's displayName would take ${bytes} bytes, more than the ${MAX_GROUP_NAME_BYTES} this server allows, as every member's "groups" repeats it: give a shorter name`;
const joinRefused = (id: string) =>
  `User "${id}" is already in ${MAX_GROUPS_PER_USER} groups, the most this server lets one user be in: remove it from a group before adding it to another`;

/** The user's emails grown by one value of `size` characters. */
const addEmail = (i: number, size: number) => patchBody({ op: 'add', path: 'emails', value: [{ value: `${i}-${'e'.repeat(size)}@example.com`, type: 'other' }] });

describe('resource limits on write', () => {
  it(`refuses the PATCH add that would take a user past ${MAX_RESOURCE_BYTES} bytes, and the user is still read`, async () => {
    const s = testServer();
    const ada = await s.createUser('ada');
    let refused: Json | undefined;
    let added = 0;
    for (let i = 0; i < 20 && refused === undefined; i++) {
      const res = await s.patch(`/Users/${ada.id}`, addEmail(i, 600_000));
      if (res.statusCode === 200) added++;
      else refused = expectScimError(res, 400, 'invalidValue');
    }
    expect(added).toBe(6);
    expect(refused?.detail).toMatch(new RegExp(`^The User would take \\d+ bytes of JSON, more than the ${MAX_RESOURCE_BYTES} this server keeps for one resource$`));
    const read = await s.get(`/Users/${ada.id}`);
    expect(read.statusCode).toBe(200);
    expect(read.json().emails).toHaveLength(6);
    const listed = await s.list('/Users');
    expect(listed.statusCode).toBe(200);
    expect(listed.json().Resources[0].emails).toHaveLength(6);
    // Removing values makes room again.
    expect((await s.patch(`/Users/${ada.id}`, patchBody({ op: 'remove', path: 'emails[type eq "other"]' }))).statusCode).toBe(200);
    expect((await s.patch(`/Users/${ada.id}`, addEmail(99, 600_000))).statusCode).toBe(200);
  });

  it('refuses a PATCH add beyond the values one attribute keeps, naming the attribute and the limit', async () => {
    const s = testServer({ resources: { maxValues: 20 } });
    const ada = await s.createUser('ada');
    const ten = (from: number) => patchBody({ op: 'add', path: 'emails', value: Array.from({ length: 10 }, (_, i) => ({ value: `a${from + i}@example.com` })) });
    expect((await s.patch(`/Users/${ada.id}`, ten(0))).statusCode).toBe(200);
    expect((await s.patch(`/Users/${ada.id}`, ten(10))).statusCode).toBe(200);
    const body = expectScimError(await s.patch(`/Users/${ada.id}`, ten(20)), 400, 'invalidValue');
    expect(body.detail).toBe("Attribute 'emails' would hold 30 values, more than the 20 this server keeps in one attribute");
    expect((await s.get(`/Users/${ada.id}`)).json().emails).toHaveLength(20);
    const members = Array.from({ length: 21 }, () => ({ value: ada.id }));
    expectScimError(await s.post('/Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'G', members }), 400, 'invalidValue');
  });

  it('applies to POST, PUT and each operation of a Bulk request', async () => {
    const s = testServer({ resources: { maxBytes: 2_000 } });
    const big = 'b'.repeat(2_000);
    expect(expectScimError(await s.post('/Users', { schemas: [USER], userName: 'big', title: big }), 400, 'invalidValue').detail).toMatch(/more than the 2000 this server keeps/);
    const ada = await s.createUser('ada');
    expectScimError(await s.put(`/Users/${ada.id}`, { schemas: [USER], userName: 'ada', title: big }), 400, 'invalidValue');
    const bulk = await s.post('/Bulk', {
      schemas: [BULK],
      Operations: [
        { method: 'PATCH', path: `/Users/${ada.id}`, data: patchBody({ op: 'add', path: 'title', value: big }) },
        { method: 'PATCH', path: `/Users/${ada.id}`, data: patchBody({ op: 'add', path: 'title', value: 'Countess' }) },
      ],
    });
    expect(bulk.statusCode).toBe(200);
    expect(bulk.json().Operations.map((op: Json) => op.status)).toEqual(['400', '200']);
    expect((await s.get(`/Users/${ada.id}`)).json().title).toBe('Countess');
  });

  it('refuses limits that are not positive integers', () => {
    expect(() => createReferenceServer({ tokens: ['t'], resources: { maxBytes: 0 } })).toThrow(/resources.maxBytes must be a positive integer/);
    expect(() => createReferenceServer({ tokens: ['t'], resources: { maxValues: 2.5 } })).toThrow(/resources.maxValues must be a positive integer/);
  });
});

describe("what rendering adds: a user's groups and their names", () => {
  it(`keeps a user in groups with long names within the rendered bound: the group with the long name is refused, and reads keep working`, async () => {
    const s = testServer();
    const ada = await s.createUser('ada');
    // Ten names of a million characters, each POST under the 1 MiB body limit: together more than the bound.
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) {
      const res = await s.post('/Groups', { schemas: [GROUP], displayName: `${i}${'g'.repeat(1_000_000)}`, members: [{ value: ada.id }] });
      statuses.push(res.statusCode);
      if (res.statusCode !== 201) expect(expectScimError(res, 400, 'invalidValue').detail).toBe(nameRefused(1_000_001));
    }
    expect(statuses).toEqual(Array(10).fill(400));
    const read = await s.get(`/Users/${ada.id}`);
    expect(read.statusCode).toBe(200);
    expect(read.body.length).toBeLessThanOrEqual(renderedAtMost(1));
  });

  it(`refuses the membership that would put a user in more than ${MAX_GROUPS_PER_USER} groups, and a rename past ${MAX_GROUP_NAME_BYTES} bytes`, async () => {
    // On memory in every mode: 1,000 group creates take ~30 s on PostgreSQL under CI load (linear, ~30 ms each); the bound is the service's, the same on either store.
    const s = testServer({ store: 'memory' });
    const ada = await s.createUser('ada');
    const grace = await s.createUser('grace');
    // Each name as long as allowed, so that ada's `groups` is as large as it can be.
    const longest = (i: number) => `${i}`.padEnd(MAX_GROUP_NAME_BYTES, 'n');
    const groups: Json[] = [];
    for (let i = 0; i < MAX_GROUPS_PER_USER; i++) groups.push(await s.createGroup(longest(i), [ada.id]));
    const read = await s.get(`/Users/${ada.id}`);
    expect(read.json().groups).toHaveLength(MAX_GROUPS_PER_USER);
    expect(read.body.length).toBeLessThanOrEqual(renderedAtMost(1 + MAX_GROUPS_PER_USER));

    // One more group, by POST, PATCH or PUT, is refused.
    const refused = (res: Awaited<ReturnType<typeof s.get>>) => expect(expectScimError(res, 400, 'invalidValue').detail).toBe(joinRefused(ada.id));
    refused(await s.post('/Groups', { schemas: [GROUP], displayName: 'one more', members: [{ value: grace.id }, { value: ada.id }] }));
    const other = await s.createGroup('other', [grace.id]);
    refused(await s.patch(`/Groups/${other.id}`, patchBody({ op: 'add', path: 'members', value: [{ value: ada.id }] })));
    refused(await s.put(`/Groups/${other.id}`, { schemas: [GROUP], displayName: 'other', members: [{ value: ada.id }] }));
    expect((await s.get(`/Groups/${other.id}`)).json().members.map((m: Json) => m.value)).toEqual([grace.id]);

    // A group ada is in already may be written, her membership kept; a longer name is refused.
    const first = groups[0];
    expect((await s.put(`/Groups/${first.id}`, { schemas: [GROUP], displayName: longest(0), members: [{ value: ada.id }, { value: grace.id }] })).statusCode).toBe(200);
    const rename = await s.patch(`/Groups/${first.id}`, patchBody({ op: 'replace', path: 'displayName', value: `${longest(0)}n` }));
    expect(expectScimError(rename, 400, 'invalidValue').detail).toBe(nameRefused(MAX_GROUP_NAME_BYTES + 1));
    expect((await s.get(`/Users/${ada.id}`)).json().groups).toHaveLength(MAX_GROUPS_PER_USER);

    // Leaving a group makes room for another.
    expect((await s.patch(`/Groups/${first.id}`, patchBody({ op: 'remove', path: `members[value eq "${ada.id}"]` }))).statusCode).toBe(200);
    expect((await s.patch(`/Groups/${other.id}`, patchBody({ op: 'add', path: 'members', value: [{ value: ada.id }] }))).statusCode).toBe(200);
    expect((await s.list('/Users')).statusCode).toBe(200);
  });

  it('measures a name as JSON in UTF-8: escapes as written, characters by their bytes', async () => {
    const s = testServer();
    const create = (displayName: string) => s.post('/Groups', { schemas: [GROUP], displayName });
    expect((await create('é'.repeat(MAX_GROUP_NAME_BYTES / 2))).statusCode).toBe(201);
    expect(expectScimError(await create('è'.repeat(MAX_GROUP_NAME_BYTES / 2 + 1)), 400, 'invalidValue').detail).toBe(nameRefused(MAX_GROUP_NAME_BYTES + 2));
    // 200 characters, each written \u0001: 1200 bytes.
    expect(expectScimError(await create('\u0001'.repeat(200)), 400, 'invalidValue').detail).toBe(nameRefused(1200));
  });

  it('keeps a longer name stored before through writes that leave it alone', async () => {
    const s = testServer();
    const ada = await s.createUser('ada');
    const name = 'x'.repeat(MAX_GROUP_NAME_BYTES * 2);
    const old = await s.store.create('Group', { schemas: [GROUP], id: 'old-group', displayName: name, meta: { resourceType: 'Group', version: 'W/"1"' } });
    expect((await s.patch(`/Groups/${old.id}`, patchBody({ op: 'add', path: 'members', value: [{ value: ada.id }] }))).statusCode).toBe(200);
    expect((await s.get(`/Users/${ada.id}`)).json().groups[0].display).toBe(name);
  });

  it('bounds the rendering from the configured limits', () => {
    const small = renderedBound({ maxBytes: 2_000, maxValues: 20 });
    const large = renderedBound({ maxBytes: 2_000, maxValues: 200_000 });
    expect(small.references).toBe(MAX_GROUPS_PER_USER + 1);
    expect(large.references).toBe(200_001);
    expect(large.bytes - small.bytes).toBeGreaterThan(0);
  });
});
