import { connect } from 'node:net';
import { Client } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReferenceServer, type ReferenceServer } from '../../reference-server/app.js';
import { ERROR_SCHEMA } from '../../scim/errors.js';

/**
 * What the HTTP layer answers before a request reaches a route — malformed HTTP, a request line
 * and headers over Node's 16 KiB, a body over the limit — seen on a raw loopback socket: a SCIM
 * error (RFC 7644 §3.12) with `Connection: close`, and the socket closed cleanly, so that a
 * keep-alive client never sends its next request into a socket the server has dropped.
 */

let server: ReferenceServer;
let port: number;

beforeAll(async () => {
  server = createReferenceServer({ tokens: ['t'] });
  port = Number(new URL((await server.listen()).url).port);
});

afterAll(() => server.close());

interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** The socket's error, if it ended with one rather than a clean close (ECONNRESET). */
  error?: string;
}

/** Writes `chunks` on a new socket and reads until the server closes it. */
function exchange(chunks: readonly (string | Buffer)[]): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const received: Buffer[] = [];
    let error: string | undefined;
    socket.on('data', (chunk) => received.push(chunk));
    socket.on('error', (e: NodeJS.ErrnoException) => (error = e.code ?? e.message));
    socket.on('close', () => resolve({ ...parse(Buffer.concat(received).toString('utf8')), error }));
    socket.on('connect', () => {
      for (const chunk of chunks) socket.write(chunk);
    });
  });
}

function parse(text: string): Omit<RawAnswer, 'error'> {
  const end = text.indexOf('\r\n\r\n');
  const [statusLine = '', ...lines] = text.slice(0, end < 0 ? text.length : end).split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status: Number(statusLine.split(' ')[1]), headers, body: end < 0 ? '' : text.slice(end + 4) };
}

/** An RFC 7644 §3.12 error of `status`, on a connection the server closes. */
function expectClosingScimError(answer: RawAnswer, status: number): Record<string, unknown> {
  expect(answer.error).toBeUndefined();
  expect(answer.status, answer.body).toBe(status);
  expect(answer.headers.connection).toBe('close');
  expect(answer.headers['content-type']).toBe('application/scim+json; charset=utf-8');
  expect(Number(answer.headers['content-length'])).toBe(Buffer.byteLength(answer.body));
  const body = JSON.parse(answer.body) as Record<string, unknown>;
  expect(body.schemas).toEqual([ERROR_SCHEMA]);
  expect(body.status).toBe(String(status));
  expect(typeof body.detail).toBe('string');
  return body;
}

const longFilter = `userName eq "${'x'.repeat(17 * 1024)}"`;

describe('errors of the HTTP layer, on a raw socket', () => {
  it('answers a 17 KB query string with a SCIM 431 that points to POST /.search, and closes the connection', async () => {
    const request = `GET /scim/v2/Users?filter=${encodeURIComponent(longFilter)} HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer t\r\n\r\n`;
    const body = expectClosingScimError(await exchange([request]), 431);
    expect(body.detail).toMatch(/16384 bytes/);
    expect(body.detail).toMatch(/POST \/Users\/\.search/);
  });

  it('answers 64 KB of headers the same way, with every byte already sent', async () => {
    const request = `GET /scim/v2/Users HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer t\r\nX-Padding: ${'p'.repeat(64 * 1024)}\r\n\r\n`;
    expectClosingScimError(await exchange([request]), 431);
  });

  it.each([
    ['a request line that is not HTTP', 'GARBAGE\r\n\r\n'],
    ['an invalid header', 'GET /scim/v2/Users HTTP/1.1\r\nHost: localhost\r\nBad Header\r\n\r\n'],
    [
      'a chunked body with an invalid chunk size',
      'POST /scim/v2/Users HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer t\r\nContent-Type: application/scim+json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
    ],
  ])('answers %s with a SCIM 400 and closes the connection', async (_name, request) => {
    const body = expectClosingScimError(await exchange([request]), 400);
    expect(body.detail).toMatch(/not valid HTTP/);
  });

  it('answers a body over the limit with a SCIM 413 and Connection: close, which a client still sending reads', async () => {
    const client = new Client(`http://127.0.0.1:${port}`);
    try {
      const body = Buffer.alloc(20 * 1024 * 1024, 'a');
      const answer = await client.request({ method: 'POST', path: '/scim/v2/Users', body, headers: { authorization: 'Bearer t', 'content-type': 'application/scim+json' } });
      expect(answer.statusCode).toBe(413);
      expect(answer.headers.connection).toBe('close');
      expect((await answer.body.json()) as Record<string, unknown>).toMatchObject({ schemas: [ERROR_SCHEMA], status: '413', detail: expect.stringMatching(/1048576 bytes/) });
    } finally {
      await client.close();
    }
  });

  it('lets a keep-alive client carry on after a 431: its next request opens a new connection', async () => {
    const client = new Client(`http://127.0.0.1:${port}`, { pipelining: 1 });
    try {
      for (let i = 0; i < 20; i++) {
        const refused = await client.request({ method: 'GET', path: `/scim/v2/Users?filter=${encodeURIComponent(longFilter)}`, headers: { authorization: 'Bearer t' } });
        expect(refused.statusCode).toBe(431);
        expect((await refused.body.json()) as Record<string, unknown>).toMatchObject({ schemas: [ERROR_SCHEMA], status: '431' });
        const next = await client.request({ method: 'GET', path: '/scim/v2/ServiceProviderConfig', headers: { authorization: 'Bearer t' } });
        expect(next.statusCode).toBe(200);
        await next.body.dump();
      }
    } finally {
      await client.close();
    }
  });
});
