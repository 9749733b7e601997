import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RequestFailedError, ScimClient, TargetUnreachableError } from '../../../harness/http/client.js';
import type { Credentials } from '../../../harness/http/credentials.js';
import { Redactor } from '../../../harness/http/redact.js';
import { Transcript } from '../../../harness/http/transcript.js';
import { BASE, fakeTarget, SCIM_JSON } from './fake-target.js';

const raw = (transcript: Transcript) => ({ transcript, kind: 'raw' as const, step: 0 });

describe('URLs', () => {
  const client = new ScimClient({ baseUrl: 'http://h/scim/v2', credentials: { kind: 'none' }, redactor: new Redactor() });
  const slashed = new ScimClient({ baseUrl: 'http://h/scim/v2/', credentials: { kind: 'none' }, redactor: new Redactor() });

  it('joins the base URL and a path with one slash, keeping the base path', async () => {
    expect(client.url('/Users')).toBe('http://h/scim/v2/Users');
    expect(client.url('Users')).toBe('http://h/scim/v2/Users');
    expect(slashed.url('/Users')).toBe('http://h/scim/v2/Users');
    expect(slashed.url('//Users/1')).toBe('http://h/scim/v2/Users/1');
    expect(client.url('')).toBe('http://h/scim/v2');
    expect(client.url('?x=1')).toBe('http://h/scim/v2?x=1');
    await Promise.all([client.close(), slashed.close()]);
  });

  it('appends query pairs in order, encoded with %20 for spaces', () => {
    expect(client.url('/Users', [['filter', 'userName eq "a b"'], ['count', 10], ['x&y', true]])).toBe(
      'http://h/scim/v2/Users?filter=userName%20eq%20%22a%20b%22&count=10&x%26y=true',
    );
    expect(client.url('/Users?startIndex=1', [['count', 0]])).toBe('http://h/scim/v2/Users?startIndex=1&count=0');
  });

  it('encodes what cannot go into a request line, and leaves existing escapes alone', () => {
    expect(client.url('/Users?filter=userName eq "ädä"')).toBe('http://h/scim/v2/Users?filter=userName%20eq%20%22%C3%A4d%C3%A4%22');
    expect(client.url('/Users/a%2Fb')).toBe('http://h/scim/v2/Users/a%2Fb');
  });

  it('accepts an absolute URL on the target, and refuses one elsewhere', () => {
    expect(client.url('http://h/scim/v2/Users/1')).toBe('http://h/scim/v2/Users/1');
    expect(() => client.url('http://evil.example/Users/1')).toThrow(/not on the target http:\/\/h/);
  });

  it('rejects a base URL that is not http(s)', () => {
    expect(() => new ScimClient({ baseUrl: 'localhost:3000', credentials: { kind: 'none' }, redactor: new Redactor() })).toThrow(
      /not an http:\/\/ or https:\/\/ URL/,
    );
  });
});

describe('sending', () => {
  let target: ReturnType<typeof fakeTarget>;
  beforeEach(() => {
    target = fakeTarget();
  });
  afterEach(async () => {
    await target.client.close();
    await target.agent.close();
  });

  async function capture(credentials?: Credentials): Promise<{ sent: Array<{ headers: Record<string, string>; body: unknown }> }> {
    if (credentials) {
      await Promise.all([target.client.close(), target.agent.close()]);
      target = fakeTarget({ credentials });
    }
    const seen = { sent: [] as Array<{ headers: Record<string, string>; body: unknown }> };
    target.pool
      .intercept({ path: () => true, method: () => true })
      .reply((options) => {
        seen.sent.push({ headers: options.headers as Record<string, string>, body: options.body });
        return { statusCode: 200, data: '{}', responseOptions: { headers: SCIM_JSON } };
      })
      .persist();
    return seen;
  }

  it('sends Accept always, and a SCIM Content-Type with a JSON body', async () => {
    const seen = await capture();
    const transcript = new Transcript();
    await target.client.send({ method: 'GET', path: '/Users' }, raw(transcript));
    await target.client.send({ method: 'post', path: '/Users', body: { userName: 'a' } }, raw(transcript));
    expect(seen.sent[0]?.headers).toMatchObject({ accept: 'application/scim+json' });
    expect(seen.sent[0]?.headers['content-type']).toBeUndefined();
    expect(seen.sent[1]?.headers).toMatchObject({ 'content-type': 'application/scim+json; charset=utf-8' });
    expect(seen.sent[1]?.body).toBe('{"userName":"a"}');
    expect(transcript.exchanges.map((e) => [e.seq, e.request.method, e.request.url])).toEqual([
      [1, 'GET', `${BASE}/Users`],
      [2, 'POST', `${BASE}/Users`],
    ]);
  });

  it('sends a raw body byte for byte, and lets the request override headers', async () => {
    const seen = await capture();
    await target.client.send({ method: 'POST', path: '/Users', rawBody: '{"userName":', headers: { 'Content-Type': 'text/plain' } }, raw(new Transcript()));
    expect(seen.sent[0]?.body).toBe('{"userName":');
    expect(seen.sent[0]?.headers['content-type']).toBe('text/plain');
  });

  it.each<[string, Credentials, string, string]>([
    ['bearer', { kind: 'bearer', token: 'T0k' }, 'authorization', 'Bearer T0k'],
    ['basic', { kind: 'basic', user: 'ada', password: 'p@ss' }, 'authorization', `Basic ${Buffer.from('ada:p@ss').toString('base64')}`],
    ['a named header', { kind: 'header', name: 'X-Api-Key', value: 'k3y' }, 'x-api-key', 'k3y'],
  ])('sends %s credentials', async (_, credentials, name, value) => {
    const seen = await capture(credentials);
    await target.client.send({ method: 'GET', path: '/Users' }, raw(new Transcript()));
    expect(seen.sent[0]?.headers[name]).toBe(value);
  });

  it('sends no credentials for kind none or auth none, and a step token for auth { bearer }', async () => {
    let seen = await capture({ kind: 'none' });
    await target.client.send({ method: 'GET', path: '/Users' }, raw(new Transcript()));
    expect(seen.sent[0]?.headers.authorization).toBeUndefined();
    seen = await capture({ kind: 'bearer', token: 'run-token' });
    await target.client.send({ method: 'GET', path: '/Users' }, { ...raw(new Transcript()), auth: 'none' });
    await target.client.send({ method: 'GET', path: '/Users' }, { ...raw(new Transcript()), auth: { bearer: 'wrong' } });
    expect(seen.sent[0]?.headers.authorization).toBeUndefined();
    expect(seen.sent[1]?.headers.authorization).toBe('Bearer wrong');
  });

  it('returns lower-case headers, the text and the parsed JSON, and records timing and virtual time', async () => {
    target.pool.intercept({ path: '/scim/v2/Users/1', method: 'GET' }).reply(200, { id: '1' }, { headers: { 'Content-Type': 'application/scim+json', ETag: 'W/"1"' } });
    const transcript = new Transcript();
    const response = await target.client.send({ method: 'GET', path: '/Users/1' }, { transcript, kind: 'idp', by: 'entra', step: 3, virtualTime: '2025-01-01T00:40:00Z' });
    expect(response).toMatchObject({ status: 200, json: { id: '1' }, text: '{"id":"1"}', headers: { etag: 'W/"1"' } });
    expect(response.exchange).toMatchObject({
      seq: 1,
      step: 3,
      kind: 'idp',
      virtualTime: '2025-01-01T00:40:00Z',
      response: { status: 200, body: { json: { id: '1' }, bytes: 10 } },
    });
    expect(typeof response.exchange.durationMs).toBe('number');
    expect(Date.parse(response.exchange.startedAt)).not.toBeNaN();
  });
});

describe('bodies in the transcript', () => {
  const target = fakeTarget({ bodyCap: 100 });
  afterEach(() => target.agent.assertNoPendingInterceptors());

  it('keeps text for bodies that are not JSON, and for broken JSON', async () => {
    target.pool.intercept({ path: '/scim/v2/a', method: 'GET' }).reply(500, 'Internal Server Error', { headers: { 'content-type': 'text/plain' } });
    target.pool.intercept({ path: '/scim/v2/b', method: 'GET' }).reply(200, '{"id": ', { headers: SCIM_JSON });
    target.pool.intercept({ path: '/scim/v2/c', method: 'GET' }).reply(200, '<html>{"a":1}</html>', { headers: { 'content-type': 'text/html' } });
    const transcript = new Transcript();
    const a = await target.client.send({ method: 'GET', path: '/a' }, raw(transcript));
    const b = await target.client.send({ method: 'GET', path: '/b' }, raw(transcript));
    const c = await target.client.send({ method: 'GET', path: '/c' }, raw(transcript));
    expect(a.json).toBeUndefined();
    expect(a.exchange.response?.body).toEqual({ text: 'Internal Server Error', bytes: 21 });
    expect(b.json).toBeUndefined();
    expect(b.exchange.response?.body).toEqual({ text: '{"id": ', bytes: 7 });
    expect(c.exchange.response?.body?.text).toBe('<html>{"a":1}</html>');
  });

  it('cuts a body at the cap, with truncated and the full size, and no half characters', async () => {
    const big = { schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'], totalResults: 1, Resources: [{ displayName: 'é'.repeat(200) }] };
    target.pool.intercept({ path: '/scim/v2/Groups', method: 'GET' }).reply(200, big, { headers: SCIM_JSON });
    target.pool.intercept({ path: '/scim/v2/t', method: 'GET' }).reply(200, 'ü'.repeat(80), { headers: { 'content-type': 'text/plain' } });
    const transcript = new Transcript();
    const list = await target.client.send({ method: 'GET', path: '/Groups' }, raw(transcript));
    const text = await target.client.send({ method: 'GET', path: '/t' }, raw(transcript));
    expect(list.json).toEqual(big);
    const body = list.exchange.response?.body;
    expect(body).toMatchObject({ truncated: true, bytes: Buffer.byteLength(JSON.stringify(big)) });
    expect(body?.json).toBeUndefined();
    expect(Buffer.byteLength(body?.text ?? '')).toBeLessThanOrEqual(100);
    expect(body?.text?.startsWith('{"schemas":')).toBe(true);
    expect(text.exchange.response?.body).toMatchObject({ truncated: true, bytes: 160, text: 'ü'.repeat(50) });
  });

  it('records a request body, and none for an empty one', async () => {
    target.pool.intercept({ path: '/scim/v2/Users', method: 'POST' }).reply(201, '', {});
    const response = await target.client.send({ method: 'POST', path: '/Users', body: { userName: 'a' } }, raw(new Transcript()));
    expect(response.exchange.request.body).toEqual({ json: { userName: 'a' }, bytes: 16 });
    expect(response.exchange.response?.body).toBeUndefined();
    expect(response.json).toBeUndefined();
  });
});

describe('secrets never reach the transcript', () => {
  it('redacts the token, a --secret, and passwords in request and response, wherever they appear', async () => {
    const token = 'CANARY-TOKEN-7f3a';
    const secret = 'CANARY SECRET/9';
    const password = 'CANARY-PASSWORD-42';
    const { agent, pool, client } = fakeTarget({ credentials: { kind: 'bearer', token }, secrets: [secret] });
    pool
      .intercept({ path: () => true, method: 'POST' })
      .reply(201, { id: '1', userName: 'ada', password, note: `you sent ${token}` }, { headers: { ...SCIM_JSON, 'x-echo': `Bearer ${token}` } });
    pool.intercept({ path: () => true, method: 'PATCH' }).reply(200, `oops: ${secret}`, { headers: { 'content-type': 'text/plain' } });
    const transcript = new Transcript();
    await client.send(
      { method: 'POST', path: '/Users', query: [['note', secret]], body: { userName: 'ada', password, nested: [{ PassWord: password }] } },
      raw(transcript),
    );
    await client.send(
      { method: 'PATCH', path: '/Users/1', body: { Operations: [{ op: 'replace', path: 'password', value: password }, { op: 'replace', value: { password } }] } },
      raw(transcript),
    );
    const recorded = JSON.stringify(transcript.exchanges);
    for (const canary of ['CANARY', encodeURIComponent(secret)]) expect(recorded).not.toContain(canary);
    expect(transcript.exchanges[0]?.request.headers.authorization).toBe('Bearer [redacted]');
    expect(transcript.exchanges[0]?.response?.headers['x-echo']).toBe('Bearer [redacted]');
    expect(transcript.exchanges[0]?.request.body?.json).toEqual({ userName: 'ada', password: '[redacted]', nested: [{ PassWord: '[redacted]' }] });
    await client.close();
    await agent.close();
  });

  it('redacts Basic credentials and a named auth header', async () => {
    for (const credentials of [
      { kind: 'basic', user: 'ada', password: 'CANARY-BASIC' },
      { kind: 'header', name: 'X-Api-Key', value: 'CANARY-KEY' },
    ] as Credentials[]) {
      const { agent, pool, client } = fakeTarget({ credentials });
      pool.intercept({ path: () => true, method: 'GET' }).reply(200, (options) => JSON.stringify(options.headers), { headers: SCIM_JSON });
      const transcript = new Transcript();
      await client.send({ method: 'GET', path: '/Me' }, raw(transcript));
      const recorded = JSON.stringify(transcript.exchanges);
      expect(recorded).not.toContain('CANARY');
      expect(recorded).not.toContain(Buffer.from('ada:CANARY-BASIC').toString('base64'));
      expect(recorded).toMatch(credentials.kind === 'basic' ? /Basic \[redacted\]/ : /"x-api-key":"\[redacted\]"/);
      await client.close();
      await agent.close();
    }
  });
});

describe('the connection pool', () => {
  it('opens no more connections than configured', async () => {
    let open = 0;
    let most = 0;
    const server = createServer((_, response) => setTimeout(() => response.end('{}'), 30));
    server.on('connection', (socket) => {
      most = Math.max(most, ++open);
      socket.on('close', () => open--);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const client = new ScimClient({ baseUrl: `http://127.0.0.1:${port}`, credentials: { kind: 'none' }, redactor: new Redactor(), connections: 2 });
    const transcript = new Transcript();
    const responses = await Promise.all(Array.from({ length: 6 }, () => client.send({ method: 'GET', path: '/Users' }, raw(transcript))));
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(most).toBe(2);
    expect(transcript.exchanges.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    await client.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
});

describe('network failures', () => {
  it('records a refused connection and throws TargetUnreachableError', async () => {
    const { agent, pool, client } = fakeTarget();
    pool.intercept({ path: '/scim/v2/Users', method: 'GET' }).replyWithError(
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1234'), { code: 'ECONNREFUSED', address: '127.0.0.1', port: 1234 }),
    );
    const transcript = new Transcript();
    const failure = await client.send({ method: 'GET', path: '/Users' }, raw(transcript)).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(TargetUnreachableError);
    expect(failure).toBeInstanceOf(RequestFailedError);
    expect((failure as Error).message).toBe(`GET ${BASE}/Users: connection refused by 127.0.0.1:1234`);
    expect(transcript.exchanges).toEqual([expect.objectContaining({ seq: 1, error: 'connection refused by 127.0.0.1:1234' })]);
    expect(transcript.exchanges[0]?.response).toBeUndefined();
    await client.close();
    await agent.close();
  });

  it('reports a closed loopback port, through its own pool', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    const client = new ScimClient({ baseUrl: `http://127.0.0.1:${port}/scim/v2`, credentials: { kind: 'none' }, redactor: new Redactor(), connections: 2 });
    const transcript = new Transcript();
    await expect(client.send({ method: 'GET', path: '/ServiceProviderConfig' }, raw(transcript))).rejects.toThrow(TargetUnreachableError);
    expect(transcript.exchanges[0]?.error).toBe(`connection refused by 127.0.0.1:${port}`);
    await client.close();
  });

  describe('a target that never answers', () => {
    let server: Server;
    afterEach(async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    });

    it('times out with "no response within …" and a RequestFailedError', async () => {
      server = createServer(() => undefined);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as AddressInfo;
      const client = new ScimClient({ baseUrl: `http://127.0.0.1:${port}`, credentials: { kind: 'none' }, redactor: new Redactor(), timeoutMs: 200 });
      const transcript = new Transcript();
      const failure = await client.send({ method: 'GET', path: '/Users' }, raw(transcript)).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(RequestFailedError);
      expect(failure).not.toBeInstanceOf(TargetUnreachableError);
      expect(transcript.exchanges[0]?.error).toBe('no response within 200 ms');
      await client.close();
    });
  });

  it('refuses, and records, a request to another origin', async () => {
    const { agent, client } = fakeTarget();
    const transcript = new Transcript();
    await expect(client.send({ method: 'DELETE', path: 'http://elsewhere.example/Users/1' }, { transcript, kind: 'cleanup', step: null })).rejects.toThrow(
      RequestFailedError,
    );
    expect(transcript.exchanges[0]).toMatchObject({ kind: 'cleanup', step: null, request: { url: 'http://elsewhere.example/Users/1' } });
    expect(transcript.exchanges[0]?.error).toMatch(/not on the target/);
    await client.close();
    await agent.close();
  });
});
