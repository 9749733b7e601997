import { describe, expect, it } from 'vitest';
import { createReferenceServer } from '../../reference-server/app.js';
import { AUTH, captureLog, json, serve, TOKEN } from './faults-helpers.js';

const ADMIN_TOKEN = 'admin-secret-0123456789';
const ADMIN = { authorization: `Bearer ${ADMIN_TOKEN}` };
const THROTTLE = { name: 'throttle', match: { method: 'GET', path: '/Users' }, act: { status: 429, retryAfter: 30 } };

/** What a client sees of an answer, the Date header left out. */
async function seen(response: { statusCode: number; headers: Record<string, unknown>; body: { text(): Promise<string> } }) {
  const { date: _date, ...headers } = response.headers;
  return { status: response.statusCode, headers, body: await response.body.text() };
}

describe('without an admin token, /_scimulator/… is an unknown path', () => {
  it.each(['GET', 'PUT', 'POST', 'DELETE'] as const)('%s answers byte for byte what an unknown path answers, with or without a credential', async (method) => {
    const { send } = await serve();
    for (const headers of [AUTH, {}, ADMIN]) {
      const admin = await seen(await send(method, '/_scimulator/faults', { headers }));
      // The same length and shape, one letter's case apart: fastify's routes are case-sensitive.
      const unknown = await seen(await send(method, '/_Scimulator/faults', { headers }));
      expect(admin).toEqual({ ...unknown, body: unknown.body.replace('/_Scimulator/', '/_scimulator/') });
      expect(admin.status).toBe(headers === AUTH ? 404 : 401);
    }
  });

  it('and is named nowhere: not in the discovery endpoints', async () => {
    for (const adminToken of [undefined, ADMIN_TOKEN]) {
      const { get } = await serve({ adminToken });
      for (const path of ['/ServiceProviderConfig', '/ResourceTypes', '/Schemas']) {
        const body = await (await get(path)).body.text();
        expect(/_scimulator|scimulator-admin/i.test(body), path).toBe(false);
      }
    }
  });
});

describe('the admin API', () => {
  it('refuses a missing or wrong admin token, and a SCIM token, with 401 that quotes neither', async () => {
    const { send } = await serve({ adminToken: ADMIN_TOKEN });
    for (const headers of [{}, { authorization: 'Bearer nope' }, AUTH, { authorization: ADMIN_TOKEN }, { authorization: `Basic ${ADMIN_TOKEN}` }]) {
      const response = await seen(await send('GET', '/_scimulator/faults', { headers }));
      expect(response.status).toBe(401);
      expect(response.headers['www-authenticate']).toBe('Bearer realm="scimulator-admin"');
      expect(response.body).not.toContain(ADMIN_TOKEN);
      expect(response.body).not.toContain(TOKEN + '"');
      expect(JSON.parse(response.body)).toMatchObject({ status: '401', detail: expect.stringContaining('--admin-token') });
    }
  });

  it('holds to the limits serve --help lists for it: the request body limit, and at most 100 rules however they are added', async () => {
    const { send } = await serve({ adminToken: ADMIN_TOKEN, bodyLimit: 4096 });
    const oversized = await send('PUT', '/_scimulator/faults', { headers: ADMIN, body: { rules: [{ act: { status: 500, body: 'x'.repeat(5000) } }] } });
    expect(oversized.statusCode).toBe(413);
    expect(await json(oversized)).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '413' });
    const rules = (n: number) => ({ rules: Array.from({ length: n }, () => ({ act: { status: 503 } })) });
    expect((await send('PUT', '/_scimulator/faults', { headers: ADMIN, body: rules(60) })).statusCode).toBe(200);
    const past = await send('POST', '/_scimulator/faults', { headers: ADMIN, body: rules(41) });
    expect(past.statusCode).toBe(400);
    expect(await json(past)).toMatchObject({ scimType: 'invalidValue', detail: expect.stringContaining('would make 101 rules, and a server holds at most 100') });
  });

  it('the admin token grants no SCIM request', async () => {
    const { get } = await serve({ adminToken: ADMIN_TOKEN });
    expect((await get('/Users', { headers: ADMIN })).statusCode).toBe(401);
  });

  it('installs, lists, adds and clears faults, which act on the SCIM endpoints', async () => {
    const { send, get } = await serve({ adminToken: ADMIN_TOKEN });
    const admin = async (method: 'GET' | 'PUT' | 'POST' | 'DELETE', body?: unknown) => {
      const response = await send(method, '/_scimulator/faults', { headers: ADMIN, body });
      const parsed = response.statusCode === 204 ? undefined : await json(response);
      return { status: response.statusCode, ...(parsed !== undefined && { type: response.headers['content-type'] }), body: parsed };
    };
    expect(await admin('GET')).toEqual({ status: 200, type: 'application/json; charset=utf-8', body: { seed: 0, rules: [] } });

    const installed = await admin('PUT', { seed: 5, rules: [THROTTLE] });
    expect(installed.status).toBe(200);
    expect(installed.body).toEqual({
      seed: 5,
      rules: [{ index: 0, rule: { ...THROTTLE, match: { ...THROTTLE.match, method: ['GET'] } }, label: 'throttle: 429 Retry-After 30', matched: 0, acted: 0, spent: false }],
    });
    const throttled = await get('/Users');
    expect([throttled.statusCode, throttled.headers['x-scimulator-fault']]).toEqual([429, 'throttle: 429 Retry-After 30']);
    await throttled.body.dump();

    const added = await admin('POST', { rules: [{ match: { path: '/Groups' }, act: { status: 503 } }] });
    expect(added.body!.seed).toBe(5);
    expect(added.body!.rules.map((r: { label: string; matched: number }) => [r.label, r.matched])).toEqual([
      ['throttle: 429 Retry-After 30', 1],
      ['503', 0],
    ]);
    expect((await get('/Groups')).statusCode).toBe(503);

    expect(await admin('DELETE')).toEqual({ status: 204, body: undefined });
    expect((await admin('GET')).body!.rules).toEqual([]);
    expect((await get('/Users')).statusCode).toBe(200);
  });

  it('refuses a bad set with a 400 naming the rule and the field, and keeps the rules in force', async () => {
    const { send } = await serve({ adminToken: ADMIN_TOKEN, faults: { rules: [THROTTLE] } });
    const put = await send('PUT', '/_scimulator/faults', { headers: ADMIN, body: { rules: [{ act: { status: 429, retryAfter: 'soon' } }] } });
    expect(put.statusCode).toBe(400);
    expect(await json(put)).toMatchObject({ scimType: 'invalidValue', detail: expect.stringMatching(/^rules\[0\]\.act\.retryAfter: must be seconds/) });
    const post = await send('POST', '/_scimulator/faults', { headers: ADMIN, body: { seed: 1, rules: [] } });
    expect((await json(post)).detail).toBe('seed: only PUT sets the seed (it restarts the generator); POST adds rules');
    const typo = await send('POST', '/_scimulator/faults', { headers: ADMIN, body: { rulez: [] } });
    expect((await json(typo)).detail).toBe("rulez: unknown key: the keys here are $schema, seed, rules: did you mean 'rules'?");
    const list = await send('GET', '/_scimulator/faults', { headers: ADMIN });
    expect((await json(list)).rules.map((r: { label: string }) => r.label)).toEqual(['throttle: 429 Retry-After 30']);
  });

  it('answers other methods 405, after the admin token is checked', async () => {
    const { send } = await serve({ adminToken: ADMIN_TOKEN });
    expect((await send('PATCH', '/_scimulator/faults', { headers: {} })).statusCode).toBe(401);
    const patch = await send('PATCH', '/_scimulator/faults', { headers: ADMIN });
    expect([patch.statusCode, patch.headers.allow]).toEqual([405, 'GET, PUT, POST, DELETE, HEAD']);
  });

  it('is never faulted, even by a rule for every path with the SCIM endpoints at the root', async () => {
    const { send, origin } = await serve({ adminToken: ADMIN_TOKEN, basePath: '/', faults: { rules: [{ match: { path: '/**' }, act: { status: 500 } }] } });
    expect(new URL(origin).pathname).toBe('/');
    expect((await send('GET', '/_scimulator/faults', { headers: ADMIN })).statusCode).toBe(200);
  });

  it('logs its requests without the admin token', async () => {
    const log = captureLog();
    const { send } = await serve({ adminToken: ADMIN_TOKEN, log: 'json' });
    await (await send('GET', '/_scimulator/faults', { headers: ADMIN })).body.dump();
    await (await send('GET', '/_scimulator/faults', { headers: { authorization: 'Bearer wrong-admin-token' } })).body.dump();
    await (await send('PUT', '/_scimulator/faults', { headers: ADMIN, body: { rules: [{ act: { status: 1 } }] } })).body.dump();
    const text = JSON.stringify(log.entries());
    expect(log.entries().map((e) => [e.method, e.path, e.status])).toEqual([
      ['GET', '/_scimulator/faults', 200],
      ['GET', '/_scimulator/faults', 401],
      ['PUT', '/_scimulator/faults', 400],
    ]);
    expect(text).not.toContain(ADMIN_TOKEN);
    expect(text).not.toContain('wrong-admin-token');
  });

  it('needs a token of its own', () => {
    expect(() => createReferenceServer({ tokens: ['shared'], adminToken: 'shared' })).toThrow('adminToken must differ from every SCIM bearer token');
    expect(() => createReferenceServer({ tokens: [{ token: 'shared' }], adminToken: 'shared' })).toThrow('adminToken must differ');
    expect(() => createReferenceServer({ adminToken: '' })).toThrow('adminToken must be a non-empty token without spaces');
    expect(() => createReferenceServer({ adminToken: 'a b' })).toThrow('without spaces');
  });
});

describe('ReferenceServer.faults in code', () => {
  it('installs, adds, lists and clears without the admin API', async () => {
    const { server, get } = await serve();
    server.faults.install([THROTTLE]);
    server.faults.add([{ match: { path: '/Groups' }, act: { status: 500 } }]);
    expect((await get('/Users')).statusCode).toBe(429);
    expect(server.faults.list().rules.map(({ label, acted }) => [label, acted])).toEqual([
      ['throttle: 429 Retry-After 30', 1],
      ['500', 0],
    ]);
    server.faults.clear();
    expect((await get('/Users')).statusCode).toBe(200);
    expect(() => createReferenceServer({ faults: { rules: [{ act: { status: 99 } }] } })).toThrow('rules[0].act.status: must be a whole number from 200 to 599, got 99');
  });
});
