import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { RequestFailedError, ScimClient } from '../../../harness/http/client.js';
import { Redactor } from '../../../harness/http/redact.js';
import { Transcript } from '../../../harness/http/transcript.js';
import { fakeTarget } from './fake-target.js';

const raw = (transcript: Transcript) => ({ transcript, kind: 'raw' as const, step: 0 });
const JSON_TEXT = '{"id":"1","name":"Zoë"}';

describe('Content-Encoding', () => {
  const target = fakeTarget();
  afterEach(() => target.agent.assertNoPendingInterceptors());

  it.each([
    ['gzip', gzipSync(JSON_TEXT)],
    ['x-gzip', gzipSync(JSON_TEXT)],
    ['deflate', deflateSync(JSON_TEXT)],
    ['deflate', deflateRawSync(JSON_TEXT)],
    ['deflate, gzip', gzipSync(deflateSync(JSON_TEXT))],
    ['identity', Buffer.from(JSON_TEXT)],
  ])('undoes %s, so the text, the JSON and the transcript are the plain body', async (coding, bytes) => {
    target.pool.intercept({ path: '/scim/v2/Users/1', method: 'GET' }).reply(200, bytes, { headers: { 'content-type': 'application/scim+json', 'content-encoding': coding } });
    const transcript = new Transcript();
    const response = await target.client.send({ method: 'GET', path: '/Users/1' }, raw(transcript));
    expect(response.text).toBe(JSON_TEXT);
    expect(response.json).toEqual({ id: '1', name: 'Zoë' });
    expect(transcript.exchanges[0]!.response!.body).toEqual({ json: { id: '1', name: 'Zoë' }, bytes: Buffer.byteLength(JSON_TEXT) });
  });

  it('a body that is not what its Content-Encoding says is a failed request, in words', async () => {
    target.pool.intercept({ path: '/scim/v2/Users/1', method: 'GET' }).reply(200, JSON_TEXT, { headers: { 'content-encoding': 'gzip' } });
    const transcript = new Transcript();
    const failure = await target.client.send({ method: 'GET', path: '/Users/1' }, raw(transcript)).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(RequestFailedError);
    expect((failure as Error).message).toMatch(/the response body is not valid gzip \(Content-Encoding\)/);
    expect(transcript.exchanges[0]!.error).toMatch(/not valid gzip/);
  });
});

describe('a timeout for one request', () => {
  let server: Server;
  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('timeoutMs on the request replaces the client timeout', async () => {
    server = createServer(() => {
      // Never answers.
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const client = new ScimClient({ baseUrl: `http://127.0.0.1:${port}`, credentials: { kind: 'none' }, redactor: new Redactor(), timeoutMs: 60_000 });
    const started = performance.now();
    const failure = await client.send({ method: 'GET', path: '/Users', timeoutMs: 200 }, raw(new Transcript())).catch((e: unknown) => e);
    await client.close();
    expect((failure as Error).message).toMatch(/no response within 200 ms/);
    expect(performance.now() - started).toBeLessThan(5000);
  });
});
