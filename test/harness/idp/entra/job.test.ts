import { afterEach, describe, expect, it } from 'vitest';
import { attemptOffset } from '../../../../harness/idp/entra/job.js';
import { FakeTarget } from './fake-target.js';
import { answerProbes, EntraRig, scimError, type Answer } from './rig.js';

/** The job on the virtual clock (Entra ref §5): escrows and their texts, quarantine, restart, on demand, throttling, accidental deletions. */

let rig: EntraRig;
let target: FakeTarget;
afterEach(async () => rig?.close());

const HOUR = 3_600_000;
const directory = {
  users: { adele: { userPrincipalName: 'adele@contoso.com', givenName: 'Adele', surname: 'Vance' }, megan: { userPrincipalName: 'megan@contoso.com' } },
  assignments: ['adele', 'megan'],
};

function setUp(settings: Record<string, unknown>, faults: (r: EntraRig) => void = () => {}, probes = true): EntraRig {
  rig = new EntraRig({ settings: { provisionGroups: false, ...settings }, directory });
  faults(rig);
  if (probes) answerProbes(rig);
  target = new FakeTarget();
  target.install(rig);
  return rig;
}

const probeTimes = (r: EntraRig) => r.transcript.exchanges.filter((e) => /%22[0-9a-f]{8}-[0-9a-f]{4}-4/.test(e.request.url)).map((e) => e.virtualTime);

describe('escrows and Entra\'s reason texts (Entra ref §5.5, §9)', () => {
  it('a 400 on create: …BadRequest, StatusCode, Web Response with the target\'s body, retried N times and the next date; retried next cycle', async () => {
    const body = { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '400', detail: 'no' };
    setUp({}, (r) => r.on('POST', '/Users', { status: 400, body }));
    await rig.perform('cycle', 'initial');
    const first = rig.logs()[0]!;
    expect(first).toMatchObject({ user: 'adele', action: 'Create', status: 'Failure', errorCode: 'SystemForCrossDomainIdentityManagementBadRequest', errorCategory: 'NonServiceFailure' });
    expect(first.reason).toBe(
      [
        "Failed to create User 'adele@contoso.com' in customappsso; Error: The SCIM endpoint is not fully compatible with the Azure Active Directory SCIM client. Please refer to the Azure Active Directory SCIM provisioning documentation and adapt the SCIM endpoint to be able to process provisioning requests from Azure Active Directory.",
        'StatusCode: BadRequest',
        "Message: Processing of the HTTP request resulted in an exception. Please see the HTTP response returned by the 'Response' property of this exception for details.",
        `Web Response: ${JSON.stringify(body)}. This operation was retried 0 times. It will be retried again after this date: 2026-01-05T09:40:00.0000000Z UTC`,
        'ErrorCode: SystemForCrossDomainIdentityManagementBadRequest   EventName: EntryExportAdd',
      ].join('\n'),
    );
    rig.clear();
    await rig.perform('advance', '40m');
    expect(rig.logs().map((r) => r.user)).toEqual(['adele', 'megan']);
    // After a failed retry the next one is two cycles away (escrowRetryCycles, a synthesised back-off).
    expect(rig.logs()[0]!.reason).toContain('This operation was retried 1 times. It will be retried again after this date: 2026-01-05T11:00:00.0000000Z UTC');
  });

  it('escrow back-off: retried in the next cycle, then less often, escrowRetryCycles apart (§5.5; the schedule synthesised)', async () => {
    setUp({}, (r) => r.on('POST', '/Users', (s) => (JSON.parse(s.body!).userName === 'adele@contoso.com' ? scimError(500, 'down') : target.handle(s))));
    await rig.perform('advance', '24h');
    const posts = rig.transcript.exchanges.filter((e) => e.request.method === 'POST' && e.response?.status === 500);
    const minutes = posts.map((e) => Math.round((Date.parse(e.virtualTime!) - Date.parse('2026-01-05T09:00:00.000Z')) / 60_000));
    // Failures at 0, then retries 1, 2, 4, 8, 16 cycles after each: 40, 120, 280, 600, 1240 minutes; the next 36 cycles (24 h) on.
    expect(minutes).toEqual([0, 40, 120, 280, 600, 1240]);
    const dates = rig.logs().filter((r) => r.user === 'adele').map((r) => /retried (\d+) times\. It will be retried again after this date: (\S+)/.exec(String(r.reason))!.slice(1));
    expect(dates).toEqual([
      ['0', '2026-01-05T09:40:00.0000000Z'],
      ['1', '2026-01-05T11:00:00.0000000Z'],
      ['2', '2026-01-05T13:40:00.0000000Z'],
      ['3', '2026-01-05T19:00:00.0000000Z'],
      ['4', '2026-01-06T05:40:00.0000000Z'],
      ['5', '2026-01-07T05:40:00.0000000Z'],
    ]);
  });

  it('escrowRetryCycles: [1] retries at every cycle', async () => {
    setUp({ escrowRetryCycles: [1] }, (r) => r.on('POST', '/Users', (s) => (JSON.parse(s.body!).userName === 'adele@contoso.com' ? scimError(500, 'down') : target.handle(s))));
    await rig.perform('advance', '2h');
    expect(rig.transcript.exchanges.filter((e) => e.request.method === 'POST' && e.response?.status === 500)).toHaveLength(4);
  });

  it('a target that rejects "False" fails the disable with ServiceIncompatible, and Entra retries it (§6.4, §10.17)', async () => {
    const rejection = scimError(400, "Attribute 'active' expected value type 'boolean' but found type 'string'");
    setUp({}, (r) => r.on('PATCH', /^\/Users\//, (s) => (/"value":"False"/.test(s.body!) ? rejection : target.handle(s))));
    await rig.perform('cycle', 'initial');
    await rig.perform('unassign', 'adele');
    rig.clear();
    await rig.perform('advance', '80m');
    expect(rig.writes().map((w) => w.method)).toEqual(['PATCH', 'PATCH']);
    expect(rig.logs().map((r) => [r.action, r.status, r.errorCode])).toEqual([
      ['Disable', 'Failure', 'SystemForCrossDomainIdentityManagementServiceIncompatible'],
      ['Disable', 'Failure', 'SystemForCrossDomainIdentityManagementServiceIncompatible'],
    ]);
    expect(rig.logs()[1]!.reason).toMatch(/^Failed to update User 'adele@contoso.com' in customappsso; .*\nStatusCode: BadRequest\n.*\nWeb Response: \{.*expected value type 'boolean'.*\}\. This operation was retried 1 times\./s);
    expect(rig.logs()[1]!.reason).toMatch(/EventName: EntryExportUpdate$/);
    expect(target.users.get('u1')!.active).toBe(true);
  });

  it('no answer at all is WebExceptionProtocolError, with the retry sentence', async () => {
    setUp({ provisionGroups: false }, (r) => r.on('POST', '/Users', { status: 200, body: 'not json' }));
    await rig.perform('cycle', 'initial');
    expect(rig.logs()[0]).toMatchObject({ status: 'Failure', errorCode: 'SystemForCrossDomainIdentityManagementServiceIncompatible' });
    expect(rig.logs()[0]!.reason).toMatch(/We are not able to deserialize the resource.*\nThis operation was retried 0 times/s);
  });

  it('escrow thresholds quarantine an incremental cycle (EncounteredEscrowProportionThreshold); a successful retry lifts it', async () => {
    let broken = true;
    setUp({ escrowThresholds: { minimum: 2 } }, (r) => r.on('PATCH', /^\/Users\//, (s) => (broken ? scimError(500, 'down') : target.handle(s))));
    await rig.perform('cycle', 'initial');
    await rig.perform('update', { user: 'adele', set: { jobTitle: 'A' } });
    await rig.perform('update', { user: 'megan', set: { jobTitle: 'B' } });
    await rig.perform('advance', '40m');
    expect(rig.statuses().at(-1)).toMatchObject({ code: 'Quarantine', quarantine: { reason: 'EncounteredEscrowProportionThreshold', seriesCount: 1, nextAttempt: '2026-01-05T15:40:00.000Z' } });
    rig.clear();
    await rig.perform('advance', '6h');
    expect(rig.logs()[0]!.reason).toContain('This operation was retried 1 times. It will be retried again after this date: 2026-01-05T21:40:00.0000000Z UTC');
    expect(rig.statuses()).toMatchObject([{ code: 'Quarantine', quarantine: { seriesCount: 2, nextAttempt: '2026-01-05T21:40:00.000Z' } }]);
    broken = false;
    rig.clear();
    await rig.perform('advance', '6h');
    expect(rig.logs().map((r) => [r.user, r.status])).toEqual([
      ['adele', 'Success'],
      ['megan', 'Success'],
    ]);
    expect(rig.statuses()).toEqual([{ code: 'Active', nextCycle: '2026-01-05T22:20:00.000Z' }]);
  });

  it('in the initial cycle the thresholds prune the escrows instead, and the job pauses until started; the next clean cycle clears escrowsPruned', async () => {
    setUp({ escrowThresholds: { minimum: 2 } }, (r) => r.once('POST', '/Users', scimError(500, 'down')).once('POST', '/Users', scimError(500, 'down')));
    await rig.perform('cycle', 'initial');
    expect(rig.statuses()).toEqual([{ code: 'Paused', escrowsPruned: true }]);
    rig.clear();
    await rig.perform('advance', '2h');
    expect(rig.sent).toEqual([]);
    await expect(rig.perform('cycle', 'incremental')).rejects.toThrow(/paused/);
    await rig.perform('update', { user: 'adele', set: { jobTitle: 'CEO' } });
    await rig.perform('start');
    expect(rig.writes().map((w) => w.method)).toEqual(['POST']);
    expect(rig.statuses().at(-1)).toEqual({ code: 'Active', nextCycle: expect.any(String) });
  });
});

describe('stop and start (Entra ref §5.1, §5.3; Graph start)', () => {
  it('a stopped job reports Paused and sends nothing, not even probes; start resumes from the watermark with a cycle now', async () => {
    setUp({});
    await rig.perform('cycle', 'initial');
    await rig.perform('stop');
    expect(rig.statuses().at(-1)).toEqual({ code: 'Paused' });
    await expect(rig.perform('stop')).rejects.toThrow(/already paused/);
    await rig.perform('update', { user: 'megan', set: { displayName: 'Megan Bowen' } });
    rig.clear();
    await rig.perform('advance', '2h');
    expect(rig.sent).toEqual([]);
    await rig.perform('start');
    expect(rig.sent.map((s) => `${s.method} ${s.path.split('?')[0]}`)).toEqual(['GET /Users', 'GET /Users/u2', 'PATCH /Users/u2']);
    expect(rig.statuses().at(-1)).toEqual({ code: 'Active', nextCycle: expect.stringMatching(/^2026-01-05T11:40:00\./) });
    await expect(rig.perform('start')).rejects.toThrow(/paused or quarantined/);
  });

  it('start clears a quarantine and runs the cycle at once, without waiting for the next retry', async () => {
    setUp({}, (r) => r.once('GET', /^\/Users\?filter=userName\+eq\+%22[0-9a-f-]{36}%22$/, { status: 401, body: '' }));
    await rig.perform('cycle', 'initial');
    expect(rig.statuses().at(-1)).toMatchObject({ code: 'Quarantine', quarantine: { nextAttempt: '2026-01-05T15:00:00.000Z' } });
    await rig.perform('start');
    expect(rig.writes().map((w) => w.method)).toEqual(['POST', 'POST']);
    expect(rig.statuses().at(-1)).toEqual({ code: 'Active', nextCycle: expect.stringMatching(/^2026-01-05T09:40:00\./) });
  });
});

describe('restart with resetScope (Entra ref §5.7)', () => {
  it('Watermark alone: a new initial cycle that keeps links and escrows; Escrows alone: an incremental cycle without the escrowed object', async () => {
    setUp({}, (r) => r.once('POST', '/Users', scimError(500, 'down')));
    await rig.perform('cycle', 'initial');
    rig.clear();
    await rig.perform('restart', { resetScope: 'Escrows' });
    expect(rig.writes()).toEqual([]);
    await rig.perform('restart', { resetScope: ['Watermark'] });
    // Escrows: the incremental cycle's probe alone. Watermark: a new initial cycle, adele matched and created, megan read by her kept link.
    expect(rig.sent.map((s) => `${s.method} ${s.path.split('?')[0]}`)).toEqual(['GET /Users', 'GET /Users', 'GET /Users', 'POST /Users', 'GET /Users/u1']);
  });

  it('ConnectorDataStore drops the links: users are matched by filter again, not read by id', async () => {
    setUp({});
    await rig.perform('cycle', 'initial');
    rig.clear();
    await rig.perform('restart', { resetScope: ['ConnectorDataStore', 'Watermark'] });
    expect(rig.sent.filter((s) => s.method === 'GET').map((s) => s.path.split('=')[0])).toEqual(['/Users?filter', '/Users?filter', '/Users?filter']);
  });

  it('refuses a scope Graph does not have, naming the ones it has', async () => {
    setUp({});
    await expect(rig.perform('restart', { resetScope: 'Everything' })).rejects.toThrow(/resetScope takes None, ConnectorDataStore, Escrows, Watermark, QuarantineState, Full, ForceDeletes/);
  });
});

describe('quarantine (Entra ref §5.6)', () => {
  it('401 on the probe: at once, EncounteredQuarantineException; retries at +6 h, +12 h, +24 h, then daily; disabled after 28 days', async () => {
    setUp({}, (r) => r.on('GET', /./, { status: 401, body: '' }));
    await rig.perform('cycle', 'initial');
    expect(rig.statuses()[0]).toEqual({
      code: 'Quarantine',
      quarantine: {
        reason: 'EncounteredQuarantineException',
        seriesBegan: '2026-01-05T09:00:00.000Z',
        currentBegan: '2026-01-05T09:00:00.000Z',
        seriesCount: 1,
        nextAttempt: '2026-01-05T15:00:00.000Z',
        error: {
          code: 'SystemForCrossDomainIdentityManagementCredentialValidationFailure',
          message: 'An HTTP/401 Unauthorized response was returned rather than the expected HTTP/200 OK response: the Secret Token is invalid or expired.',
          synthesised: true,
        },
      },
      nextCycle: '2026-01-05T15:00:00.000Z',
    });
    const started = performance.now();
    await rig.perform('advance', '30d');
    // 30 virtual days of waits cost no wall time: milliseconds, bounded for a loaded machine.
    expect(performance.now() - started).toBeLessThan(5000);
    const offsets = probeTimes(rig).map((t) => (Date.parse(t!) - Date.parse('2026-01-05T09:00:00.000Z')) / HOUR);
    expect(offsets).toEqual([0, 6, 12, 24, ...Array.from({ length: 26 }, (_, i) => 48 + 24 * i)]);
    expect(rig.statuses().at(-1)).toEqual({ code: 'Paused', quarantine: expect.objectContaining({ seriesCount: 30 }) });
    expect(rig.outcomes.at(-1)!.virtualTime).toBe('2026-02-02T09:00:00.000Z');
    await expect(rig.perform('cycle', 'incremental')).rejects.toThrow(/disabled/);
    expect(attemptOffset(4)).toBe(48 * HOUR);
  });

  it('a 404 probe quarantines with the verbatim tenant-URL message (§3, §10.16)', async () => {
    setUp({}, (r) => r.on('GET', /./, { status: 404, body: '' }), false);
    await rig.perform('cycle', 'initial');
    expect(rig.statuses()[0]).toMatchObject({ code: 'Quarantine', quarantine: { reason: 'EncounteredQuarantineException', error: { message: expect.stringMatching(/^An HTTP\/404 Not Found response was returned rather than the expected HTTP\/200 OK response\. To address this issue, ensure that the tenant URL is correct\./) } } });
  });

  it('so does /Groups answering 404 while groups are provisioned (snipe-it#11659)', async () => {
    setUp({ provisionGroups: true }, (r) => r.on('GET', /^\/Groups/, { status: 404, body: '' }));
    await rig.perform('cycle', 'initial');
    expect(rig.statuses()[0]).toMatchObject({ code: 'Quarantine' });
    expect(rig.writes()).toEqual([]);
  });

  it('a 401 in the middle of a cycle fails the object, stops the cycle and quarantines at once', async () => {
    setUp({}, (r) => r.once('POST', '/Users', { status: 401, body: 'token expired' }));
    await rig.perform('cycle', 'initial');
    expect(rig.logs()).toHaveLength(1);
    expect(rig.logs()[0]).toMatchObject({ user: 'adele', status: 'Failure', errorCode: 'SystemForCrossDomainIdentityManagementCredentialValidationFailure' });
    expect(rig.statuses()[0]).toMatchObject({ code: 'Quarantine', quarantine: { reason: 'EncounteredQuarantineException' } });
    rig.clear();
    await rig.perform('advance', '6h');
    expect(rig.logs().map((r) => [r.user, r.action, r.status])).toEqual([
      ['adele', 'Create', 'Success'],
      ['megan', 'Create', 'Success'],
    ]);
    expect(rig.statuses()[0]).toMatchObject({ code: 'Active' });
  });

  it('restart clears quarantine, watermark and escrows but keeps links: linked users are read by id (§5.7)', async () => {
    let refused = false;
    setUp({}, (r) => r.on('GET', /^\/Users\?filter=userName\+eq\+%22[0-9a-f-]{36}/, () => (refused ? { status: 401, body: '' } : { status: 200, body: { totalResults: 0, Resources: [] } })), false);
    await rig.perform('cycle', 'initial');
    refused = true;
    await rig.perform('update', { user: 'adele', set: { jobTitle: 'x' } });
    await rig.perform('advance', '40m');
    expect(rig.statuses().at(-1)).toMatchObject({ code: 'Quarantine' });
    refused = false;
    rig.clear();
    await rig.perform('restart');
    expect(rig.lines().slice(1)).toEqual(['GET /Users/u1', 'PATCH /Users/u1', 'GET /Users/u2']);
    expect(rig.statuses()).toEqual([{ code: 'Active', nextCycle: '2026-01-05T10:20:00.500Z' }]);
  });
});

describe('provision on demand (Entra ref §5.9)', () => {
  it('ignores aadOptscim062020: an unassigned user is disabled with the legacy "False" (§10.19)', async () => {
    setUp({ flags: ['aadOptscim062020'] });
    await rig.perform('cycle', 'initial');
    await rig.perform('unassign', 'adele');
    rig.clear();
    await rig.perform('provision-on-demand', 'adele');
    expect(JSON.parse(rig.writes()[0]!.body!).Operations).toEqual([{ op: 'Replace', path: 'active', value: 'False' }]);
    expect(rig.logs()[0]).toMatchObject({ user: 'adele', action: 'Disable', status: 'Success', initiatedBy: 'OnDemand' });
  });

  it('a failed Test connection is a failed record, not a quarantine; users disabled in Entra cannot be searched', async () => {
    setUp({}, (r) => r.once('GET', /^\/Users\?filter=userName\+eq\+%22[0-9a-f-]{36}/, { status: 401, body: '' }));
    await rig.perform('provision-on-demand', 'adele');
    expect(rig.logs()[0]).toMatchObject({ status: 'Failure', steps: [{ name: 'TestConnection', status: 'Failure' }] });
    expect(rig.statuses()).toEqual([]);
    await rig.perform('disable', 'megan');
    await rig.perform('provision-on-demand', 'megan');
    expect(rig.logs()[1]).toMatchObject({ user: 'megan', status: 'Skipped' });
    expect(rig.writes()).toEqual([]);
  });
});

describe('throttling (Entra ref §5.10, §10.18)', () => {
  const throttled = (r: EntraRig) => r.once('POST', '/Users', { status: 429, body: '', headers: { 'retry-after': '30', 'content-type': 'text/plain' } } satisfies Answer);

  it('by default a 429 fails the object (TooManyRequests), retried next cycle', async () => {
    setUp({}, throttled);
    await rig.perform('cycle', 'initial');
    expect(rig.logs().map((r) => [r.user, r.status, r.errorCode])).toEqual([
      ['adele', 'Failure', 'TooManyRequests'],
      ['megan', 'Success', undefined],
    ]);
    rig.clear();
    await rig.perform('advance', '40m');
    expect(rig.logs()[0]).toMatchObject({ user: 'adele', action: 'Create', status: 'Success' });
  });

  it('throttling: retry-after sends a request at most retryAfterAttempts times; the failure then says sends and synthesised', async () => {
    const always = (r: EntraRig) => r.on('POST', '/Users', { status: 429, body: '', headers: { 'retry-after': '2' } } satisfies Answer);
    setUp({ throttling: 'retry-after' }, always);
    await rig.perform('cycle', 'initial');
    expect(rig.transcript.exchanges.filter((e) => e.request.method === 'POST')).toHaveLength(10);
    expect(rig.logs()[0]).toMatchObject({ user: 'adele', status: 'Failure', errorCode: 'TooManyRequests', sends: 5, synthesised: true });
    await rig.close();
    setUp({ throttling: 'retry-after', retryAfterAttempts: 2 }, always);
    await rig.perform('cycle', 'initial');
    expect(rig.transcript.exchanges.filter((e) => e.request.method === 'POST')).toHaveLength(4);
    expect(rig.logs()[0]).toMatchObject({ sends: 2, synthesised: true });
  });

  it('throttling: retry-after and a 429 without Retry-After: one send, the object fails (synthesised); the escrow policy marks nothing', async () => {
    const bare = (r: EntraRig) => r.once('POST', '/Users', { status: 429, body: '' } satisfies Answer);
    setUp({ throttling: 'retry-after' }, bare);
    await rig.perform('cycle', 'initial');
    expect(rig.logs()[0]).toMatchObject({ status: 'Failure', errorCode: 'TooManyRequests', sends: 1, synthesised: true });
    await rig.close();
    setUp({}, bare);
    await rig.perform('cycle', 'initial');
    expect(rig.logs()[0]).toMatchObject({ status: 'Failure', errorCode: 'TooManyRequests' });
    expect(rig.logs()[0]).not.toHaveProperty('synthesised');
    expect(rig.logs()[0]).not.toHaveProperty('sends');
  });

  it('throttling: retry-after (unverified) waits Retry-After on the virtual clock and resends', async () => {
    setUp({ throttling: 'retry-after' }, throttled);
    await rig.perform('cycle', 'initial');
    expect(rig.logs().map((r) => r.status)).toEqual(['Success', 'Success']);
    const posts = rig.transcript.exchanges.filter((e) => e.request.method === 'POST');
    expect(posts.map((e) => e.virtualTime)).toEqual(['2026-01-05T09:00:00.200Z', '2026-01-05T09:00:30.300Z', '2026-01-05T09:00:30.500Z']);
  });
});

describe('accidental deletions (Entra ref §5.8)', () => {
  it('more disables than the threshold are held back as StagedDelete and quarantine the job (TooManyDeletes); allow-deletes sends them', async () => {
    setUp({ accidentalDeletionThreshold: 1 });
    await rig.perform('cycle', 'initial');
    await rig.perform('unassign', 'adele');
    await rig.perform('unassign', 'megan');
    rig.clear();
    await rig.perform('advance', '40m');
    expect(rig.writes()).toEqual([]);
    expect(rig.logs().map((r) => [r.user, r.action, r.status, r.errorCode])).toEqual([
      ['adele', 'StagedDelete', 'Skipped', 'TooManyDeletes'],
      ['megan', 'StagedDelete', 'Skipped', 'TooManyDeletes'],
    ]);
    expect(rig.statuses()[0]).toMatchObject({ code: 'Quarantine', quarantine: { reason: 'TooManyDeletes' } });
    rig.clear();
    await rig.perform('allow-deletes');
    expect(rig.logs().map((r) => [r.user, r.action, r.status])).toEqual([
      ['adele', 'Disable', 'Success'],
      ['megan', 'Disable', 'Success'],
    ]);
    expect(rig.statuses()[0]).toMatchObject({ code: 'Active' });
  });
});
