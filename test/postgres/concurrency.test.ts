import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReferenceServer } from '../../reference-server/app.js';
import { URN } from '../../scim/schema/urns.js';
import { dropDatabase, freshDatabase, postgresSkip } from '../support/postgres.js';
import { newGroup, newUser, patch, scim, startServer, type Answer } from './scim-http.js';

/**
 * Issue 19, "Done when": two reference servers on one PostgreSQL database, requests alternating
 * between them over real HTTP. The database, not either process, decides who wins.
 */

let url: string;
const servers: ReferenceServer[] = [];
let A: string;
let B: string;
/** Request i goes to A when i is even, to B when odd. */
const either = (i: number) => (i % 2 === 0 ? A : B);

const counts = (answers: Answer[]) => {
  const byStatus: Record<number, number> = {};
  for (const { status } of answers) byStatus[status] = (byStatus[status] ?? 0) + 1;
  return byStatus;
};

describe.skipIf(postgresSkip)('two instances on one PostgreSQL database, through HTTP', () => {
  beforeAll(async () => {
    url = await freshDatabase('concurrency');
    // Started together: both run the migrations at once, which the advisory lock serialises.
    const started = await Promise.all([startServer(url), startServer(url)]);
    servers.push(...started.map((s) => s.server));
    [A, B] = started.map((s) => s.base) as [string, string];
  });

  afterAll(async () => {
    await Promise.all(servers.map((server) => server.close()));
    if (url) await dropDatabase(url);
  });

  it('100 concurrent creates of one userName, in either case: exactly one 201 and 99 × 409 uniqueness', async () => {
    const answers = await Promise.all(
      Array.from({ length: 100 }, (_, i) => scim(either(i), 'POST', '/Users', newUser(i % 4 < 2 ? 'race@example.com' : 'RACE@Example.COM'))),
    );
    expect(counts(answers)).toEqual({ 201: 1, 409: 99 });
    for (const conflict of answers.filter((a) => a.status === 409)) expect(conflict.body).toMatchObject({ schemas: [URN.error], scimType: 'uniqueness' });
    const created = answers.find((a) => a.status === 201)!;
    for (const base of [A, B]) {
      const found = await scim(base, 'GET', `/Users?filter=${encodeURIComponent('userName eq "race@example.com"')}`);
      expect(found.body.totalResults).toBe(1);
      expect(found.body.Resources[0].id).toBe(created.body.id);
    }
  });

  it('50 concurrent PATCHes with one If-Match: exactly one 200, 49 × 412, and only that change is kept', async () => {
    const user = await scim(A, 'POST', '/Users', newUser('ifmatch@example.com'));
    expect(user.status).toBe(201);
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        scim(either(i), 'PATCH', `/Users/${user.body.id}`, patch({ op: 'replace', path: 'title', value: `writer ${i}` }), { 'if-match': user.etag! }),
      ),
    );
    expect(counts(answers)).toEqual({ 200: 1, 412: 49 });
    const winner = answers.find((a) => a.status === 200)!;
    expect(winner.etag).not.toBe(user.etag);
    for (const base of [A, B]) {
      const now = await scim(base, 'GET', `/Users/${user.body.id}`);
      expect(now.body.title).toBe(winner.body.title);
      expect(now.etag).toBe(winner.etag);
      expect(now.body.meta.version).toBe(winner.etag);
    }
  });

  it('100 concurrent member adds to one group: all 100 present, through either instance', async () => {
    const group = await scim(A, 'POST', '/Groups', newGroup('Crowd'));
    expect(group.status).toBe(201);
    const users = await Promise.all(Array.from({ length: 100 }, (_, i) => scim(either(i), 'POST', '/Users', newUser(`member-${i}@example.com`))));
    expect(counts(users)).toEqual({ 201: 100 });
    const adds = await Promise.all(
      users.map((user, i) => scim(either(i + 1), 'PATCH', `/Groups/${group.body.id}`, patch({ op: 'add', path: 'members', value: [{ value: user.body.id }] }))),
    );
    expect(counts(adds)).toEqual({ 200: 100 });
    const ids = users.map((user) => user.body.id as string).sort();
    for (const base of [A, B]) {
      const now = await scim(base, 'GET', `/Groups/${group.body.id}`);
      expect(now.body.members.map((m: { value: string }) => m.value).sort()).toEqual(ids);
    }
  });

  it('a user created through A is read, filtered, PATCHed with A\'s ETag and deleted through B', async () => {
    const created = await scim(A, 'POST', '/Users', newUser('cross@example.com', { externalId: 'ext-cross' }));
    expect(created.status).toBe(201);
    const id = created.body.id as string;

    const read = await scim(B, 'GET', `/Users/${id}`);
    expect(read.status).toBe(200);
    // meta.location follows the Host the client called, so it differs; every other byte agrees.
    const { location: _a, ...createdMeta } = created.body.meta;
    const { location: _b, ...readMeta } = read.body.meta;
    expect({ ...read.body, meta: readMeta }).toEqual({ ...created.body, meta: createdMeta });
    expect(read.etag).toBe(created.etag);

    const filtered = await scim(B, 'GET', `/Users?filter=${encodeURIComponent('externalId eq "ext-cross"')}`);
    expect(filtered.body.Resources.map((r: { id: string }) => r.id)).toEqual([id]);

    const patched = await scim(B, 'PATCH', `/Users/${id}`, patch({ op: 'replace', path: 'displayName', value: 'Cross' }), { 'if-match': created.etag! });
    expect(patched.status).toBe(200);
    // The version B wrote is the one A now knows: A's old ETag is stale on A too.
    expect((await scim(A, 'GET', `/Users/${id}`)).etag).toBe(patched.etag);
    expect((await scim(A, 'DELETE', `/Users/${id}`, undefined, { 'if-match': created.etag! })).status).toBe(412);

    expect((await scim(B, 'DELETE', `/Users/${id}`, undefined, { 'if-match': patched.etag! })).status).toBe(204);
    expect((await scim(A, 'GET', `/Users/${id}`)).status).toBe(404);
  });

  it('a user deleted through B leaves the group A reads', async () => {
    const keep = await scim(A, 'POST', '/Users', newUser('stays@example.com'));
    const gone = await scim(A, 'POST', '/Users', newUser('leaves@example.com'));
    const group = await scim(A, 'POST', '/Groups', newGroup('Leavers', [{ value: keep.body.id }, { value: gone.body.id }]));
    expect(group.status).toBe(201);
    expect((await scim(B, 'DELETE', `/Users/${gone.body.id}`)).status).toBe(204);
    const now = await scim(A, 'GET', `/Groups/${group.body.id}`);
    expect(now.body.members.map((m: { value: string }) => m.value)).toEqual([keep.body.id]);
    expect(now.etag).not.toBe(group.etag);
    const holders = await scim(A, 'GET', `/Groups?filter=${encodeURIComponent(`members.value eq "${gone.body.id}"`)}`);
    expect(holders.body.totalResults).toBe(0);
  });

  it('Bulk through A resolves bulkId references within the request; B reads the result', async () => {
    const bulk = await scim(A, 'POST', '/Bulk', {
      schemas: [URN.bulkRequest],
      Operations: [
        { method: 'POST', path: '/Users', bulkId: 'u1', data: newUser('bulk@example.com') },
        { method: 'POST', path: '/Groups', bulkId: 'g1', data: newGroup('Bulk Group', [{ value: 'bulkId:u1' }]) },
      ],
    });
    expect(bulk.status).toBe(200);
    expect(bulk.body.Operations.map((op: { status: string }) => op.status)).toEqual(['201', '201']);
    const [userId, groupId] = bulk.body.Operations.map((op: { location: string }) => op.location.split('/').pop());
    const group = await scim(B, 'GET', `/Groups/${groupId}`);
    expect(group.body.members.map((m: { value: string }) => m.value)).toEqual([userId]);
    expect((await scim(B, 'GET', `/Users/${userId}`)).body.userName).toBe('bulk@example.com');
  });
});
