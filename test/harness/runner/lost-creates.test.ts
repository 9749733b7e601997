import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Redactor } from '../../../harness/http/redact.js';
import { Transcript } from '../../../harness/http/transcript.js';
import { readClaim } from '../../../harness/runner/claim.js';
import { Leftovers } from '../../../harness/runner/left-behind.js';
import { runScenarios } from '../../../harness/runner/run.js';
import type { RequestStep, Scenario } from '../../../harness/types.js';
import { renderMarkdown } from '../../../reports/markdown.js';
import { runEndLines } from '../../../reports/run-end.js';
import { URN } from '../../../scim/schema/urns.js';

/*
 * A create whose answer never arrived may have created the resource all the same: the cleanup
 * finds it by the name it sent and deletes it, or lists it as possibly left behind, with its name.
 */

const source = { file: 'lost-creates.yaml', line: 1, column: 1 };
const TOKEN = 'lost-creates-token';
const RUN_ID = 'feedc0de';
const ADA = `scim-${RUN_ID}-0-ada`;

/** How the fake target answers a POST /Users, once it has stored the user; and a lookup by filter. */
interface Behaviour {
  /** `reset-unstored`: the connection is reset before the user is stored. */
  create: 'reset' | 'reset-unstored' | 'too-large' | 'no-location';
  lookup: 'list' | 'refuse' | 'fail' | 'ignore-filter';
}

/** A loopback SCIM target that stores users, and answers their creation as `behaviour` says. */
async function fakeTarget(behaviour: Behaviour) {
  const users = new Map<string, string>();
  const seen: string[] = [];
  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/scim+json' });
    res.end(JSON.stringify(body));
  };
  const list = (entries: [string, string][]) =>
    ({ schemas: [URN.listResponse], totalResults: entries.length, Resources: entries.map(([id, userName]) => ({ schemas: [URN.user], id, userName })) });
  const handle = (req: IncomingMessage, res: ServerResponse, body: string) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    seen.push(`${req.method} ${url.pathname}${url.search}`);
    if (url.pathname === '/scim/v2/ServiceProviderConfig') return json(res, 200, { schemas: [URN.serviceProviderConfig], filter: { supported: true, maxResults: 100 } });
    if (req.method === 'POST' && url.pathname === '/scim/v2/Users') {
      if (behaviour.create === 'reset-unstored') return req.socket.destroy();
      const id = `u${users.size + 1}`;
      users.set(id, (JSON.parse(body) as { userName: string }).userName);
      if (behaviour.create === 'reset') return req.socket.destroy();
      if (behaviour.create === 'no-location') return json(res, 201, { schemas: [URN.user], userName: users.get(id) });
      res.writeHead(201, { 'content-type': 'application/scim+json' });
      return res.end(JSON.stringify({ schemas: [URN.user], id, padding: 'x'.repeat(8 * 1024) }));
    }
    if (req.method === 'GET' && url.pathname === '/scim/v2/Users') {
      if (behaviour.lookup === 'refuse') return json(res, 400, { schemas: [URN.error], status: '400', scimType: 'invalidFilter', detail: 'filters are not supported' });
      if (behaviour.lookup === 'fail') return json(res, 500, { schemas: [URN.error], status: '500', detail: 'database unavailable' });
      if (behaviour.lookup === 'ignore-filter') return json(res, 200, list([...users, ['other', 'someone-else']]));
      const wanted = /^userName eq "(.*)"$/.exec(url.searchParams.get('filter') ?? '')?.[1];
      return json(res, 200, list([...users].filter(([, userName]) => userName === wanted)));
    }
    const id = /^\/scim\/v2\/Users\/([^/]+)$/.exec(url.pathname)?.[1];
    if (req.method === 'DELETE' && id !== undefined && users.delete(id)) {
      res.writeHead(204);
      return res.end();
    }
    json(res, 404, { schemas: [URN.error], status: '404', detail: 'not found' });
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => handle(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/scim/v2`,
    users,
    seen,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let target: Awaited<ReturnType<typeof fakeTarget>> | undefined;
afterEach(async () => {
  await target?.close();
  target = undefined;
});

const create = (userName: string): RequestStep => ({
  kind: 'request',
  request: { method: 'POST', path: '/Users', body: { schemas: [URN.user], userName } },
  expect: { status: 201 },
  source,
});

function scenario(id: string, userName = '{{unique.ada}}'): Scenario {
  return { id, title: id, refs: ['RFC 7644 §3.3'], tags: [], requires: [], covers: [], idp: 'none', settings: {}, steps: [create(userName)], source };
}

async function runAgainst(behaviour: Behaviour, scenarios: Scenario[], keep = false) {
  target = await fakeTarget(behaviour);
  return runScenarios(scenarios, {
    idps: {},
    target: { url: target.url, credentials: { kind: 'bearer', token: TOKEN } },
    profile: readClaim('strict'),
    runId: RUN_ID,
    concurrency: 1,
    maxResponseBytes: 1024,
    keep,
  });
}

const cleanupSent = () => target!.seen.filter((line) => !/ServiceProviderConfig|Schemas|ResourceTypes|^POST/.test(line));
const lookup = `GET /scim/v2/Users?filter=${encodeURIComponent(`userName eq "${ADA}"`)}&count=10`;

describe('a create whose answer was lost', () => {
  it.each([
    ['the connection is reset', 'reset'],
    ['the answer is too large', 'too-large'],
    ['a 201 names no Location or id', 'no-location'],
  ] as const)('is found by its userName and deleted when %s', async (_, create) => {
    const result = await runAgainst({ create, lookup: 'list' }, [scenario('lost')]);
    expect(cleanupSent()).toEqual([lookup, 'DELETE /scim/v2/Users/u1']);
    expect(target!.users.size).toBe(0);
    expect(result).not.toHaveProperty('leftBehind');
    expect(result.scenarios[0]!.exchanges.map((e) => `${e.kind} ${e.request.method}`)).toEqual(['raw POST', 'cleanup GET', 'cleanup DELETE']);
  });

  it('that created nothing is looked up once and leaves nothing', async () => {
    const result = await runAgainst({ create: 'reset-unstored', lookup: 'list' }, [scenario('lost')]);
    expect(cleanupSent()).toEqual([lookup]);
    expect(result).not.toHaveProperty('leftBehind');
  });

  it('is listed as possibly left behind, with its name, when the target refuses the lookup by filter; every report says so', async () => {
    const result = await runAgainst({ create: 'reset', lookup: 'refuse' }, [scenario('refused-filter')]);
    expect(cleanupSent()).toEqual([lookup]);
    expect(target!.users.size).toBe(1);
    const reason = expect.stringMatching(
      new RegExp(`^userName "${ADA}" may be on the target: its POST got no answer \\(connection closed by .*\\), so its id is unknown; the target refused the lookup by filter: GET answered 400 invalidFilter: filters are not supported$`),
    );
    expect(result.leftBehind).toEqual([{ scenario: 'refused-filter', url: `${target!.url}/Users`, reason }]);
    expect(runEndLines(result).join('\n')).toContain(`${target!.url}/Users (refused-filter): userName "${ADA}" may be on the target`);
    expect(renderMarkdown(result)).toContain(`userName "${ADA}" may be on the target`);
  });

  it('is listed as possibly left behind, with its name, when the lookup fails', async () => {
    const result = await runAgainst({ create: 'reset', lookup: 'fail' }, [scenario('failed-lookup')]);
    expect(cleanupSent()).toEqual([lookup]);
    expect(result.leftBehind).toEqual([
      { scenario: 'failed-lookup', url: `${target!.url}/Users`, reason: expect.stringMatching(new RegExp(`^userName "${ADA}" may be on the target: .*; the lookup by filter answered 500: database unavailable, not a list$`)) },
    ]);
  });

  it('is not deleted when the lookup answers resources of other names: the target ignored the filter', async () => {
    const result = await runAgainst({ create: 'reset', lookup: 'ignore-filter' }, [scenario('ignored-filter')]);
    expect(cleanupSent()).toEqual([lookup]);
    expect(result.leftBehind).toEqual([{ scenario: 'ignored-filter', url: `${target!.url}/Users`, reason: expect.stringMatching(/; the lookup by filter answered resources of other names: the target ignores the filter$/) }]);
  });

  it('named by none of the scenario’s unique values is never looked up, and is listed', async () => {
    const result = await runAgainst({ create: 'reset', lookup: 'list' }, [scenario('fixed-name', 'ada@example.com')]);
    expect(cleanupSent()).toEqual([]);
    expect(result.leftBehind).toEqual([
      { scenario: 'fixed-name', url: `${target!.url}/Users`, reason: expect.stringMatching(/^userName "ada@example\.com" may be on the target: .*; not looked up: the name is none of the scenario's unique values/) },
    ]);
  });

  it('is left alone with --keep', async () => {
    const result = await runAgainst({ create: 'reset', lookup: 'list' }, [scenario('kept')], true);
    expect(cleanupSent()).toEqual([]);
    expect(result).not.toHaveProperty('leftBehind');
  });

  it('of a scenario under way is listed by a run stopped at once', () => {
    const leftovers = new Leftovers();
    const transcript = new Transcript();
    const recording = { redactor: new Redactor([]), bodyCap: 1024 };
    const url = 'http://127.0.0.1:9/scim/v2/Users';
    const body = JSON.stringify({ schemas: [URN.user], userName: ADA });
    transcript.record(
      { step: 0, kind: 'raw', request: { method: 'POST', url, headers: { 'content-type': 'application/scim+json' }, body }, error: 'no response within 1 s', startedAt: '2026-01-01T00:00:00Z', durationMs: 1 },
      recording,
    );
    leftovers.begin('under-way', transcript);
    expect(leftovers.now('not deleted: the run stopped before its cleanup')).toEqual([
      { scenario: 'under-way', url, reason: `userName "${ADA}" may be on the target: its POST got no answer (no response within 1 s), so its id is unknown; not deleted: the run stopped before its cleanup` },
    ]);
  });
});
