import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScimClient } from '../../../harness/http/client.js';
import { Redactor } from '../../../harness/http/redact.js';
import { Transcript } from '../../../harness/http/transcript.js';
import { VERSION } from '../../../harness/version.js';
import { tcpProxy, type TcpProxy } from './tcp-proxy.js';

/*
 * The bytes the client writes, read by a raw TCP proxy: who adds which header line, in which
 * casing and order. docs/okta.md (Bytes on the wire) says what these tests show.
 */

let upstream: Server;
let proxy: TcpProxy;
let client: ScimClient;
let host: string;

beforeAll(async () => {
  upstream = createServer((_, response) => response.writeHead(200, { 'content-type': 'application/scim+json' }).end('{}'));
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  proxy = await tcpProxy(`http://127.0.0.1:${(upstream.address() as AddressInfo).port}`);
  host = new URL(proxy.origin).host;
  client = new ScimClient({ baseUrl: `${proxy.origin}/scim/v2`, credentials: { kind: 'bearer', token: 'T0ken' }, redactor: new Redactor() });
});

afterAll(async () => {
  await client.close();
  await proxy.close();
  await new Promise((resolve) => upstream.close(resolve));
});

/** The head of the request the proxy saw last, as written. */
const lastHead = () => proxy.requests.at(-1)!.head.split('\r\n');

describe('the bytes on the wire', () => {
  it("marks the harness's own requests with User-Agent scimulator/<version>, after undici's host and connection", async () => {
    const transcript = new Transcript();
    await client.send({ method: 'GET', path: '/ServiceProviderConfig' }, { transcript, kind: 'discovery', step: null });
    expect(lastHead()).toEqual([
      'GET /scim/v2/ServiceProviderConfig HTTP/1.1',
      `host: ${host}`,
      'connection: keep-alive',
      'accept: application/scim+json',
      `user-agent: scimulator/${VERSION}`,
      'authorization: Bearer T0ken',
    ]);
    expect(VERSION).toMatch(/^\d+\.\d+\.\d+/);
    expect(transcript.exchanges[0]).toMatchObject({ kind: 'discovery', by: 'harness', request: { headers: { 'user-agent': `scimulator/${VERSION}` } } });
  });

  it("lets a protocol step send its own User-Agent in place of the harness's", async () => {
    await client.send({ method: 'GET', path: '/Users', headers: { 'User-Agent': 'curl/8' } }, { transcript: new Transcript(), kind: 'raw', step: 0 });
    expect(lastHead().filter((line) => /^user-agent:/i.test(line))).toEqual(['user-agent: curl/8']);
  });

  it("sends an IdP's request with no User-Agent of the harness's, names cased and ordered as headerOrder says, the rest after them", async () => {
    const transcript = new Transcript();
    await client.send(
      {
        method: 'POST',
        path: '/Users',
        body: { userName: 'ada' },
        headers: { 'x-extra': '1', 'user-agent': 'IdP 1.0', 'accept-charset': 'utf-8' },
        headerOrder: ['Accept', 'Accept-Charset', 'Content-Type', 'User-Agent', 'Authorization'],
      },
      { transcript, kind: 'idp', by: 'okta', step: 0 },
    );
    expect(lastHead()).toEqual([
      'POST /scim/v2/Users HTTP/1.1',
      `host: ${host}`,
      'connection: keep-alive',
      'Accept: application/scim+json',
      'Accept-Charset: utf-8',
      'Content-Type: application/scim+json; charset=utf-8',
      'User-Agent: IdP 1.0',
      'Authorization: Bearer T0ken',
      'x-extra: 1',
      // undici writes Content-Length itself, last and lower-case, whatever the request says.
      'content-length: 18',
    ]);
    // The transcript names headers in lower case, in the order sent, the credentials redacted.
    expect(Object.entries(transcript.exchanges[0]!.request.headers)).toEqual([
      ['accept', 'application/scim+json'],
      ['accept-charset', 'utf-8'],
      ['content-type', 'application/scim+json; charset=utf-8'],
      ['user-agent', 'IdP 1.0'],
      ['authorization', 'Bearer [redacted]'],
      ['x-extra', '1'],
    ]);
    expect(transcript.exchanges[0]!.by).toBe('okta');
  });

  it('sends an IdP request without a User-Agent when the IdP sends none (Entra)', async () => {
    await client.send({ method: 'PATCH', path: '/Users/1', body: {}, omitHeaders: ['accept'] }, { transcript: new Transcript(), kind: 'idp', by: 'entra', step: 0 });
    expect(lastHead()).toEqual([
      'PATCH /scim/v2/Users/1 HTTP/1.1',
      `host: ${host}`,
      'connection: keep-alive',
      'content-type: application/scim+json; charset=utf-8',
      'authorization: Bearer T0ken',
      'content-length: 2',
    ]);
  });
});
