import { describe, expect, it } from 'vitest';
import { expectScimError, patchBody, testServer } from './resource-helpers.js';

describe('what the reference server refuses so that nothing leaks', () => {
  it('refuses to filter or sort on password, which is never returned', async () => {
    const s = testServer();
    await s.createUser('ada@example.com', { password: 'secret-123' });
    const filtered = expectScimError(await s.list('/Users', { filter: 'password sw "s"' }), 400, 'invalidFilter');
    expect(filtered.detail).toMatch(/password/);
    expect(filtered.detail).not.toMatch(/secret-123/);
    expectScimError(await s.list('/Users', { sortBy: 'password' }), 400, 'invalidValue');
  });

  it('a uniqueness error does not echo a huge userName back', async () => {
    const s = testServer();
    const long = `${'a'.repeat(10_000)}@example.com`;
    await s.createUser(long);
    const error = expectScimError(await s.post('/Users', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: long }), 409, 'uniqueness');
    expect(String(error.detail).length).toBeLessThan(300);
  });

  it('a group cannot be made a member of itself', async () => {
    const s = testServer();
    const group = await s.createGroup('Loop');
    const res = await s.patch(`/Groups/${group.id}`, patchBody({ op: 'add', path: 'members', value: [{ value: group.id }] }));
    expectScimError(res, 400, 'invalidValue');
  });

  it("a user's groups are listed without copying whole groups", async () => {
    const s = testServer();
    const user = await s.createUser('grace@example.com');
    await s.createGroup('Engineers', [user.id]);
    expect(await s.store.groupsWithMember(user.id)).toEqual([{ id: expect.any(String), displayName: 'Engineers' }]);
  });
});

describe('PATCH with patchStatus 204', () => {
  it('still answers 200 with the resource when the request asks for attributes (RFC 7644 §3.5.2)', async () => {
    const s = testServer({ patchStatus: 204 });
    const user = await s.createUser('ada@example.com');
    const body = patchBody({ op: 'replace', path: 'displayName', value: 'Ada' });
    expect((await s.patch(`/Users/${user.id}`, body)).statusCode).toBe(204);
    const asked = await s.patch(`/Users/${user.id}?attributes=displayName`, body);
    expect(asked.statusCode).toBe(200);
    expect(asked.json()).toMatchObject({ id: user.id, displayName: 'Ada' });
  });
});

describe("a user's version follows its computed groups", () => {
  it('changes when the user joins, when the group is renamed, and when the user leaves', async () => {
    const s = testServer();
    const user = await s.createUser('ada@example.com');
    const versionOf = async () => (await s.get(`/Users/${user.id}`)).headers.etag as string;
    const v1 = await versionOf();
    const group = await s.createGroup('Engineers', [user.id]);
    const v2 = await versionOf();
    expect(v2).not.toBe(v1);
    expect((await s.get(`/Users/${user.id}`, { headers: { 'if-none-match': v1 } })).statusCode).toBe(200);
    await s.patch(`/Groups/${group.id}`, patchBody({ op: 'replace', path: 'displayName', value: 'Builders' }));
    const v3 = await versionOf();
    expect(v3).not.toBe(v2);
    await s.patch(`/Groups/${group.id}`, patchBody({ op: 'remove', path: 'members' }));
    expect(await versionOf()).not.toBe(v3);
  });
});
