import { describe, expect, it } from 'vitest';
import { createReferenceServer } from '../../reference-server/app.js';
import type { ReferenceServerOptions } from '../../reference-server/options.js';
import { ERROR_SCHEMA, ScimError } from '../../scim/errors.js';

const SCIM_TYPE = 'application/scim+json; charset=utf-8';
const auth = { authorization: 'Bearer t1' };

/** A server with test routes beside the real ones: one echoing the parsed body, two throwing. */
function server(options: ReferenceServerOptions = {}) {
  const created = createReferenceServer({ tokens: ['t1'], ...options });
  const base = created.options.basePath;
  created.app.post(`${base}/echo`, (request, reply) => {
    reply.send({ received: request.body ?? null, ownProto: Object.hasOwn((request.body ?? {}) as object, '__proto__') });
  });
  created.app.get(`${base}/throws/scim`, () => {
    throw ScimError.badRequest('invalidValue', 'active must be a boolean');
  });
  created.app.get(`${base}/throws/bug`, () => {
    throw new Error('secret internal state at /srv/db.ts:42');
  });
  return created;
}

function post(app: ReturnType<typeof server>['app'], url: string, contentType: string | undefined, payload: string | Buffer) {
  const headers: Record<string, string> = { ...auth };
  if (contentType !== undefined) headers['content-type'] = contentType;
  return app.inject({ method: 'POST', url, headers, payload });
}

function expectScimError(res: { statusCode: number; headers: Record<string, unknown>; json(): unknown }, status: number, scimType?: string) {
  expect(res.statusCode).toBe(status);
  expect(res.headers['content-type']).toBe(SCIM_TYPE);
  const body = res.json() as Record<string, unknown>;
  expect(body.schemas).toEqual([ERROR_SCHEMA]);
  expect(body.status).toBe(String(status));
  expect(body.scimType).toBe(scimType);
  expect(typeof body.detail).toBe('string');
  return body;
}

describe('request bodies', () => {
  const { app } = server();

  it.each([
    'application/scim+json',
    'application/json',
    'application/json; charset=utf-8',
    'Application/SCIM+JSON; Charset="UTF-8"',
    'application/scim+json;charset=utf8',
  ])('parses %s as JSON', async (type) => {
    const res = await post(app, '/scim/v2/echo', type, '{"userName":"ada"}');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe(SCIM_TYPE);
    expect(res.json().received).toEqual({ userName: 'ada' });
  });

  it.each(['text/plain', 'application/xml', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x'])(
    'answers a %s body with 415',
    async (type) => {
      expectScimError(await post(app, '/scim/v2/echo', type, '{"userName":"ada"}'), 415);
    },
  );

  it('answers a body without Content-Type, a non-UTF-8 charset or an invalid media type with 415', async () => {
    expectScimError(await post(app, '/scim/v2/echo', undefined, '{"userName":"ada"}'), 415);
    expectScimError(await post(app, '/scim/v2/echo', 'application/json; charset=iso-8859-1', '{"userName":"ada"}'), 415);
    expectScimError(await post(app, '/scim/v2/echo', 'json', '{"userName":"ada"}'), 415);
  });

  it('answers malformed JSON with 400 invalidSyntax, without quoting the body', async () => {
    const body = expectScimError(await post(app, '/scim/v2/echo', 'application/scim+json', '{"password": "hunter2" "x": 1}'), 400, 'invalidSyntax');
    expect(body.detail).toMatch(/not valid JSON.*position 23/);
    expect(body.detail).not.toContain('hunter2');
    const short = expectScimError(await post(app, '/scim/v2/echo', 'application/json', 'hunter2'), 400, 'invalidSyntax');
    expect(short.detail).not.toContain('hunter2');
  });

  it('answers invalid UTF-8 with 400 invalidSyntax', async () => {
    const bytes = Buffer.concat([Buffer.from('{"userName":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]);
    const body = expectScimError(await post(app, '/scim/v2/echo', 'application/scim+json', bytes), 400, 'invalidSyntax');
    expect(body.detail).toMatch(/UTF-8/);
  });

  it('answers a body that is not an object, or nests too deep, with 400 invalidSyntax', async () => {
    for (const payload of ['[]', '"text"', '42', 'null']) {
      expectScimError(await post(app, '/scim/v2/echo', 'application/json', payload), 400, 'invalidSyntax');
    }
    const deep = `{"a":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    const body = expectScimError(await post(app, '/scim/v2/echo', 'application/json', deep), 400, 'invalidSyntax');
    expect(body.detail).toMatch(/nests deeper/);
  });

  it('keeps a __proto__ key as plain data', async () => {
    const res = await post(app, '/scim/v2/echo', 'application/json', '{"__proto__": {"polluted": true}, "userName": "x"}');
    expect(res.statusCode).toBe(200);
    expect(res.json().ownProto).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('treats an empty body as no body, whatever its announced type', async () => {
    for (const type of ['application/scim+json', 'text/plain']) {
      const res = await post(app, '/scim/v2/echo', type, '');
      expect(res.statusCode, type).toBe(200);
      expect(res.json().received).toBeNull();
    }
  });

  it('answers a body over the limit with 413 (default 1 MiB)', async () => {
    const big = JSON.stringify({ userName: 'x'.repeat(1024 * 1024) });
    const body = expectScimError(await post(app, '/scim/v2/echo', 'application/scim+json', big), 413);
    expect(body.detail).toContain('1048576 bytes');
    const small = server({ bodyLimit: 100 });
    expectScimError(await post(small.app, '/scim/v2/echo', 'application/json', JSON.stringify({ userName: 'x'.repeat(100) })), 413);
    expect((await post(small.app, '/scim/v2/echo', 'application/json', '{"userName":"x"}')).statusCode).toBe(200);
  });
});

describe('errors', () => {
  const { app } = server();

  it('answers a thrown ScimError with its RFC 7644 §3.12 body', async () => {
    const body = expectScimError(await app.inject({ url: '/scim/v2/throws/scim', headers: auth }), 400, 'invalidValue');
    expect(body.detail).toBe('active must be a boolean');
  });

  it('answers any other error with a 500 that reveals nothing', async () => {
    const res = await app.inject({ url: '/scim/v2/throws/bug', headers: auth });
    expectScimError(res, 500);
    expect(res.body).not.toMatch(/secret|srv/);
  });

  it('answers an unknown route with 404', async () => {
    const inside = expectScimError(await app.inject({ url: '/scim/v2/Widgets', headers: auth }), 404);
    expect(inside.detail).toBe('No endpoint at GET /scim/v2/Widgets');
    const outside = expectScimError(await app.inject({ url: '/Users?filter=x', headers: auth }), 404);
    expect(outside.detail).toBe('No endpoint at GET /Users: the SCIM endpoints are under /scim/v2');
    expectScimError(await app.inject({ method: 'PROPFIND' as 'GET', url: '/scim/v2/Me', headers: auth }), 404);
  });

  it('answers a known path with a wrong method with 405 and Allow, before reading the body', async () => {
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const) {
      const res = await app.inject({ method, url: '/scim/v2/Schemas', headers: { ...auth, 'content-type': 'text/plain' }, payload: 'not json' });
      const body = expectScimError(res, 405);
      expect(res.headers.allow).toBe('GET, HEAD');
      expect(body.detail).toBe(`${method} is not allowed on /Schemas: use GET, HEAD`);
    }
    const byId = await app.inject({ method: 'PUT', url: '/scim/v2/ResourceTypes/User', headers: auth });
    expect(byId.statusCode).toBe(405);
    expect(byId.json().detail).toBe('PUT is not allowed on /ResourceTypes/{id}: use GET, HEAD');
  });

  it('answers a URL with bad percent-encoding with 400', async () => {
    expectScimError(await app.inject({ url: '/scim/v2/Schemas/%E0%A4%A', headers: auth }), 400);
  });

  it('answers /Me with 501 whatever the method', async () => {
    for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const) {
      const res = await app.inject({ method, url: '/scim/v2/Me', headers: { ...auth, 'content-type': 'application/scim+json' }, payload: method === 'GET' ? undefined : '{}' });
      expectScimError(res, 501);
    }
  });

  it('answers HEAD on a GET route without a body', async () => {
    const res = await app.inject({ method: 'HEAD', url: '/scim/v2/ServiceProviderConfig', headers: auth });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe(SCIM_TYPE);
    expect(res.body).toBe('');
  });
});

describe('base path', () => {
  it.each([
    [undefined, '/scim/v2'],
    ['', ''],
    ['/', ''],
    ['/api/scim/', '/api/scim'],
    ['tenant-a/scim', '/tenant-a/scim'],
  ])('mounts basePath %j at %j', async (basePath, mounted) => {
    const { app, options } = createReferenceServer({ tokens: ['t1'], basePath });
    expect(options.basePath).toBe(mounted);
    const res = await app.inject({ url: `${mounted}/ServiceProviderConfig`, headers: auth });
    expect(res.statusCode).toBe(200);
    expect(res.json().meta.location).toBe(`http://localhost:80${mounted}/ServiceProviderConfig`);
    expect((await app.inject({ url: `${mounted}/ServiceProviderConfig/`, headers: auth })).statusCode).toBe(200);
  });

  it('serves nothing outside the base path', async () => {
    const { app } = createReferenceServer({ tokens: ['t1'] });
    expect((await app.inject({ url: '/ServiceProviderConfig', headers: auth })).statusCode).toBe(404);
    const root = createReferenceServer({ tokens: ['t1'], basePath: '' });
    expect((await root.app.inject({ url: '/scim/v2/ServiceProviderConfig', headers: auth })).statusCode).toBe(404);
  });

  it('refuses a base path with a query or spaces', () => {
    expect(() => createReferenceServer({ tokens: ['t1'], basePath: '/scim?x=1' })).toThrow(/plain URL path/);
  });
});

describe('options', () => {
  it('refuses limits that are not positive integers', () => {
    expect(() => createReferenceServer({ tokens: ['t1'], bodyLimit: 0 })).toThrow(/bodyLimit must be a positive integer/);
    expect(() => createReferenceServer({ tokens: ['t1'], maxPageSize: 1.5 })).toThrow(/maxPageSize/);
    expect(() => createReferenceServer({ tokens: ['t1'], port: 70000 })).toThrow(/port/);
    expect(() => createReferenceServer({ tokens: ['t1'], patchStatus: 201 as 200 })).toThrow(/patchStatus/);
  });

  it('applies compat options over STRICT', () => {
    const { options } = createReferenceServer({ tokens: ['t1'], compat: { stringBooleans: true } });
    expect(options.compat.stringBooleans).toBe(true);
    expect(options.compat.caseInsensitiveOps).toBe(false);
  });
});

describe('listen', () => {
  it('binds a free port and answers over the network', async () => {
    const server = createReferenceServer({ tokens: ['t1'] });
    const { url } = await server.listen();
    try {
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/scim\/v2$/);
      const res = await fetch(`${url}/ServiceProviderConfig`, { headers: auth });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe(SCIM_TYPE);
      expect((await res.json()).meta.location).toBe(`${url}/ServiceProviderConfig`);
    } finally {
      await server.close();
    }
  });
});
