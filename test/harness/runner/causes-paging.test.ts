import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { IDPS } from '../../../harness/idp/registry.js';
import type { CheckResult, Exchange, ScenarioResult } from '../../../harness/result.js';
import { rootCauses, withCause } from '../../../harness/runner/causes.js';
import { readClaim } from '../../../harness/runner/claim.js';
import { runScenarios } from '../../../harness/runner/run.js';
import { loadScenarios } from '../../../harness/scenario/load.js';
import { createReferenceServer, type ReferenceServer } from '../../../reference-server/app.js';

const LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
const SEARCH = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';
const users = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `u${i + 1}` }));
const list = (startIndex: number, resources: number, extra: Record<string, unknown> = {}) => ({
  schemas: [LIST],
  totalResults: 3,
  startIndex,
  itemsPerPage: resources,
  Resources: users(resources),
  ...extra,
});

const exchange = (seq: number, method: string, url: string, status: number, json: unknown, request?: unknown): Exchange => ({
  seq,
  step: seq - 1,
  kind: 'raw',
  request: { method, url, headers: {}, ...(request !== undefined && { body: { json: request, bytes: 1 } }) },
  response: { status, headers: {}, body: { json, bytes: 1 } },
  startedAt: '2026-01-01T00:00:00Z',
  durationMs: 1,
});
const failed = (what: string, message: string, seq: number): CheckResult => ({ what, passed: false, message, exchange: seq });
/** A protocol scenario whose one step failed the given check on its only exchange. */
const scenario = (id: string, sent: Exchange, check: CheckResult): ScenarioResult => ({
  id,
  title: id,
  file: `${id}.yaml`,
  idp: 'none',
  refs: [],
  tags: [],
  requires: [],
  covers: [],
  status: 'failed',
  durationMs: 1,
  steps: [{ index: 0, name: 'list', status: 'failed', checks: [{ what: 'status', passed: true, message: 'status 200', exchange: sent.seq }, check], durationMs: 1 }],
  exchanges: [sent],
  outcomes: [],
});
const causes = (...scenarios: ScenarioResult[]) => rootCauses(scenarios.map(withCause)).map((c) => [c.summary, c.scenarios]);

describe('a list answer that ignored startIndex', () => {
  it('is one cause for scenarios that failed on different checks of it', () => {
    const sort = scenario(
      'rfc7644/sort/username-ascending',
      exchange(1, 'GET', 'http://h/scim/v2/Users?filter=userName+sw+%22x%22&sortBy=userName&startIndex=2&count=1', 200, list(1, 1)),
      failed('body Resources[0].id', 'Resources[0].id: expected "u2", got "u1"', 1),
    );
    const search = scenario(
      'rfc7644/search/users-paging',
      exchange(1, 'POST', 'http://h/scim/v2/Users/.search', 200, list(1, 1), { schemas: [SEARCH], startIndex: 3, count: 1 }),
      failed('body startIndex', 'startIndex: expected 3, got 1', 1),
    );
    expect(causes(sort, search)).toEqual([['target ignores startIndex: asked startIndex=2, answered startIndex=1', [sort.id, search.id]]]);
    expect(withCause(search).cause).toMatchObject({ key: 'ignored-parameter:startIndex', exchange: 1 });
  });

  it('is not given to a request that asked startIndex 1, or sent no startIndex', () => {
    const first = scenario('first', exchange(1, 'GET', 'http://h/Users?startIndex=1&count=5', 200, list(1, 3)), failed('body totalResults', 'totalResults: expected 4, got 3', 1));
    const none = scenario('none', exchange(1, 'POST', 'http://h/.search', 200, list(1, 3), { schemas: [SEARCH] }), failed('body totalResults', 'totalResults: expected 4, got 3', 1));
    expect(withCause(first).cause?.key).toBe('check:GET /Users: body totalResults|totalResults: expected 4, got 3');
    expect(withCause(none).cause?.key).toBe('check:POST /.search: body totalResults|totalResults: expected 4, got 3');
  });

  it('needs the answer to be a ListResponse from the target', () => {
    const notList = scenario('not-list', exchange(1, 'GET', 'http://h/Users?startIndex=2', 200, { ...list(1, 1), schemas: ['urn:example:Other'] }), failed('schema ListResponse', 'not a ListResponse', 1));
    expect(withCause(notList).cause?.key).toBe('check:GET /Users: schema ListResponse|not a ListResponse');
  });
});

describe('a list answer that ignored count', () => {
  it('is one cause whatever count each asked and however many came', () => {
    const page = scenario('page', exchange(1, 'GET', 'http://h/Groups?count=2', 200, list(1, 3)), failed('body itemsPerPage', 'itemsPerPage: expected 2, got 3', 1));
    const zero = scenario('zero', exchange(1, 'GET', 'http://h/Users?startIndex=1&count=0', 200, list(1, 3)), failed('body Resources', 'Resources: expected absent', 1));
    const said = scenario('said', exchange(1, 'POST', 'http://h/Groups/.search', 200, list(1, 1, { itemsPerPage: 9 }), { count: 1 }), failed('body itemsPerPage', 'itemsPerPage: expected 1, got 9', 1));
    expect(causes(page, zero, said)).toEqual([['target ignores count: asked count=2, answered 3 resources', ['page', 'zero', 'said']]]);
    expect(withCause(said).cause?.summary).toBe('target ignores count: asked count=1, answered itemsPerPage=9');
  });

  it('is not given when the answer kept to count, or count was negative', () => {
    const kept = scenario('kept', exchange(1, 'GET', 'http://h/Users?count=3', 200, list(1, 3)), failed('body totalResults', 'totalResults: expected 4, got 3', 1));
    const negative = scenario('negative', exchange(1, 'GET', 'http://h/Users?count=-1', 200, list(1, 3)), failed('body itemsPerPage', 'itemsPerPage: expected 0, got 3', 1));
    expect(withCause(kept).cause?.key).toMatch(/^check:GET \/Users: body totalResults\|/);
    expect(withCause(negative).cause?.key).toMatch(/^check:GET \/Users: body itemsPerPage\|/);
  });
});

describe('a failure elsewhere', () => {
  it('keeps its own cause, even in a scenario that also paged', () => {
    const read = scenario('read', exchange(1, 'GET', 'http://h/Users/u1?startIndex=2&count=1', 200, list(1, 3)), failed('body userName', 'userName: expected "a", got "b"', 1));
    expect(withCause(read).cause?.summary).toBe('GET /Users/{id}: userName: expected "a", got "b"');
    const refused = exchange(1, 'GET', 'http://h/Users?startIndex=2', 500, { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '500', detail: 'boom' });
    const status = scenario('status', refused, failed('status', 'expected 200, got 500', 1));
    status.steps[0]!.checks = [status.steps[0]!.checks[1]!];
    expect(withCause(status).cause?.summary).toBe('GET /Users answered 500: boom');
  });
});

/*
 * Through the runner: a reference server whose profile ignores startIndex (docs/profiles.md
 * `parameters.ignored`) answers every page from the first result. The paging and sort scenarios that
 * ask for a later page then fail on different checks, and the run names the one reason.
 */
describe('a run against a target that ignores startIndex', () => {
  const TOKEN = 'causes-paging-token-7c2e';
  let reference: ReferenceServer | undefined;
  afterEach(async () => {
    await reference?.close();
    reference = undefined;
  });

  it('files the paging and sort scenarios that asked for a later page under one cause', async () => {
    const root = join(import.meta.dirname, '../../../scenarios');
    const paths = ['rfc7644/paging', 'rfc7644/sort', 'rfc7644/search/users-paging.yaml', 'rfc7644/search/users-sort.yaml'].map((p) => join(root, p));
    const loaded = await loadScenarios(paths, { idps: IDPS });
    expect(loaded.errors.map(String)).toEqual([]);
    reference = createReferenceServer({ tokens: [TOKEN], profile: { parameters: { ignored: ['startIndex'] } } });
    const { url } = await reference.listen();
    const result = await runScenarios(loaded.scenarios, { idps: IDPS, target: { url, credentials: { kind: 'bearer', token: TOKEN } }, profile: readClaim('strict'), concurrency: 2 });

    const failed = result.scenarios.filter((s) => s.status === 'failed').map((s) => s.id);
    expect(failed).toEqual(expect.arrayContaining(['rfc7644.paging.pages-cover-all-once', 'rfc7644.sort.username-ascending', 'rfc7644.search.users-paging']));
    expect(result.causes.filter((c) => c.effect !== 'skipped').map((c) => [c.key, c.effect, c.scenarios])).toEqual([['ignored-parameter:startIndex', 'failed', failed]]);
    expect(result.causes[0]!.summary).toMatch(/^target ignores startIndex: asked startIndex=\d+, answered startIndex=1$/);
    // startIndex 0 and below are read as 1 (RFC 7644 §3.4.2.4): what the target did is right there.
    expect(result.scenarios.find((s) => s.id === 'rfc7644.paging.start-index-zero')?.status).toBe('passed');
  });
});
