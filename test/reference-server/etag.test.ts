import { describe, expect, it } from 'vitest';
import { expectScimError, patchBody, T0, testServer, USER } from './resource-helpers.js';

/** RFC 7644 §3.14: versions as weak ETags, If-Match on writes, If-None-Match on reads. */

async function userAtVersion2() {
  const s = testServer();
  const user = await s.createUser('ada');
  s.advance(1000);
  const res = await s.patch(`/Users/${user.id}`, patchBody({ op: 'add', path: 'nickName', value: 'A' }));
  expect(res.json().meta.version).toBe('W/"2"');
  return { s, id: user.id as string, v1: user.meta.version as string, v2: res.json().meta.version as string };
}

describe('ETag and meta.version', () => {
  it('every answer with a resource carries the ETag of its version', async () => {
    const s = testServer();
    const created = await s.post('/Users', { schemas: [USER], userName: 'ada' });
    expect(created.headers.etag).toBe('W/"1"');
    const id = created.json().id;
    expect((await s.get(`/Users/${id}`)).headers.etag).toBe('W/"1"');
    const put = await s.put(`/Users/${id}`, { schemas: [USER], userName: 'ada', title: 'x' });
    expect(put.headers.etag).toBe('W/"2"');
    expect(put.json().meta.version).toBe('W/"2"');
    const patch = await s.patch(`/Users/${id}`, patchBody({ op: 'replace', path: 'title', value: 'y' }));
    expect(patch.headers.etag).toBe('W/"3"');
    expect(patch.json().meta.version).toBe('W/"3"');
    // A list answer is no one resource: no ETag header, but each resource has its version.
    const list = await s.get('/Users');
    expect(list.headers.etag).toBeUndefined();
    expect(list.json().Resources[0].meta.version).toBe('W/"3"');
  });
});

describe('If-Match', () => {
  it.each(['PUT', 'PATCH', 'DELETE'] as const)('%s with the current version succeeds', async (method) => {
    const { s, id, v2 } = await userAtVersion2();
    const headers = { 'if-match': v2 };
    const res =
      method === 'PUT'
        ? await s.put(`/Users/${id}`, { schemas: [USER], userName: 'ada', nickName: 'B' }, { headers })
        : method === 'PATCH'
          ? await s.patch(`/Users/${id}`, patchBody({ op: 'replace', path: 'nickName', value: 'B' }), { headers })
          : await s.del(`/Users/${id}`, { headers });
    expect(res.statusCode).toBe(method === 'DELETE' ? 204 : 200);
  });

  it.each(['PUT', 'PATCH', 'DELETE'] as const)('%s with a stale version fails with 412 and changes nothing', async (method) => {
    const { s, id, v1 } = await userAtVersion2();
    const before = (await s.get(`/Users/${id}`)).json();
    const headers = { 'if-match': v1 };
    const res =
      method === 'PUT'
        ? await s.put(`/Users/${id}`, { schemas: [USER], userName: 'ada', nickName: 'B' }, { headers })
        : method === 'PATCH'
          ? await s.patch(`/Users/${id}`, patchBody({ op: 'replace', path: 'nickName', value: 'B' }), { headers })
          : await s.del(`/Users/${id}`, { headers });
    const body = expectScimError(res, 412);
    expect(body.detail).toContain('W/"1"');
    expect((await s.get(`/Users/${id}`)).json()).toEqual(before);
  });

  it('* matches any current version', async () => {
    const { s, id } = await userAtVersion2();
    const res = await s.patch(`/Users/${id}`, patchBody({ op: 'replace', path: 'nickName', value: 'B' }), { headers: { 'if-match': '*' } });
    expect(res.statusCode).toBe(200);
    expect((await s.del(`/Users/${id}`, { headers: { 'if-match': '*' } })).statusCode).toBe(204);
    // No resource, no version: 404 rather than 412.
    expectScimError(await s.del(`/Users/${id}`, { headers: { 'if-match': '*' } }), 404);
  });

  it('a list of tags matches when one of them does; W/ is compared weakly', async () => {
    const { s, id } = await userAtVersion2();
    expect((await s.patch(`/Users/${id}`, patchBody({ op: 'replace', path: 'nickName', value: 'B' }), { headers: { 'if-match': 'W/"9", W/"2"' } })).statusCode).toBe(200);
    expect((await s.patch(`/Users/${id}`, patchBody({ op: 'replace', path: 'nickName', value: 'C' }), { headers: { 'if-match': '"3"' } })).statusCode).toBe(200);
    expectScimError(await s.patch(`/Users/${id}`, patchBody({ op: 'replace', path: 'nickName', value: 'D' }), { headers: { 'if-match': 'W/"1", W/"2", "3"' } }), 412);
  });

  it('works on Groups too', async () => {
    const s = testServer();
    const group = await s.createGroup('g');
    expect((await s.patch(`/Groups/${group.id}`, patchBody({ op: 'replace', path: 'displayName', value: 'h' }), { headers: { 'if-match': group.meta.version } })).statusCode).toBe(200);
    expectScimError(await s.put(`/Groups/${group.id}`, { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'i' }, { headers: { 'if-match': group.meta.version } }), 412);
  });

  it('412 is checked before the body: a stale If-Match with an invalid body still says 412', async () => {
    const { s, id, v1 } = await userAtVersion2();
    expectScimError(await s.put(`/Users/${id}`, { schemas: [USER] }, { headers: { 'if-match': v1 } }), 412);
  });
});

describe('If-None-Match', () => {
  it('with the current version answers 304 without a body', async () => {
    const { s, id, v2 } = await userAtVersion2();
    const res = await s.get(`/Users/${id}`, { headers: { 'if-none-match': v2 } });
    expect(res.statusCode).toBe(304);
    expect(res.body).toBe('');
    expect(res.headers.etag).toBe(v2);
    expect(res.headers['content-type']).toBeUndefined();
    expect((await s.get(`/Users/${id}`, { headers: { 'if-none-match': '*' } })).statusCode).toBe(304);
    expect((await s.get(`/Users/${id}`, { headers: { 'if-none-match': `W/"7", ${v2}` } })).statusCode).toBe(304);
  });

  it('with another version answers 200 with the resource', async () => {
    const { s, id, v1 } = await userAtVersion2();
    const res = await s.get(`/Users/${id}`, { headers: { 'if-none-match': v1 } });
    expect(res.statusCode).toBe(200);
    expect(res.json().meta.version).toBe('W/"2"');
  });

  it('on an unknown id answers 404', async () => {
    const s = testServer();
    expectScimError(await s.get('/Users/nope', { headers: { 'if-none-match': '*' } }), 404);
  });
});

describe('a write that changes nothing keeps the version and lastModified (RFC 7644 §3.5.2)', () => {
  it('PATCH replace with the same value, add of a value already there, remove of an absent attribute', async () => {
    const s = testServer();
    const user = await s.createUser('ada', { nickName: 'A', emails: [{ value: 'ada@example.com', type: 'work' }] });
    s.advance(60_000);
    for (const op of [
      { op: 'replace', path: 'nickName', value: 'A' },
      { op: 'add', path: 'emails', value: [{ value: 'ADA@example.com', type: 'work' }] },
      { op: 'remove', path: 'title' },
      { op: 'add', value: { userName: 'ada', nickName: 'A' } },
    ]) {
      const res = await s.patch(`/Users/${user.id}`, patchBody(op));
      expect(res.statusCode, JSON.stringify(op)).toBe(200);
      expect(res.json().meta, JSON.stringify(op)).toEqual(user.meta);
      expect(res.headers.etag).toBe('W/"1"');
    }
    // If-None-Match with the first version still answers 304.
    expect((await s.get(`/Users/${user.id}`, { headers: { 'if-none-match': 'W/"1"' } })).statusCode).toBe(304);
  });

  it('a PUT of the same representation', async () => {
    const s = testServer();
    const user = await s.createUser('ada', { name: { givenName: 'Ada' }, active: true });
    s.advance(60_000);
    const res = await s.put(`/Users/${user.id}`, { schemas: [USER], userName: 'ada', name: { givenName: 'Ada' }, active: true });
    expect(res.json().meta).toEqual(user.meta);
  });

  it('a change moves both, by the server clock', async () => {
    const s = testServer();
    const user = await s.createUser('ada');
    s.advance(90_000);
    const res = await s.patch(`/Users/${user.id}`, patchBody({ op: 'add', path: 'nickName', value: 'A' }));
    expect(res.json().meta.lastModified).toBe(new Date(T0 + 90_000).toISOString());
    expect(res.json().meta.created).toBe(new Date(T0).toISOString());
    expect(res.json().meta.version).toBe('W/"2"');
  });
});
