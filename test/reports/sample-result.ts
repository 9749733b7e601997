import type { Cause, Exchange, RootCause, RunResult, ScenarioResult } from '../../harness/result.js';

/** Text a hostile target could put in its answers, to show up escaped in every report. */
export const HOSTILE = `</script><script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">]]>&amp;' "\u0000\u001b[31m\uFFFE`;

/** A server's detail longer than any cut a report might make (over 600 characters), its end marked: reports show it whole. */
export const LONG_DETAIL = `Patch failed for user ada. ${'Extra inputs are not permitted in the value of the operation. '.repeat(10)}END OF THE DETAIL`;

/** The cause of the Okta scenario: the PATCH the IdP sent was refused, with LONG_DETAIL. */
export const PATCH_CAUSE: Cause = {
  key: 'answer:PATCH /Users/{id}|400|invalidValue|Patch failed…',
  summary: `PATCH /Users/{id} answered 400 invalidValue: ${LONG_DETAIL}`,
  answer: { status: 400, scimType: 'invalidValue', detail: LONG_DETAIL },
  exchange: 2,
};

/** The cause of the two blocked scenarios; its sentence does not quote the answer, so reports add it. */
export const SW_CAUSE: Cause = {
  key: 'filter-operator:sw',
  summary: 'target rejects filter operator "sw"',
  answer: { status: 400, scimType: 'invalidFilter', detail: 'Unsupported operator sw' },
  exchange: 2,
};

const FILTER_CAUSE: Cause = { key: 'check:GET /Users: body Resources[0]', summary: `GET /Users: Resources[0] differs: ${HOSTILE}`, exchange: 2 };
const TEMPLATE_CAUSE: Cause = { key: 'error:the template names {{userId}}, which no step saved', summary: 'the template names {{userId}}, which no step saved' };
const BULK_CAUSE: Cause = { key: 'skipped:not supported: bulk (ServiceProviderConfig)', summary: 'not supported: bulk (ServiceProviderConfig)' };

const BASE = 'http://127.0.0.1:3000/scim/v2';

function exchange(seq: number, step: number | null, over: Partial<Exchange> & Pick<Exchange, 'request'>): Exchange {
  return { seq, step, kind: 'raw', startedAt: '2025-01-01T10:00:00.000Z', durationMs: 12.4, ...over };
}

/** A protocol scenario by default, covering its area as the bundled library's folders give it (rfc7644.users.x → users). */
function scenario(over: Partial<ScenarioResult> & Pick<ScenarioResult, 'id' | 'status'>): ScenarioResult {
  const folder = over.id.split('.').slice(0, -1).join('/');
  return {
    title: `Title of ${over.id}`,
    file: `scenarios/${folder}/${over.id.split('.').at(-1)}.yaml`,
    idp: 'none',
    refs: ['RFC 7644 §3.3'],
    tags: [],
    requires: [],
    covers: [over.id.split('.')[1]!],
    durationMs: 20,
    steps: [],
    exchanges: [],
    outcomes: [],
    ...over,
  };
}

const createUser = exchange(1, 0, {
  request: {
    method: 'POST',
    url: `${BASE}/Users`,
    headers: { accept: 'application/scim+json', 'content-type': 'application/scim+json', authorization: 'Bearer [redacted]' },
    body: { json: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: "o'brien@example.com", password: '[redacted]' }, bytes: 120 },
  },
  response: { status: 201, headers: { 'content-type': 'application/scim+json' }, body: { json: { id: '42', userName: "o'brien@example.com" }, bytes: 40 } },
});

/** The Okta task that reports the refused PATCH, the server's detail quoted whole. */
const DEACTIVATE_FAILED = {
  eventType: 'application.provision.user.deactivate',
  status: 'failure',
  user: 'ada',
  message: `Automatic deactivation of user ada failed: Bad Request. ${LONG_DETAIL} ${HOSTILE}`,
};

const listUsers = exchange(2, 1, {
  request: { method: 'GET', url: `${BASE}/Users?filter=userName%20eq%20%22x%22`, headers: { authorization: 'Bearer [redacted]' } },
  response: { status: 200, headers: { 'content-type': 'text/html' }, body: { text: HOSTILE, bytes: HOSTILE.length } },
});

/** A scenario's cause as a root cause of the run, as the runner lists it. */
function root({ key, summary, answer }: Cause, effect: RootCause['effect'], scenarios: string[]): RootCause {
  return { key, summary, ...(answer && { answer }), effect, scenarios };
}

const swFilter = exchange(2, 1, {
  request: { method: 'GET', url: `${BASE}/Users?filter=userName%20sw%20%22scim-1-%22`, headers: { authorization: 'Bearer [redacted]' } },
  response: {
    status: 400,
    headers: { 'content-type': 'application/scim+json' },
    body: { json: { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '400', scimType: 'invalidFilter', detail: 'Unsupported operator sw' }, bytes: 120 },
  },
});

/** A scenario the target blocked by refusing the `sw` filter it isolates its data with. */
function blocked(id: string): ScenarioResult {
  return scenario({
    id,
    status: 'blocked',
    tags: ['paging'],
    requires: ['filter'],
    refs: ['RFC 7644 §3.4.2.4'],
    cause: SW_CAUSE,
    steps: [
      { index: 0, name: 'POST /Users', status: 'passed', durationMs: 12, checks: [] },
      {
        index: 1,
        name: 'GET /Users',
        status: 'blocked',
        durationMs: 8,
        cause: SW_CAUSE,
        checks: [{ what: 'status', passed: false, expected: 200, actual: 400, message: 'expected status 200, got 400', exchange: 2 }],
      },
    ],
    exchanges: [createUser, swFilter],
  });
}

/**
 * A run with every status and every kind of content: RFC scenarios, an Okta OIN and an Entra
 * scenario with outcomes and virtual times, two scenarios blocked by one cause, root causes, an
 * IdP failure whose checks are consequences of a refused request with a long detail, and hostile
 * server text in bodies, messages and ids.
 */
export function sampleResult(): RunResult {
  const scenarios: ScenarioResult[] = [
    scenario({
      id: 'rfc7644.users.create-201',
      status: 'passed',
      tags: ['users'],
      steps: [{ index: 0, name: 'POST /Users', status: 'passed', durationMs: 12, checks: [{ what: 'status', passed: true, expected: 201, actual: 201, message: 'status 201, as expected', exchange: 1 }] }],
      exchanges: [createUser],
    }),
    scenario({
      id: 'rfc7644.filter.eq-case-insensitive',
      title: `A userName filter ignores case ${HOSTILE}`,
      status: 'failed',
      tags: ['filter', 'users'],
      requires: ['filter'],
      refs: ['RFC 7644 §3.4.2.2'],
      cause: FILTER_CAUSE,
      steps: [
        { index: 0, name: 'POST /Users', status: 'passed', durationMs: 12, checks: [] },
        {
          index: 1,
          name: 'GET /Users',
          status: 'failed',
          durationMs: 8,
          checks: [
            { what: 'status', passed: true, expected: 200, actual: 200, message: 'status 200, as expected', exchange: 2 },
            {
              what: 'body Resources[0]',
              passed: false,
              expected: { equals: { userName: 'ada@example.com', active: true } },
              actual: { userName: 'ADA@example.com', active: true, note: HOSTILE },
              message: `Resources[0] differs: ${HOSTILE}`,
              ref: 'RFC 7644 §3.4.2.2',
              exchange: 2,
            },
            { what: 'body totalResults', passed: false, expected: { equals: 1 }, actual: 0, message: 'expected totalResults to equal 1, got 0', ref: 'RFC 7644 §3.4.2.2', exchange: 2 },
          ],
        },
      ],
      exchanges: [createUser, listUsers],
    }),
    scenario({
      id: 'rfc7644.bulk.bulkid-references',
      status: 'skipped',
      requires: ['bulk'],
      tags: ['bulk'],
      reason: 'not supported: bulk (ServiceProviderConfig)',
      cause: BULK_CAUSE,
      durationMs: 0,
    }),
    scenario({
      id: 'rfc7644.users.get-by-id',
      status: 'error',
      steps: [{ index: 0, name: 'GET /Users/{{userId}}', status: 'error', durationMs: 1, checks: [], error: 'the template names {{userId}}, which no step saved' }],
      reason: 'the template names {{userId}}, which no step saved',
      cause: TEMPLATE_CAUSE,
      exchanges: [exchange(1, 0, { request: { method: 'DELETE', url: `${BASE}/Users/42`, headers: {} }, error: 'connect ECONNREFUSED 127.0.0.1:3000' })],
    }),
    scenario({
      id: 'okta.oin.deactivate-on-unassign',
      title: 'Unassigning a user deactivates it with a path-less PATCH',
      idp: 'okta',
      status: 'failed',
      covers: ['deactivateUsers', 'createUsers'],
      variant: { key: 'okta.oin', title: 'Okta To App features · OIN' },
      refs: ['Okta ref §6.1'],
      cause: PATCH_CAUSE,
      steps: [
        { index: 0, name: 'assign ada', status: 'passed', durationMs: 3, checks: [] },
        { index: 1, name: 'unassign ada', status: 'passed', durationMs: 3, checks: [] },
        {
          index: 2,
          name: 'expect',
          status: 'failed',
          durationMs: 1,
          checks: [
            {
              what: 'outcome',
              passed: false,
              expected: { status: 'success' },
              actual: DEACTIVATE_FAILED,
              message: `expected the task to succeed, it failed: ${String(DEACTIVATE_FAILED.message)}`,
              ref: 'Okta ref §6.1',
              consequence: true,
            },
            { what: 'target ada active', passed: false, expected: { equals: false }, actual: true, message: 'expected active to equal false, got true', ref: 'Okta ref §6.1', consequence: true },
          ],
        },
      ],
      exchanges: [
        exchange(1, 0, { kind: 'idp', virtualTime: '2025-01-01T09:00:00.000Z', request: { ...createUser.request, headers: { ...createUser.request.headers, 'user-agent': 'Okta SCIM Client 1.0.0' } }, response: createUser.response }),
        exchange(2, 1, {
          kind: 'idp',
          virtualTime: '2025-01-01T09:40:00.000Z',
          request: { method: 'PATCH', url: `${BASE}/Users/42`, headers: { authorization: 'Basic [redacted]' }, body: { json: { Operations: [{ op: 'replace', value: { active: false } }] }, bytes: 60 } },
          response: {
            status: 400,
            headers: { 'content-type': 'application/scim+json' },
            body: { json: { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '400', scimType: 'invalidValue', detail: LONG_DETAIL }, bytes: 700 },
          },
        }),
      ],
      outcomes: [
        { idp: 'okta', kind: 'task', virtualTime: '2025-01-01T09:00:00.000Z', record: { eventType: 'application.provision.user.push', status: 'success', user: 'ada' } },
        { idp: 'okta', kind: 'task', virtualTime: '2025-01-01T09:40:00.000Z', record: DEACTIVATE_FAILED },
      ],
    }),
    scenario({
      id: 'entra.aadoptscim062020.disable-user',
      title: 'Entra disables a user with a lowercase replace',
      idp: 'entra',
      status: 'passed',
      covers: ['users'],
      variant: { key: 'entra.aadoptscim062020', title: 'Entra capabilities · aadOptscim062020' },
      refs: ['Entra ref §6.4'],
      steps: [{ index: 0, name: 'cycle initial', status: 'passed', durationMs: 2, checks: [] }],
      exchanges: [exchange(1, 0, { kind: 'idp', virtualTime: '2025-01-01T08:00:00.000Z', request: { method: 'GET', url: `${BASE}/Users?filter=userName+eq+%22adele%22`, headers: { authorization: 'Bearer [redacted]' } }, response: { status: 200, headers: {}, body: { json: { totalResults: 0 }, bytes: 20 } } })],
      outcomes: [
        {
          idp: 'entra',
          kind: 'provisioningLog',
          virtualTime: '2025-01-01T08:00:01.000Z',
          record: { action: 'Create', status: 'Success', provisioningStatusInfo: { status: 'success', errorInformation: { reason: 'Nothing to report' } } },
        },
      ],
    }),
    blocked('rfc7644.paging.count-zero'),
    blocked('rfc7644.sort.ascending'),
  ];
  return {
    format: 'scimulator-run',
    version: 3,
    tool: { name: 'scimulator', version: '0.1.0' },
    startedAt: '2025-01-01T10:00:00.000Z',
    finishedAt: '2025-01-01T10:00:02.500Z',
    durationMs: 2500,
    target: { url: BASE, embedded: false, features: { patch: true, bulk: false, filter: true }, featureSource: 'ServiceProviderConfig' },
    selection: { files: ['scenarios'] },
    totals: { passed: 2, failed: 2, skipped: 1, blocked: 2, errored: 1, total: 8 },
    causes: [
      root(FILTER_CAUSE, 'failed', ['rfc7644.filter.eq-case-insensitive']),
      root(PATCH_CAUSE, 'failed', ['okta.oin.deactivate-on-unassign']),
      root(TEMPLATE_CAUSE, 'error', ['rfc7644.users.get-by-id']),
      root(SW_CAUSE, 'blocked', ['rfc7644.paging.count-zero', 'rfc7644.sort.ascending']),
      root(BULK_CAUSE, 'skipped', ['rfc7644.bulk.bulkid-references']),
    ],
    scenarios,
  };
}
