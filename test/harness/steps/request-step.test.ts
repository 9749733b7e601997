import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Transcript } from '../../../harness/http/transcript.js';
import { FilterProbe } from '../../../harness/steps/refusal.js';
import { runRequestStep, type StepContext } from '../../../harness/steps/request-step.js';
import { Vars } from '../../../harness/steps/template.js';
import type { RequestStep } from '../../../harness/types.js';
import { URN } from '../../../scim/schema/urns.js';
import { BASE, fakeTarget, SCIM_JSON } from '../http/fake-target.js';

const source = { file: 'scenarios/rfc7644/users-create.yaml', line: 1, column: 1 };
const REFS = ['RFC 7644 §3.3', 'RFC 7643 §4.1'];
const USER_PATH = '/scim/v2/Users';

/** The create-then-read scenario of docs/scenario-format.md. */
const create: RequestStep = {
  kind: 'request',
  name: 'create the user',
  request: {
    method: 'POST',
    path: '/Users',
    body: { schemas: [URN.user], userName: '{{unique.user}}@example.com', password: 't1meMachine!' },
  },
  expect: {
    status: 201,
    schema: 'User',
    headers: { Location: { matches: '/Users/[^/]+$' }, etag: { present: true } },
    body: { id: { type: 'string' }, userName: { equals: '{{unique.user}}@example.com' }, password: { absent: true }, 'meta.resourceType': { equals: 'User' } },
  },
  save: { userId: 'id', version: { header: 'etag' } },
  source,
};

const read: RequestStep = {
  kind: 'request',
  ref: 'RFC 7644 §3.4.1',
  request: { method: 'GET', path: '/Users/{{userId}}' },
  expect: { status: 200, body: { id: { equals: '{{userId}}' } } },
  source,
};

const notFound: RequestStep = {
  kind: 'request',
  ref: 'RFC 7644 §3.12',
  request: { method: 'GET', path: '/Users/{{uuid}}' },
  expect: { status: 404, schema: 'Error', headers: { 'content-type': { contains: 'application/scim+json' } }, body: { status: { equals: '404' } } },
  source,
};

const USER_NAME = 'scim-0badcafe-3-user@example.com';

function user(id: string): Record<string, unknown> {
  return { schemas: [URN.user], id, userName: USER_NAME, meta: { resourceType: 'User', location: `${BASE}/Users/${id}` } };
}

describe('a request step', () => {
  let target: ReturnType<typeof fakeTarget>;
  let ctx: StepContext;

  beforeEach(() => {
    target = fakeTarget({ credentials: { kind: 'bearer', token: 'step-token-canary' } });
    ctx = { client: target.client, transcript: new Transcript(), vars: new Vars('0badcafe', 3, BASE), refs: REFS, probe: new FilterProbe(target.client) };
  });
  afterEach(async () => {
    await target.client.close();
    await target.agent.close();
  });

  it('passes against a target that answers correctly, and saves values for the next step', async () => {
    target.pool
      .intercept({ path: USER_PATH, method: 'POST', body: (body) => JSON.parse(body).userName === USER_NAME })
      .reply(201, user('u1'), { headers: { ...SCIM_JSON, Location: `${BASE}/Users/u1`, ETag: 'W/"1"' } });
    target.pool.intercept({ path: `${USER_PATH}/u1`, method: 'GET' }).reply(200, user('u1'), { headers: SCIM_JSON });

    const first = await runRequestStep(create, 0, ctx);
    expect(first).toMatchObject({ index: 0, name: 'create the user', status: 'passed' });
    expect(first.checks.map((c) => c.what)).toEqual([
      'status',
      'header location',
      'header etag',
      'body id',
      'body userName',
      'body password',
      'body meta.resourceType',
      'schema User',
    ]);
    expect(first.checks.every((c) => c.passed && c.ref === 'RFC 7644 §3.3' && c.exchange === 1)).toBe(true);
    expect(ctx.vars.get('userId')).toBe('u1');
    expect(ctx.vars.get('version')).toBe('W/"1"');

    const second = await runRequestStep(read, 1, ctx);
    expect(second).toMatchObject({ index: 1, name: 'GET /Users/{{userId}}', status: 'passed' });
    expect(second.checks.every((c) => c.ref === 'RFC 7644 §3.4.1' && c.exchange === 2)).toBe(true);

    const recorded = JSON.stringify(ctx.transcript.exchanges);
    expect(recorded).not.toContain('t1meMachine!');
    expect(recorded).not.toContain('step-token-canary');
    expect(ctx.transcript.exchanges.map((e) => [e.kind, e.step])).toEqual([
      ['raw', 0],
      ['raw', 1],
    ]);
  });

  it('fails only the status check on a 500, names the detail and the ref, and later steps say why they cannot run', async () => {
    target.pool
      .intercept({ path: USER_PATH, method: 'POST' })
      .reply(500, { schemas: [URN.error], status: '500', detail: 'database is down' }, { headers: SCIM_JSON });

    const first = await runRequestStep(create, 0, ctx);
    expect(first.status).toBe('failed');
    expect(first.checks).toEqual([
      {
        what: 'status',
        passed: false,
        expected: 201,
        actual: 500,
        message: 'expected status 201, got 500 (detail: "database is down")',
        ref: 'RFC 7644 §3.3',
        exchange: 1,
      },
    ]);

    const second = await runRequestStep(read, 1, ctx);
    expect(second).toMatchObject({
      status: 'error',
      checks: [],
      error: 'step 2 uses {{userId}}, which was not saved because step 1 got status 500',
    });
    expect(ctx.transcript.exchanges).toHaveLength(1);
  });

  it('is blocked, not failed, when the target refuses a valid filter operator as the RFC allows, and names the operator it refuses', async () => {
    const listing = (filter: string): RequestStep => ({ kind: 'request', request: { method: 'GET', path: '/Users', query: { filter } }, expect: { status: 200 }, source });
    const empty = { schemas: [URN.listResponse], totalResults: 0, Resources: [] };
    // A target without "co": a filter using it anywhere is refused, everything else is answered.
    target.pool
      .intercept({ path: (p) => p.startsWith(USER_PATH), method: 'GET' })
      .reply<object>((request) => {
        const filter = new URL(request.path, BASE).searchParams.get('filter') ?? '';
        return / co /.test(filter)
          ? { statusCode: 400, data: { schemas: [URN.error], status: '400', scimType: 'invalidFilter', detail: 'No co here' }, responseOptions: { headers: SCIM_JSON } }
          : { statusCode: 200, data: empty, responseOptions: { headers: SCIM_JSON } };
      })
      .persist();

    const blocked = await runRequestStep(listing('userName sw "{{unique.set}}-" and displayName co "Ada"'), 0, ctx);
    expect(blocked).toMatchObject({
      status: 'blocked',
      cause: {
        key: 'filter-operator:co',
        summary: 'target rejects filter operator "co" (400 invalidFilter: No co here)',
        answer: { status: 400, scimType: 'invalidFilter', detail: 'No co here' },
        exchange: 1,
      },
    });
    // Each operator was asked about alone, in the order written, with count=1; sw and and were answered.
    const probes = ctx.transcript.exchanges.filter((e) => e.kind === 'discovery').map((e) => new URL(e.request.url).searchParams);
    expect(probes.map((q) => [q.get('filter'), q.get('count')])).toEqual([
      ['userName sw "scim-0badcafe-3-set-"', '1'],
      ['userName eq "scim-0badcafe-3-set-" and userName eq "scim-0badcafe-3-set-"', '1'],
      ['displayName co "Ada"', '1'],
    ]);
    // The answers are remembered: a second refusal asks nothing more.
    await runRequestStep(listing('displayName co "Bob"'), 1, ctx);
    expect(ctx.transcript.exchanges.filter((e) => e.kind === 'discovery')).toHaveLength(3);

    const malformed = await runRequestStep(listing('userName co "x" regex'), 2, ctx);
    expect(malformed).toMatchObject({ status: 'failed' });
    expect(malformed.cause).toBeUndefined();
  });

  it('fails exactly the header check when Location is missing', async () => {
    target.pool.intercept({ path: USER_PATH, method: 'POST' }).reply(201, user('u2'), { headers: { ...SCIM_JSON, ETag: 'W/"1"' } });

    const result = await runRequestStep(create, 0, ctx);
    expect(result.status).toBe('failed');
    const failed = result.checks.filter((c) => !c.passed);
    expect(failed).toEqual([
      expect.objectContaining({
        what: 'header location',
        message: 'expected header location to match //Users/[^/]+$/, but it is absent',
        ref: 'RFC 7644 §3.3',
      }),
    ]);
    expect(result.checks).toHaveLength(8);
    expect(ctx.vars.get('userId')).toBe('u2');
  });

  it('fails the schema and body checks of a plain-text error, saying what the body was', async () => {
    target.pool.intercept({ path: (path) => path.startsWith(`${USER_PATH}/`), method: 'GET' }).reply(404, 'Not Found', { headers: { 'content-type': 'text/plain' } });

    const result = await runRequestStep(notFound, 0, ctx);
    expect(result.status).toBe('failed');
    expect(result.checks.map((c) => [c.what, c.passed, c.ref])).toEqual([
      ['status', true, 'RFC 7644 §3.12'],
      ['header content-type', false, 'RFC 7644 §3.12'],
      ['body status', false, 'RFC 7644 §3.12'],
      ['schema Error', false, 'RFC 7644 §3.12'],
    ]);
    expect(result.checks[1]?.message).toBe('expected header content-type to contain "application/scim+json", got "text/plain"');
    expect(result.checks[2]?.message).toBe('status cannot be checked: the body is not JSON (text/plain): "Not Found"');
    expect(result.checks[3]?.message).toBe('body does not match the Error schema: the body is not JSON (text/plain): "Not Found"');
  });

  it('names a plain-text body when the status is wrong', async () => {
    target.pool
      .intercept({ path: `${USER_PATH}?filter=userName%20eq%20%22ada%22`, method: 'GET' })
      .reply(500, 'Internal Server Error', { headers: { 'content-type': 'text/plain' } });
    const filter: RequestStep = {
      kind: 'request',
      request: { method: 'GET', path: '/Users', query: { filter: 'userName eq "ada"' } },
      expect: { status: 200, schema: 'ListResponse' },
      source,
    };
    const result = await runRequestStep(filter, 0, { ...ctx, refs: ['RFC 7644 §3.4.2.2'] });
    expect(result.checks).toEqual([
      expect.objectContaining({
        what: 'status',
        passed: false,
        message: 'expected status 200, got 500 with a text/plain body: "Internal Server Error"',
        ref: 'RFC 7644 §3.4.2.2',
      }),
    ]);
  });

  it('fails a save whose path is absent, and a body check that finds a password without showing it', async () => {
    target.pool
      .intercept({ path: USER_PATH, method: 'POST' })
      .reply(201, { ...user('u3'), id: undefined, password: 't1meMachine!' }, { headers: { ...SCIM_JSON, Location: `${BASE}/Users/u3`, ETag: 'W/"1"' } });

    const result = await runRequestStep(create, 0, ctx);
    const failed = result.checks.filter((c) => !c.passed);
    expect(failed.map((c) => [c.what, c.message])).toEqual([
      ['body id', 'expected id to be a string, but it is absent'],
      ['body password', 'expected password to be absent, got [redacted]'],
      ['schema User', "body does not match the User schema: the body must have required property 'id'"],
      ['save userId', 'cannot save userId: the body has no id'],
    ]);
    expect(JSON.stringify(result)).not.toContain('t1meMachine!');
    expect(ctx.vars.get('version')).toBe('W/"1"');
    await expect(runRequestStep(read, 1, ctx)).resolves.toMatchObject({
      status: 'error',
      error: 'step 2 uses {{userId}}, which was not saved because step 1 could not save it (the body has no id)',
    });
  });

  it('is an error, with the error recorded, when the target refuses the connection', async () => {
    target.pool
      .intercept({ path: USER_PATH, method: 'POST' })
      .replyWithError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9999'), { code: 'ECONNREFUSED', address: '127.0.0.1', port: 9999 }));
    const result = await runRequestStep(create, 0, ctx);
    expect(result).toMatchObject({ status: 'error', checks: [], error: `POST ${BASE}/Users: connection refused by 127.0.0.1:9999` });
    expect(ctx.transcript.exchanges[0]?.error).toBe('connection refused by 127.0.0.1:9999');
  });

  it('sends query, headers, raw bodies and step auth as templated', async () => {
    ctx.vars.set('count', 5);
    let seen: { path: string; headers: Record<string, string>; body: unknown } | undefined;
    target.pool
      .intercept({ path: () => true, method: 'POST' })
      .reply((options) => {
        seen = { path: options.path, headers: options.headers as Record<string, string>, body: options.body };
        return { statusCode: 400, data: { schemas: [URN.error], status: '400', scimType: 'invalidSyntax' }, responseOptions: { headers: SCIM_JSON } };
      });
    const step: RequestStep = {
      kind: 'request',
      request: {
        method: 'POST',
        path: '/Users',
        query: { count: '{{count}}', note: '{{unique.n}} x' },
        headers: { 'X-Trace': '{{unique.t}}' },
        rawBody: '{"userName": "{{unique.user}}",',
        auth: { bearer: 'not-the-run-token' },
      },
      expect: { status: 400, body: { scimType: { equals: 'invalidSyntax' } } },
      source,
    };
    const result = await runRequestStep(step, 4, ctx);
    expect(result.status).toBe('passed');
    expect(seen).toEqual({
      path: `${USER_PATH}?count=5&note=scim-0badcafe-3-n%20x`,
      headers: expect.objectContaining({ 'x-trace': 'scim-0badcafe-3-t', authorization: 'Bearer not-the-run-token' }),
      body: '{"userName": "scim-0badcafe-3-user",',
    });
  });
});
