import { MockAgent } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Redactor } from '../../../harness/http/redact.js';
import { Transcript } from '../../../harness/http/transcript.js';
import { readClaim } from '../../../harness/runner/claim.js';
import { Leftovers } from '../../../harness/runner/left-behind.js';
import { runScenarios, type RunOptions } from '../../../harness/runner/run.js';
import type { RequestStep, Scenario } from '../../../harness/types.js';
import { URN } from '../../../scim/schema/urns.js';
import { BASE, ORIGIN, SCIM_JSON } from '../http/fake-target.js';

const source = { file: 'left-behind.yaml', line: 1, column: 1 };
const USERS = '/scim/v2/Users';

const create: RequestStep = {
  kind: 'request',
  request: { method: 'POST', path: '/Users', body: { schemas: [URN.user], userName: '{{unique.ada}}' } },
  expect: { status: 201 },
  save: { id: 'id' },
  source,
};
const read: RequestStep = { kind: 'request', request: { method: 'GET', path: '/Users/{{id}}' }, expect: { status: 200 }, source };
const remove: RequestStep = { kind: 'request', request: { method: 'DELETE', path: '/Users/{{id}}' }, expect: { status: 204 }, source };

function scenario(id: string, steps: RequestStep[]): Scenario {
  return { id, title: id, refs: ['RFC 7644 §3.3'], tags: [], requires: [], covers: [], idp: 'none', settings: {}, steps, source };
}

const user = (id: string) => ({ schemas: [URN.user], id, userName: 'ada' });
const created = (id: string, location = `${BASE}/Users/${id}`) => ({ headers: { ...SCIM_JSON, Location: location } });

let agent: MockAgent;
let pool: ReturnType<MockAgent['get']>;

beforeEach(() => {
  agent = new MockAgent();
  agent.disableNetConnect();
  pool = agent.get(ORIGIN);
  // What the run reads before its scenarios: the preflight's ServiceProviderConfig, and /Schemas (not served).
  pool.intercept({ path: '/scim/v2/ServiceProviderConfig', method: 'GET' }).reply(200, { schemas: [URN.serviceProviderConfig] }, { headers: SCIM_JSON }).persist();
  pool.intercept({ path: '/scim/v2/Schemas', method: 'GET' }).reply(404, '', {}).persist();
});

afterEach(async () => {
  await agent.close();
});

const run = (scenarios: Scenario[], options: Partial<RunOptions> = {}) =>
  runScenarios(scenarios, {
    idps: {},
    target: { url: BASE, credentials: { kind: 'bearer', token: 'left-behind-token' } },
    profile: readClaim('strict'),
    dispatcher: agent,
    concurrency: 1,
    ...options,
  });

describe('resources the cleanup could not delete', () => {
  it('are listed with the scenario that created them and the answer that refused the DELETE', async () => {
    pool.intercept({ path: USERS, method: 'POST' }).reply(201, user('u1'), created('u1'));
    pool
      .intercept({ path: `${USERS}/u1`, method: 'DELETE' })
      .reply(403, { schemas: [URN.error], status: '403', detail: 'this token may not delete' }, { headers: SCIM_JSON });
    const result = await run([scenario('refused', [create])]);
    expect(result.scenarios[0]!.status).toBe('passed');
    expect(result.leftBehind).toEqual([{ scenario: 'refused', url: `${BASE}/Users/u1`, reason: 'DELETE answered 403: this token may not delete' }]);
  });

  it('include a Location on another origin, which is never sent the credentials', async () => {
    const elsewhere = 'http://elsewhere.example/scim/v2/Users/u2';
    pool.intercept({ path: USERS, method: 'POST' }).reply(201, user('u2'), created('u2', elsewhere));
    const result = await run([scenario('elsewhere', [create])]);
    expect(result.leftBehind).toEqual([{ scenario: 'elsewhere', url: elsewhere, reason: expect.stringMatching(/^DELETE failed: .*is not on the target http:\/\/127\.0\.0\.1:9999; not sent/) }]);
    agent.assertNoPendingInterceptors();
  });

  it('are absent when the cleanup or a step deleted everything, and with --keep nothing is deleted or listed', async () => {
    pool.intercept({ path: USERS, method: 'POST' }).reply(201, user('u3'), created('u3')).times(3);
    pool.intercept({ path: `${USERS}/u3`, method: 'DELETE' }).reply(204, '').times(2);
    pool.intercept({ path: `${USERS}/u3`, method: 'DELETE' }).reply(404, { schemas: [URN.error], status: '404', detail: 'gone' }, { headers: SCIM_JSON });
    const cleaned = await run([scenario('cleaned', [create]), scenario('deleted-by-a-step', [create, remove]), scenario('gone-already', [create])]);
    expect(cleaned.scenarios.map((s) => s.status)).toEqual(['passed', 'passed', 'passed']);
    expect(cleaned).not.toHaveProperty('leftBehind');
    agent.assertNoPendingInterceptors();

    pool.intercept({ path: USERS, method: 'POST' }).reply(201, user('u4'), created('u4'));
    const kept = await run([scenario('kept', [create])], { keep: true });
    expect(kept).not.toHaveProperty('leftBehind');
    expect(kept.scenarios[0]!.exchanges.map((e) => e.request.method)).toEqual(['POST']);
  });

  it('include what a DELETE answered with a 404 that is no SCIM error, from a step or the cleanup, without failing anything', async () => {
    // Postman has no DELETE /Users/{id}: its generic 404 (Postman ref §5, PM-28) leaves the user there.
    const generic = { error: { name: 'NotFound', message: 'Not found' }, status: 'error' };
    pool.intercept({ path: USERS, method: 'POST' }).reply(201, user('u6'), created('u6'));
    pool.intercept({ path: `${USERS}/u6`, method: 'DELETE' }).reply(404, generic, { headers: { 'content-type': 'application/json' } }).times(2);
    const deleteRefused: RequestStep = { ...remove, expect: { status: 404 } };
    const result = await run([scenario('no-delete-route', [create, deleteRefused])]);
    expect(result.scenarios[0]!.status).toBe('passed');
    expect(result.scenarios[0]!.exchanges.map((e) => `${e.kind} ${e.request.method}`)).toEqual(['raw POST', 'raw DELETE', 'cleanup DELETE']);
    expect(result.leftBehind).toEqual([
      { scenario: 'no-delete-route', url: `${BASE}/Users/u6`, reason: 'DELETE answered 404 without a SCIM error: the endpoint may not support DELETE; deactivate or remove it by hand' },
    ]);
    expect(result.totals).toMatchObject({ passed: 1, failed: 0 });
    agent.assertNoPendingInterceptors();
  });

  it('while scenarios are under way, are what they created and have not deleted yet', () => {
    const leftovers = new Leftovers();
    const transcript = new Transcript();
    const recording = { redactor: new Redactor([]), bodyCap: 1024 };
    const exchange = (method: string, url: string, status: number, headers: Record<string, string> = {}) =>
      transcript.record({ step: 0, kind: 'raw', request: { method, url, headers: {} }, response: { status, headers }, startedAt: '2026-01-01T00:00:00Z', durationMs: 1 }, recording);
    leftovers.begin('under-way', transcript);
    exchange('POST', `${BASE}/Users`, 201, { location: `${BASE}/Users/a` });
    exchange('POST', `${BASE}/Users`, 201, { location: `${BASE}/Users/b` });
    exchange('DELETE', `${BASE}/Users/a`, 204);
    expect(leftovers.now('stopped')).toEqual([{ scenario: 'under-way', url: `${BASE}/Users/b`, reason: 'stopped' }]);
    leftovers.end('under-way', transcript, []);
    expect(leftovers.now('stopped')).toEqual([]);
  });
});

describe('an interrupted run', () => {
  it('starts no new scenario, stops the one under way before its next step, cleans up, and says what never started', async () => {
    const controller = new AbortController();
    pool.intercept({ path: USERS, method: 'POST' }).reply(() => {
      controller.abort('SIGINT');
      return { statusCode: 201, data: user('u5'), responseOptions: created('u5') };
    });
    pool.intercept({ path: `${USERS}/u5`, method: 'DELETE' }).reply(204, '');
    const result = await run([scenario('cut', [create, read, remove]), scenario('never-started', [create])], { signal: controller.signal });

    expect(result.interrupted).toEqual({ signal: 'SIGINT', at: expect.any(String), notRun: ['never-started'] });
    expect(result.scenarios.map((s) => s.id)).toEqual(['cut']);
    expect(result.totals).toMatchObject({ errored: 1, total: 1 });
    const [cut] = result.scenarios;
    expect(cut).toMatchObject({ status: 'error', reason: 'Interrupted by SIGINT before step 2 of 3; 2 step(s) not run', cause: { key: 'interrupted' } });
    expect(cut!.steps.map((s) => s.status)).toEqual(['passed', 'skipped', 'skipped']);
    expect(cut!.exchanges.map((e) => `${e.kind} ${e.request.method}`)).toEqual(['raw POST', 'cleanup DELETE']);
    expect(result).not.toHaveProperty('leftBehind');
    agent.assertNoPendingInterceptors();
  });
});
