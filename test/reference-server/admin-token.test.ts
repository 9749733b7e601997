/**
 * The admin API's key rotation and clock (reference-server/admin/token.ts, clock.ts): the team
 * admin regenerating the SCIM key (Postman ref §6, PM-4) and moving the served server's clock past
 * the old key's grace. Guarded like the fault admin API, and absent without an admin token.
 */
import { describe, expect, it } from 'vitest';
import { AUTH, json, serve, TOKEN } from './faults-helpers.js';

const ADMIN_TOKEN = 'admin-secret-0123456789';
const ADMIN = { authorization: `Bearer ${ADMIN_TOKEN}` };
const NEW = 'regenerated-key-4f1c9a';
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('without an admin token', () => {
  it.each(['/_scimulator/token', '/_scimulator/clock'])('%s is an unknown path: 404 with a SCIM credential, 401 without', async (path) => {
    const { send, server } = await serve({ profile: 'postman' });
    expect((await send('POST', path, { headers: AUTH, body: { token: NEW, advanceMs: 1000 } })).statusCode).toBe(404);
    expect((await send('POST', path, { headers: ADMIN, body: { token: NEW, advanceMs: 1000 } })).statusCode).toBe(401);
    // Nothing rotated: the new key is refused, the old one still taken.
    expect((await send('GET', '/Users', { headers: bearer(NEW) })).statusCode).toBe(401);
    expect((await send('GET', '/Users')).statusCode).toBe(200);
    expect(server.generatedToken).toBeUndefined();
  });
});

describe('POST /_scimulator/token', () => {
  it('refuses a missing or wrong admin token, and the SCIM key, with 401 that quotes neither', async () => {
    const { send } = await serve({ profile: 'postman', adminToken: ADMIN_TOKEN });
    for (const headers of [{}, bearer('nope'), AUTH]) {
      const response = await send('POST', '/_scimulator/token', { headers, body: { token: NEW } });
      expect(response.statusCode).toBe(401);
      expect(response.headers['www-authenticate']).toBe('Bearer realm="scimulator-admin"');
      const text = await response.body.text();
      expect(text).not.toContain(ADMIN_TOKEN);
      expect(text).not.toContain(NEW);
    }
    expect((await send('GET', '/Users', { headers: bearer(NEW) })).statusCode).toBe(401);
  });

  it("makes the new key the key at once; the old one stays valid for the profile's grace on the server's clock, then answers 401 expired", async () => {
    const { send, clock } = await serve({ profile: 'postman', adminToken: ADMIN_TOKEN });
    const rotated = await send('POST', '/_scimulator/token', { headers: ADMIN, body: { token: NEW } });
    expect(rotated.statusCode).toBe(204);
    expect(await rotated.body.text()).toBe('');
    expect((await send('GET', '/Users', { headers: bearer(NEW) })).statusCode).toBe(200);
    // The raw form too: the postman profile takes the key alone (Postman ref §6).
    expect((await send('GET', '/Users', { headers: { authorization: NEW } })).statusCode).toBe(200);
    clock.now += 299_999;
    expect((await send('GET', '/Users')).statusCode).toBe(200);
    clock.now += 1;
    const expired = await send('GET', '/Users');
    expect(expired.statusCode).toBe(401);
    expect(await json(expired)).toMatchObject({ status: '401', detail: expect.stringContaining('rotated out and its grace period is over') });
    expect((await send('GET', '/Users', { headers: bearer(NEW) })).statusCode).toBe(200);
  });

  it('gives a former key back for good when it is posted again: a harness restoring the run\'s key', async () => {
    const { send, clock } = await serve({ profile: 'postman', adminToken: ADMIN_TOKEN });
    await send('POST', '/_scimulator/token', { headers: ADMIN, body: { token: NEW } });
    expect((await send('POST', '/_scimulator/token', { headers: ADMIN, body: { token: TOKEN } })).statusCode).toBe(204);
    clock.now += 301_000;
    expect((await send('GET', '/Users')).statusCode).toBe(200);
    expect((await send('GET', '/Users', { headers: bearer(NEW) })).statusCode).toBe(401);
  });

  it('keeps a bounded number of keys: rotated without end, it forgets the key that expires first, even within its grace', async () => {
    const { send } = await serve({ profile: 'postman', adminToken: ADMIN_TOKEN });
    const keys = Array.from({ length: 65 }, (_, i) => `key-${i}`);
    for (const token of keys) expect((await send('POST', '/_scimulator/token', { headers: ADMIN, body: { token } })).statusCode).toBe(204);
    // 66 keys were given (the first one and 65 more): the first two to expire are forgotten.
    expect((await send('GET', '/Users')).statusCode).toBe(401);
    expect((await send('GET', '/Users', { headers: bearer('key-0') })).statusCode).toBe(401);
    expect((await send('GET', '/Users', { headers: bearer('key-1') })).statusCode).toBe(200);
    expect((await send('GET', '/Users', { headers: bearer('key-64') })).statusCode).toBe(200);
  });

  it('refuses a body that holds no usable key with a 400 that never quotes it, and one past its bound with 413', async () => {
    const { send } = await serve({ profile: 'postman', adminToken: ADMIN_TOKEN });
    for (const body of [{}, { token: '' }, { token: 'has space' }, { token: 42 }, { token: 'k'.repeat(513) }, { token: ADMIN_TOKEN }]) {
      const response = await send('POST', '/_scimulator/token', { headers: ADMIN, body });
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      const text = await response.body.text();
      expect(JSON.parse(text)).toMatchObject({ scimType: 'invalidValue' });
      if (typeof body.token === 'string' && body.token.length > 0) expect(text).not.toContain(body.token);
    }
    const large = await send('POST', '/_scimulator/token', { headers: ADMIN, body: { token: NEW, padding: 'x'.repeat(4096) } });
    expect(large.statusCode).toBe(413);
    expect((await send('GET', '/Users', { headers: bearer(NEW) })).statusCode).toBe(401);
    expect((await send('GET', '/_scimulator/token', { headers: ADMIN })).statusCode).toBe(405);
  });
});

describe('POST /_scimulator/clock', () => {
  it("moves the server's clock forward, as its answer and the resources' timestamps show", async () => {
    const { send, clock } = await serve({ profile: 'postman', adminToken: ADMIN_TOKEN });
    const moved = await send('POST', '/_scimulator/clock', { headers: ADMIN, body: { advanceMs: 3_600_000 } });
    expect(moved.statusCode).toBe(200);
    expect(await json(moved)).toEqual({ now: new Date(clock.now + 3_600_000).toISOString() });
    const created = await send('POST', '/Users', {
      body: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'ada@example.com', name: { givenName: 'Ada', familyName: 'L' } },
    });
    expect((await json(created)).meta.created).toBe(new Date(clock.now + 3_600_000).toISOString());
  });

  it('ends a rotated key\'s grace without waiting for it', async () => {
    const { send } = await serve({ profile: 'postman', adminToken: ADMIN_TOKEN });
    await send('POST', '/_scimulator/token', { headers: ADMIN, body: { token: NEW } });
    await send('POST', '/_scimulator/clock', { headers: ADMIN, body: { advanceMs: 300_000 } });
    expect((await send('GET', '/Users')).statusCode).toBe(401);
  });

  it('refuses a move that is not forward by whole milliseconds up to a year, and a wrong admin token', async () => {
    const { send, clock } = await serve({ profile: 'postman', adminToken: ADMIN_TOKEN });
    for (const advanceMs of [0, -5, 1.5, '60000', 367 * 86_400_000, undefined]) {
      const response = await send('POST', '/_scimulator/clock', { headers: ADMIN, body: { advanceMs } });
      expect(response.statusCode, String(advanceMs)).toBe(400);
    }
    expect((await send('POST', '/_scimulator/clock', { headers: AUTH, body: { advanceMs: 1000 } })).statusCode).toBe(401);
    const now = await json(await send('POST', '/_scimulator/clock', { headers: ADMIN, body: { advanceMs: 1 } }));
    expect(now).toEqual({ now: new Date(clock.now + 1).toISOString() });
    expect((await send('POST', '/_scimulator/clock', { headers: ADMIN, body: { advanceMs: 1, padding: 'x'.repeat(2048) } })).statusCode).toBe(413);
  });
});
