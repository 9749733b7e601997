import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ScimClient, type Credentials } from '../../../harness/http/client.js';
import { Redactor } from '../../../harness/http/redact.js';
import { Transcript } from '../../../harness/http/transcript.js';
import { RunAbort } from '../../../harness/runner/errors.js';
import { preflight } from '../../../harness/runner/preflight.js';
import { runScenarios } from '../../../harness/runner/run.js';
import type { Scenario } from '../../../harness/types.js';
import { createReferenceServer } from '../../../reference-server/app.js';

const TOKEN = 'preflight-token-7c2e';

interface Outcome {
  error?: RunAbort;
  transcript: Transcript;
}

/** Runs the preflight against `baseUrl` and answers the RunAbort it threw, if any, and what it sent. */
async function check(baseUrl: string, credentials: Credentials, timeoutMs?: number): Promise<Outcome> {
  const client = new ScimClient({ baseUrl, credentials, redactor: new Redactor(), timeoutMs });
  const transcript = new Transcript();
  try {
    await preflight(client, credentials, transcript);
    return { transcript };
  } catch (error) {
    if (!(error instanceof RunAbort)) throw error;
    return { error, transcript };
  } finally {
    await client.close();
  }
}

const servers: Server[] = [];

/** A node:http server on a free loopback port, closed after the test; answers its origin. */
async function serve(handler: RequestListener): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

let reference: ReturnType<typeof createReferenceServer>;
/** The reference server's base URL (…/scim/v2) and its origin, where it is not mounted. */
let base: string;
let origin: string;

beforeAll(async () => {
  reference = createReferenceServer({ tokens: [TOKEN] });
  base = (await reference.listen()).url;
  origin = new URL(base).origin;
});

afterAll(async () => {
  await reference?.close();
});

const bearer = (token: string): Credentials => ({ kind: 'bearer', token });
const html404: RequestListener = (_request, response) => {
  response.writeHead(404, { 'content-type': 'text/html; charset=utf-8' }).end('<h1>Not Found</h1>');
};

describe('a target that speaks SCIM', () => {
  it('passes on its /ServiceProviderConfig, recorded as discovery', async () => {
    const { error, transcript } = await check(base, bearer(TOKEN));
    expect(error).toBeUndefined();
    expect(transcript.exchanges.map((e) => `${e.kind} ${e.request.method} ${e.request.url} ${e.response?.status}`)).toEqual([
      `discovery GET ${base}/ServiceProviderConfig 200`,
    ]);
  });

  it('passes on a ListResponse from GET /Users?count=1 when it has no /ServiceProviderConfig', async () => {
    const url = await serve((request, response) => {
      if (!request.url?.startsWith('/Users?count=1')) return html404(request, response);
      response.writeHead(200, { 'content-type': 'application/scim+json' });
      response.end(JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'], totalResults: 0, Resources: [] }));
    });
    const { error, transcript } = await check(url, bearer(TOKEN));
    expect(error).toBeUndefined();
    expect(transcript.exchanges.map((e) => e.response?.status)).toEqual([404, 200]);
  });
});

describe('a target that does not speak SCIM', () => {
  it('a web server answering HTML 404: says what was seen and that SCIM servers are usually at /scim/v2', async () => {
    const url = await serve(html404);
    const { error, transcript } = await check(url, bearer(TOKEN));
    expect(error?.exitCode).toBe(3);
    expect(error?.message).toBe(
      `GET ${url}/ServiceProviderConfig answered 404 text/html, and so did GET ${url}/Users?count=1: ` +
        `is the base path right? SCIM servers are usually mounted at /scim/v2, e.g. --target ${url}/scim/v2`,
    );
    // The probe of the usual base path is recorded too.
    expect(transcript.exchanges.map((e) => e.request.url)).toEqual([`${url}/ServiceProviderConfig`, `${url}/Users?count=1`, `${url}/scim/v2/ServiceProviderConfig`]);
    expect(transcript.exchanges.every((e) => e.kind === 'discovery')).toBe(true);
  });

  it('the reference server reached without its base path: did you mean --target …/scim/v2?', async () => {
    const { error } = await check(origin, bearer(TOKEN));
    expect(error?.exitCode).toBe(3);
    expect(error?.message).toMatch(new RegExp(`^GET ${origin}/ServiceProviderConfig answered 404 application/scim\\+json "No endpoint at GET /ServiceProviderConfig: the SCIM endpoints are under /scim/v2"`));
    expect(error?.message).toMatch(new RegExp(`: is the base path right\\? GET ${base}/ServiceProviderConfig answers SCIM: did you mean --target ${base}\\?$`));
  });

  it('a web server at …/scim/v2 already: asks whether --target is a SCIM server at all', async () => {
    const url = await serve((_request, response) => response.writeHead(200, { 'content-type': 'text/html' }).end('<html>welcome</html>'));
    const { error } = await check(`${url}/scim/v2`, bearer(TOKEN));
    expect(error?.message).toBe(
      `GET ${url}/scim/v2/ServiceProviderConfig answered 200 text/html, and so did GET ${url}/scim/v2/Users?count=1: ` +
        'is --target a SCIM server? Give the base URL under which /ServiceProviderConfig and /Users answer SCIM JSON.',
    );
  });

  it('a redirect to the SCIM configuration: did you mean the URL it points to?', async () => {
    const url = await serve((request, response) => response.writeHead(301, { location: `https://scim.example.com/v2${request.url}` }).end());
    const { error } = await check(url, bearer(TOKEN));
    expect(error?.message).toMatch(/answered 301 with no Content-Type redirecting to https:\/\/scim\.example\.com\/v2\/ServiceProviderConfig, /);
    expect(error?.message).toMatch(/: did you mean --target https:\/\/scim\.example\.com\/v2\?$/);
  });

  it('a server failing on both: says so, with its error', async () => {
    const url = await serve((_request, response) => response.writeHead(500, { 'content-type': 'text/plain' }).end('boom'));
    const { error } = await check(`${url}/scim/v2`, bearer(TOKEN));
    expect(error?.message).toMatch(/answered 500 text\/plain, and so did GET \S+: the server fails before any scenario could run: its logs should say why\.$/);
  });
});

describe('credentials', () => {
  it('none given and a 401: the target wants credentials', async () => {
    const { error } = await check(base, { kind: 'none' });
    expect(error?.exitCode).toBe(3);
    expect(error?.message).toMatch(/^GET \S+\/ServiceProviderConfig answered 401 application\/scim\+json ".*": the target wants credentials: give --token, --basic or --auth-header\.$/);
  });

  it('a wrong token: refused, naming --token and never the token', async () => {
    const { error } = await check(base, bearer('wrong-token-91ab'));
    expect(error?.exitCode).toBe(3);
    expect(error?.message).toMatch(/answered 401 .*: the target refused the token given with --token \(or SCIMULATOR_TOKEN\)\. Check it, and that it is meant for this target\.$/);
    expect(error?.message).not.toContain('wrong-token-91ab');
  });

  it('wrong Basic credentials: refused, naming --basic', async () => {
    const { error } = await check(base, { kind: 'basic', user: 'ada', password: 'not-her-password' });
    expect(error?.message).toMatch(/the target refused the user and password given with --basic\./);
    expect(error?.message).not.toContain('not-her-password');
  });
});

describe('a target that does not answer', () => {
  it('https against a plain-HTTP server: use http://, on the same port', async () => {
    const port = new URL(base).port;
    const { error, transcript } = await check(`https://127.0.0.1:${port}/scim/v2`, bearer(TOKEN));
    expect(error?.exitCode).toBe(3);
    expect(error?.message).toBe(
      `The target speaks plain HTTP, not https: GET https://127.0.0.1:${port}/scim/v2/ServiceProviderConfig got a plain-HTTP answer to its TLS handshake ` +
        `(OpenSSL: "wrong version number"). Use --target http://127.0.0.1:${port}/scim/v2`,
    );
    expect(transcript.exchanges[0]?.error).toBe(`127.0.0.1:${port} answered in plain HTTP, not TLS (OpenSSL: "wrong version number"): use http:// instead of https://`);
  });

  it('nothing listening: names the host and port', async () => {
    const url = await serve(html404);
    const port = new URL(url).port;
    await new Promise((resolve) => servers.pop()!.close(resolve));
    const { error } = await check(`http://localhost:${port}/scim/v2`, bearer(TOKEN));
    expect(error?.exitCode).toBe(3);
    expect(error?.message).toMatch(new RegExp(`^Cannot reach the target: nothing listens on localhost:${port} \\(GET http://localhost:${port}/scim/v2/ServiceProviderConfig: connection refused\\)\\. Is the server running, and is --target right\\?$`));
  });

  it('a server that accepts connections and never answers: raise --timeout if it is only slow', async () => {
    const url = await serve(() => undefined);
    const { error } = await check(url, bearer(TOKEN), 200);
    expect(error?.exitCode).toBe(3);
    expect(error?.message).toBe(
      `GET ${url}/ServiceProviderConfig: no response within 200 ms: the target accepts connections but does not answer. Is --target right? If the server is only slow, raise --timeout (seconds).`,
    );
  });
});

describe('runScenarios', () => {
  it('runs the preflight before any scenario when given a target', async () => {
    const url = await serve(html404);
    const source = { file: 'list.yaml', line: 1, column: 1 };
    const scenario: Scenario = {
      id: 'preflight.list',
      title: 'Lists users',
      refs: ['RFC 7644 §3.4.2'],
      tags: [],
      requires: [],
      covers: [],
      idp: 'none',
      settings: {},
      steps: [{ kind: 'request', request: { method: 'GET', path: '/Users' }, source }],
      source,
    };
    let started = 0;
    const run = runScenarios([scenario], { idps: {}, target: { url, credentials: bearer(TOKEN) }, onScenarioStart: () => started++ });
    await expect(run).rejects.toThrow(/is the base path right\?/);
    expect(started).toBe(0);
  });
});
