import { describe, expect, it } from 'vitest';
import { HANG_LIMIT_MS } from '../../reference-server/faults/types.js';
import { ERROR_SCHEMA } from '../../scim/errors.js';
import { captureLog, json, serve, T0, turns } from './faults-helpers.js';

/** The error a request or its body ends with, as undici reports it. */
async function failure(promise: Promise<unknown>): Promise<{ code?: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { code?: string; message: string };
  }
  throw new Error('expected the request to fail');
}

/** undici's words for a connection that broke: a reset (ECONNRESET) or a close (UND_ERR_SOCKET). */
const BROKEN = ['ECONNRESET', 'UND_ERR_SOCKET'];

describe('status faults', () => {
  it('answer with the status, headers and JSON body given, and say so in x-scimulator-fault', async () => {
    const { get } = await serve({
      faults: { rules: [{ name: 'custom', match: { path: '/Users' }, act: { status: 500, headers: { 'X-Request-Id': 'r-1', 'X-Count': 3 }, body: { error: 'boom' } } }] },
    });
    const response = await get('/Users');
    expect(response.statusCode).toBe(500);
    expect(response.headers).toMatchObject({
      'x-request-id': 'r-1',
      'x-count': '3',
      'content-type': 'application/scim+json; charset=utf-8',
      'x-scimulator-fault': 'custom: 500',
    });
    expect(await json(response)).toEqual({ error: 'boom' });
  });

  it('answer a text body with its content type', async () => {
    const { get } = await serve({ faults: { rules: [{ act: { status: 503, body: 'try later', contentType: 'text/plain' } }] } });
    const response = await get('/Groups');
    expect(response.headers['content-type']).toBe('text/plain');
    expect(await response.body.text()).toBe('try later');
  });

  it('answer a SCIM error body by default from 400, and no body below', async () => {
    const { get } = await serve({ faults: { rules: [{ match: { path: '/Users' }, act: { status: 404 } }, { act: { status: 200 } }] } });
    const notFound = await get('/Users?filter=userName%20eq%20%22x%22');
    expect(notFound.statusCode).toBe(404);
    expect(notFound.headers['x-scimulator-fault']).toBe('404');
    expect(await json(notFound)).toEqual({ schemas: [ERROR_SCHEMA], status: '404', detail: 'Not Found' });
    const ok = await get('/Groups');
    expect(ok.statusCode).toBe(200);
    expect(await ok.body.text()).toBe('');
  });

  it('carry Retry-After in seconds, as an HTTP-date on the server clock, or not at all', async () => {
    const { get, clock } = await serve({
      faults: {
        rules: [
          { match: { path: '/Users', nth: 1 }, act: { status: 429, retryAfter: 30 } },
          { match: { path: '/Users', nth: 1 }, act: { status: 429, retryAfter: { date: '+30s' } } },
          { match: { path: '/Users', nth: 1 }, act: { status: 429 } },
        ],
      },
    });
    const seconds = await get('/Users');
    expect([seconds.statusCode, seconds.headers['retry-after'], seconds.headers['x-scimulator-fault']]).toEqual([429, '30', '429 Retry-After 30']);
    clock.now = T0 + 3_600_000;
    const date = await get('/Users');
    expect([date.headers['retry-after'], date.headers['x-scimulator-fault']]).toEqual(['Mon, 05 Jan 2026 10:00:30 GMT', '429 Retry-After +30s']);
    const none = await get('/Users');
    expect(none.statusCode).toBe(429);
    expect(none.headers['retry-after']).toBeUndefined();
    expect((await get('/Users')).statusCode).toBe(200);
    await Promise.all([seconds, date, none].map((r) => r.body.dump()));
  });

  it("answer a proxy's HTML error page: the built-in one for the status, or the one given", async () => {
    const { get } = await serve({
      faults: { rules: [{ match: { path: '/Users' }, act: { status: 502, html: true } }, { act: { status: 503, html: true, body: '<h1>Down</h1>' } }] },
    });
    const bad = await get('/Users');
    expect([bad.statusCode, bad.headers['content-type'], bad.headers['x-scimulator-fault']]).toEqual([502, 'text/html', '502 HTML page']);
    expect(await bad.body.text()).toContain('<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>');
    const own = await get('/ServiceProviderConfig');
    expect([own.statusCode, await own.body.text()]).toEqual([503, '<h1>Down</h1>']);
  });

  it('act before the handler: a faulted create creates nothing', async () => {
    const { send, get } = await serve({ faults: { rules: [{ match: { method: 'POST', nth: 1 }, act: { status: 429, retryAfter: 1 } }] } });
    const user = { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'ada@example.com' };
    expect((await send('POST', '/Users', { body: user })).statusCode).toBe(429);
    expect((await json(await get('/Users'))).totalResults).toBe(0);
    expect((await send('POST', '/Users', { body: user })).statusCode).toBe(201);
  });
});

describe('authentication comes first', () => {
  it('a request without a valid credential gets its 401, and the rule does not count it', async () => {
    const { get, server } = await serve({ faults: { rules: [{ act: { status: 503 } }] } });
    const anonymous = await get('/Users', { headers: {} });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers['x-scimulator-fault']).toBeUndefined();
    expect((await get('/Users', { headers: { authorization: 'Bearer wrong' } })).statusCode).toBe(401);
    expect(server.faults.list().rules[0]).toMatchObject({ matched: 0, acted: 0 });
    expect((await get('/Users')).statusCode).toBe(503);
  });

  it('discovery answered without a credential (publicDiscovery) is faulted like any endpoint', async () => {
    const { get } = await serve({ publicDiscovery: true, faults: { rules: [{ match: { path: '/Schemas/**' }, act: { status: 500 } }] } });
    expect((await get('/Schemas', { headers: {} })).statusCode).toBe(500);
    expect((await get('/Schemas/urn:ietf:params:scim:schemas:core:2.0:User', { headers: {} })).statusCode).toBe(500);
    expect((await get('/ResourceTypes', { headers: {} })).statusCode).toBe(200);
  });
});

describe('delays, on the timers the server is given', () => {
  it('delay the normal answer until the virtual clock has moved that far', async () => {
    const { get, timers } = await serve({ faults: { rules: [{ match: { path: '/ServiceProviderConfig' }, act: { delay: 1000 } }] } });
    let answered = false;
    const pending = get('/ServiceProviderConfig').then((response) => {
      answered = true;
      return response;
    });
    await timers.waiting();
    timers.advance(999);
    await turns();
    expect(answered).toBe(false);
    timers.advance(1);
    const response = await pending;
    expect([response.statusCode, response.headers['x-scimulator-fault']]).toEqual([200, 'delay 1000 ms']);
    expect((await json(response)).schemas).toEqual(['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig']);
  });

  it("delay a fault's answer", async () => {
    const { get, timers } = await serve({ faults: { rules: [{ act: { delay: 50, status: 504, html: true } }] } });
    const pending = get('/Users');
    await timers.waiting();
    timers.advance(50);
    const response = await pending;
    expect([response.statusCode, response.headers['x-scimulator-fault']]).toEqual([504, 'delay 50 ms, then 504 HTML page']);
    await response.body.dump();
  });

  it('a client that goes away ends the wait', async () => {
    const { get, timers } = await serve({ faults: { rules: [{ act: { delay: 60_000 } }] } });
    const abort = new AbortController();
    const pending = failure(get('/Users', { signal: abort.signal }));
    await timers.waiting();
    abort.abort();
    await pending;
    for (let i = 0; i < 100 && timers.size > 0; i++) await turns(1);
    expect(timers.size).toBe(0);
  });
});

describe('broken connections', () => {
  it('reset before headers: the client sees ECONNRESET and nothing else', async () => {
    const { get } = await serve({ faults: { rules: [{ match: { method: 'GET', path: '/Users/*' }, act: { reset: 'before-headers' } }] } });
    expect((await failure(get('/Users/2819c223'))).code).toBe('ECONNRESET');
    // The server goes on answering other requests.
    expect((await get('/Users')).statusCode).toBe(200);
  });

  it('reset mid-body: the headers and part of the body arrive, then the connection breaks', async () => {
    const { get } = await serve({ faults: { rules: [{ match: { path: '/ResourceTypes' }, act: { reset: 'mid-body' } }] } });
    const response = await get('/ResourceTypes');
    expect([response.statusCode, response.headers['x-scimulator-fault']]).toEqual([200, 'reset mid-body']);
    expect(BROKEN).toContain((await failure(response.body.text())).code);
  });

  it('truncate: the normal headers with the full Content-Length, part of the body, then the connection closes', async () => {
    const { get } = await serve({ faults: { rules: [{ match: { path: '/Schemas' }, act: { truncate: 10 } }, { match: { path: '/ResourceTypes' }, act: { truncate: true } }] } });
    for (const path of ['/Schemas', '/ResourceTypes']) {
      const response = await get(path);
      expect(response.statusCode).toBe(200);
      expect(Number(response.headers['content-length'])).toBeGreaterThan(10);
      expect(response.headers['x-scimulator-fault']).toMatch(/^body truncated to (10 bytes|half)$/);
      expect((await failure(response.body.text())).code).toBe('UND_ERR_SOCKET');
    }
  });

  it('a delayed reset happens once the virtual clock has moved', async () => {
    const { get, timers } = await serve({ faults: { rules: [{ act: { delay: 5000, reset: 'before-headers' } }] } });
    const pending = failure(get('/Users'));
    await timers.waiting();
    timers.advance(5000);
    expect((await pending).code).toBe('ECONNRESET');
  });
});

describe('hangs', () => {
  it('no answer until the server closes, which ends the hang at once', async () => {
    const { get, timers, server } = await serve({ faults: { rules: [{ act: { hang: true } }] } });
    let settled = false;
    const pending = failure(get('/Users')).finally(() => (settled = true));
    await timers.waiting();
    await turns();
    expect(settled).toBe(false);
    await server.close();
    expect(BROKEN).toContain((await pending).code);
  });

  it('no answer until the client gives up', async () => {
    const { get, timers } = await serve({ faults: { rules: [{ act: { hang: true } }] } });
    const abort = new AbortController();
    const pending = failure(get('/Users', { signal: abort.signal }));
    await timers.waiting();
    abort.abort();
    expect((await pending).message).toMatch(/abort/i);
    for (let i = 0; i < 100 && timers.size > 0; i++) await turns(1);
    expect(timers.size).toBe(0);
  });

  it(`at most ${HANG_LIMIT_MS / 60_000} minutes on the server's timers, then the connection is reset`, async () => {
    const { get, timers } = await serve({ faults: { rules: [{ act: { hang: true } }] } });
    const pending = failure(get('/Users'));
    await timers.waiting();
    timers.advance(HANG_LIMIT_MS - 1);
    await turns();
    timers.advance(1);
    expect((await pending).code).toBe('ECONNRESET');
  });
});

describe('the request log', () => {
  it('notes the fault on every kind of answer, resets and hangs included', async () => {
    const log = captureLog();
    const { get, timers, server } = await serve({
      log: 'json',
      faults: {
        rules: [
          { name: 'throttle', match: { path: '/Users', nth: 1 }, act: { status: 429, retryAfter: 30 } },
          { match: { path: '/Users/*' }, act: { reset: 'before-headers' } },
          { match: { path: '/Schemas' }, act: { truncate: 5 } },
          { match: { path: '/Groups' }, act: { hang: true } },
        ],
      },
    });
    await (await get('/Users')).body.dump();
    await failure(get('/Users/1'));
    await failure((await get('/Schemas')).body.text());
    await (await get('/Users')).body.dump();
    const hung = failure(get('/Groups'));
    await timers.waiting();
    await server.close();
    await hung;
    for (let i = 0; i < 100 && log.entries().length < 5; i++) await turns(1);
    const entries = log.entries().map(({ method, path, status, fault }) => ({ method, path, status, fault }));
    expect(entries).toEqual(
      expect.arrayContaining([
        { method: 'GET', path: '/scim/v2/Users', status: 429, fault: 'throttle: 429 Retry-After 30' },
        { method: 'GET', path: '/scim/v2/Users/1', status: null, fault: 'reset before headers' },
        { method: 'GET', path: '/scim/v2/Schemas', status: 200, fault: 'body truncated to 5 bytes' },
        { method: 'GET', path: '/scim/v2/Users', status: 200, fault: undefined },
        { method: 'GET', path: '/scim/v2/Groups', status: null, fault: 'no answer' },
      ]),
    );
    expect(entries).toHaveLength(5);
  });
});
