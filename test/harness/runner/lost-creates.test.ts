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
import { fakeTarget, TOKEN, type Behaviour, type FakeTarget } from './lost-create-target.js';

/*
 * A create whose answer never arrived may have created the resource all the same: the cleanup
 * finds it by the name it sent and deletes it, or lists it as possibly left behind, with its name.
 */

const source = { file: 'lost-creates.yaml', line: 1, column: 1 };
const RUN_ID = 'feedc0de';
const ADA = `scim-${RUN_ID}-0-ada`;

let target: FakeTarget | undefined;
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

describe('a create answered 5xx (RFC 9110 §15.6: the server, or a gateway before it, failed; that says nothing was not created)', () => {
  it.each([500, 502, 503, 504])('is found by its userName and deleted when a gateway answered %i after the user was stored', async (status) => {
    const result = await runAgainst({ create: `gateway-${status}`, lookup: 'list' }, [scenario('gateway')]);
    expect(cleanupSent()).toEqual([lookup, 'DELETE /scim/v2/Users/u1']);
    expect(target!.users.size).toBe(0);
    expect(result).not.toHaveProperty('leftBehind');
    expect(result.scenarios[0]!.exchanges.map((e) => `${e.kind} ${e.request.method} ${e.response?.status}`)).toEqual([
      `raw POST ${status}`,
      'cleanup GET 200',
      'cleanup DELETE 204',
    ]);
  });

  it('that created nothing is looked up once and leaves nothing', async () => {
    const result = await runAgainst({ create: 'error-500', lookup: 'list' }, [scenario('failed')]);
    expect(cleanupSent()).toEqual([lookup]);
    expect(result).not.toHaveProperty('leftBehind');
  });

  it('is listed as possibly left behind, saying it was answered 5xx, when the lookup is refused', async () => {
    const result = await runAgainst({ create: 'gateway-504', lookup: 'refuse' }, [scenario('gateway-refused')]);
    expect(cleanupSent()).toEqual([lookup]);
    expect(result.leftBehind).toEqual([
      {
        scenario: 'gateway-refused',
        url: `${target!.url}/Users`,
        reason: `userName "${ADA}" may be on the target: its POST was answered 504: it may have been created all the same, so its id is unknown; the target refused the lookup by filter: GET answered 400 invalidFilter: filters are not supported`,
      },
    ]);
  });

  it.each([
    ['a 4xx: a refusal (RFC 9110 §15.5)', 'error-409'],
    ['a 400', 'error-400'],
    ['501: the server does not support it (RFC 9110 §15.6.2)', 'error-501'],
  ] as const)('is not looked up when answered %s', async (_, create) => {
    const result = await runAgainst({ create, lookup: 'list' }, [scenario('refused')]);
    expect(cleanupSent()).toEqual([]);
    expect(result).not.toHaveProperty('leftBehind');
  });
});

describe('a lost create the lookup finds, whose DELETE is refused', () => {
  /** The reason up to the DELETE's answer: the name, and why the create was lost. */
  const found = `userName "${ADA}" was found by its name (its POST was answered 504: it may have been created all the same); `;

  it.each([
    ['403', 'forbidden', 'DELETE answered 403: deleting users is not allowed'],
    ['500', 'error-500', 'DELETE answered 500: database unavailable'],
    ['404 without a SCIM error', 'plain-404', 'DELETE answered 404 without a SCIM error: the endpoint may not support DELETE; deactivate or remove it by hand'],
  ] as const)('is listed as left behind, under its own URL, with the answer, when the DELETE is answered %s', async (_, remove, answer) => {
    const result = await runAgainst({ create: 'gateway-504', lookup: 'list', remove }, [scenario('kept-by-target')]);
    expect(cleanupSent()).toEqual([lookup, 'DELETE /scim/v2/Users/u1']);
    expect(target!.users.size).toBe(1);
    expect(result.leftBehind).toEqual([{ scenario: 'kept-by-target', url: `${target!.url}/Users/u1`, reason: found + answer }]);
    expect(runEndLines(result)).toEqual([
      '1 resource the cleanup could not delete is left on the target: delete them by hand.',
      `  ${target!.url}/Users/u1 (kept-by-target): ${found}${answer}`,
    ]);
  });

  it('is listed as left behind, with why the DELETE got no answer, when its connection is reset', async () => {
    const result = await runAgainst({ create: 'reset', lookup: 'list', remove: 'reset' }, [scenario('reset-delete')]);
    expect(cleanupSent()).toEqual([lookup, 'DELETE /scim/v2/Users/u1']);
    expect(target!.users.size).toBe(1);
    expect(result.leftBehind).toEqual([
      {
        scenario: 'reset-delete',
        url: `${target!.url}/Users/u1`,
        reason: expect.stringMatching(new RegExp(`^userName "${ADA}" was found by its name \\(its POST got no answer \\(connection closed by [^)]*\\)\\); DELETE failed: connection closed by `)),
      },
    ]);
  });
});

describe('a lost create of a name the scenario created before, whose DELETE was refused', () => {
  it('is looked up, and what it finds under the id already tried is not tried again, nor listed twice', async () => {
    const again: Scenario = { ...scenario('created-again'), steps: [create('{{unique.ada}}'), { ...create('{{unique.ada}}'), expect: { status: 504 } }] };
    const result = await runAgainst({ create: 'again-504', lookup: 'list', remove: 'forbidden' }, [again]);
    // The 201's Location names u1 as `%75%31/`; the lookup finds it as `u1`: one resource.
    expect(cleanupSent()).toEqual(['DELETE /scim/v2/Users/%75%31/', lookup]);
    expect(target!.users.size).toBe(1);
    expect(result.leftBehind).toEqual([{ scenario: 'created-again', url: `${target!.url}/Users/%75%31/`, reason: 'DELETE answered 403: deleting users is not allowed' }]);
  });
});
