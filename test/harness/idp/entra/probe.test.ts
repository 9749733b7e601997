import { afterEach, describe, expect, it } from 'vitest';
import { PROBE_NOT_FOUND, TEST_CONNECTION } from '../../../../harness/idp/entra/logs.js';
import { probeProblem } from '../../../../harness/idp/entra/probe.js';
import type { Reply } from '../../../../harness/idp/entra/transport.js';
import { FakeTarget } from './fake-target.js';
import { EntraRig, LIST_EMPTY, list, scimError, type Answer } from './rig.js';

/** The random-GUID probe judged as Entra ref §3 says (200 with an empty ListResponse), and Test Connection, which is not a cycle. */

const json = (status: number, body: unknown): Reply => ({ status, text: JSON.stringify(body), json: body, headers: {} });
const LIST = (resources: unknown[]) => list(resources).body;
const INCOMPATIBLE = 'SystemForCrossDomainIdentityManagementServiceIncompatible';
const CREDENTIALS = 'SystemForCrossDomainIdentityManagementCredentialValidationFailure';

describe('probeProblem (Entra ref §3, §5.6)', () => {
  it('passes the 200 with an empty ListResponse, Resources or a totalResults of 0 alone', () => {
    expect(probeProblem(json(200, LIST([])), true)).toBeUndefined();
    expect(probeProblem(json(200, { schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'], totalResults: 0 }), true)).toBeUndefined();
  });

  it('fails a ListResponse with resources in it: the target ignored the filter (synthesised wording)', () => {
    expect(probeProblem(json(200, LIST([{ id: 'x', userName: 'someone' }])), false)).toEqual({ code: INCOMPATIBLE, message: expect.stringContaining('returned 1 resource rather than'), synthesised: true });
    expect(probeProblem(json(200, { Resources: [], totalResults: 3 }), false)).toMatchObject({ code: INCOMPATIBLE, message: expect.stringContaining('returned 3 resources') });
  });

  it('401 and 403: credentials, in synthesised words; 404: the verbatim text of a real quarantined job', () => {
    expect(probeProblem(json(401, {}), false)).toEqual({ code: CREDENTIALS, message: expect.stringMatching(/^An HTTP\/401 Unauthorized response/), synthesised: true });
    // A 403 may be a service with SCIM switched off (Postman ref §5): the words do not blame the token.
    expect(probeProblem(json(403, {}), false)).toEqual({ code: CREDENTIALS, message: expect.stringMatching(/^An HTTP\/403 Forbidden response .*: the SCIM endpoint refused access with this Secret Token\.$/), synthesised: true });
    expect(probeProblem(json(404, {}), false)).toEqual({ code: INCOMPATIBLE, message: PROBE_NOT_FOUND });
  });

  it('a 500, an HTML page, no answer: failures; a 400 passes in a cycle (objects fail one by one) but not in Test Connection', () => {
    expect(probeProblem(json(500, {}), false)).toMatchObject({ code: 'InternalServerError', synthesised: true });
    expect(probeProblem({ status: 200, text: '<html></html>', headers: {} }, false)).toMatchObject({ code: INCOMPATIBLE, message: expect.stringContaining('not able to deserialize') });
    expect(probeProblem({ error: 'ECONNRESET', timedOut: false }, false)).toMatchObject({ code: 'WebExceptionProtocolError', synthesised: true });
    expect(probeProblem({ error: 'timeout', timedOut: true }, false)).toMatchObject({ code: 'Timeout' });
    expect(probeProblem(json(400, {}), false)).toBeUndefined();
    expect(probeProblem(json(400, {}), true)).toMatchObject({ code: INCOMPATIBLE, message: expect.stringContaining('HTTP/400 Bad Request') });
  });
});

describe('Test Connection (Entra ref §3)', () => {
  let rig: EntraRig;
  afterEach(async () => rig?.close());

  /** The first user probe answered `probe`, after any routes `faults` adds; the rest as a conforming target answers. */
  function setUp(probe: Answer, settings: Record<string, unknown> = { provisionGroups: false }, faults: (r: EntraRig) => void = () => {}): EntraRig {
    rig = new EntraRig({ settings, directory: { users: { adele: { userPrincipalName: 'adele@contoso.com' } }, assignments: ['adele'] } });
    faults(rig);
    rig.once('GET', /^\/Users\?filter=userName\+eq\+%22[0-9a-f-]{36}%22$/, probe);
    rig.on('GET', /^\/Users\?filter=userName\+eq\+%22[0-9a-f-]{36}%22$/, LIST_EMPTY).on('GET', /^\/Groups\?excludedAttributes=members&filter=displayName\+eq\+%22[0-9a-f-]{36}%22$/, LIST_EMPTY);
    new FakeTarget().install(rig);
    return rig;
  }

  const testConnections = (r: EntraRig) => r.outcomes.filter((o) => o.kind === 'testConnection').map((o) => o.record);

  it('a refused token: the admin notification, Entra headline first; no job status, no quarantine, the initial cycle still due at once', async () => {
    setUp(scimError(401, 'bad token'));
    await rig.perform('test-connection', null);
    expect(testConnections(rig)).toEqual([
      {
        status: 'Failure',
        message: `${TEST_CONNECTION.failure}\nError code: ${CREDENTIALS}\nDetails: An HTTP/401 Unauthorized response was returned rather than the expected HTTP/200 OK response: the Secret Token is invalid or expired.`,
        errorCode: CREDENTIALS,
        synthesised: true,
      },
    ]);
    expect(rig.statuses()).toEqual([]);
    await rig.perform('advance', '1m');
    expect(rig.writes().map((w) => w.method)).toEqual(['POST']);
    expect(rig.statuses()).toMatchObject([{ code: 'Active' }]);
  });

  it('a quarantined job stays quarantined through a passing Test Connection, which asks for a new GUID each time', async () => {
    setUp(scimError(401, 'bad token'));
    await rig.perform('cycle', 'initial');
    expect(rig.statuses()).toMatchObject([{ code: 'Quarantine' }]);
    await rig.perform('test-connection', null);
    await rig.perform('test-connection', null);
    expect(testConnections(rig)).toEqual([
      { status: 'Success', message: TEST_CONNECTION.success },
      { status: 'Success', message: TEST_CONNECTION.success },
    ]);
    expect(rig.statuses()).toHaveLength(1);
    const probes = rig.lines().filter((l) => l.startsWith('GET /Users?filter'));
    expect(new Set(probes).size).toBe(3);
  });

  it('with groups provisioned it probes /Groups too, and a 404 there fails it with the real 404 text', async () => {
    setUp(LIST_EMPTY, {}, (r) => r.once('GET', /^\/Groups\?excludedAttributes=members/, scimError(404, 'no groups here')));
    await rig.perform('test-connection', null);
    expect(rig.lines().map((l) => l.split('?')[0])).toEqual(['GET /Users', 'GET /Groups']);
    expect(testConnections(rig)).toEqual([{ status: 'Failure', message: `${TEST_CONNECTION.failure}\nError code: ${INCOMPATIBLE}\nDetails: ${PROBE_NOT_FOUND}`, errorCode: INCOMPATIBLE, synthesised: true }]);
  });
});
