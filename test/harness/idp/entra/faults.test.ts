import { afterEach, describe, expect, it } from 'vitest';
import { PROBE_NOT_FOUND } from '../../../../harness/idp/entra/logs.js';
import { createEntraSimulator } from '../../../../harness/idp/entra/simulator.js';
import type { FaultRule } from '../../../../reference-server/faults/types.js';
import { ServerRig } from '../server-rig.js';

/**
 * Entra's reactions to a target that fails on purpose (docs/faults.md), against a lenient
 * reference server: the probe answered 404, 500, an HTML page or not at all (Entra ref §3, §5.6,
 * §10.16), and objects answered 429 (§5.10, §10.18), 5xx, an HTML page, a reset or nothing (§5.5,
 * §9), escrowed and retried next cycle, up to the escrow thresholds (§5.6).
 */

const ADELE = { users: { adele: { userPrincipalName: 'adele@contoso.com' } }, assignments: ['adele'] };
const TWO = { users: { adele: { userPrincipalName: 'adele@contoso.com' }, bruno: { userPrincipalName: 'bruno@contoso.com' } }, assignments: ['adele', 'bruno'] };
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';
const INCOMPATIBLE = 'SystemForCrossDomainIdentityManagementServiceIncompatible';
/** The first query of a cycle is its random-GUID probe (Entra ref §3). */
const PROBE = { method: 'GET', path: '/Users', query: { filter: { contains: 'userName eq "' } }, nth: 1 };

let rig: ServerRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

async function entra(faults: FaultRule[], settings: Record<string, unknown> = {}, directory: Record<string, unknown> = ADELE): Promise<ServerRig> {
  rig = await ServerRig.start('entra', createEntraSimulator, { settings: { provisionGroups: false, seed: 'faults', ...settings }, directory }, { profile: 'lenient', faults });
  return rig;
}

const logs = (rig: ServerRig) => rig.records('provisioningLog');
const statuses = (rig: ServerRig) => rig.records('jobStatus');
const brief = (rig: ServerRig) => logs(rig).map((r) => [r.user, r.action, r.status, r.errorCode]);

describe('the probe (Entra ref §3, §5.6)', () => {
  it('answered 404: quarantined at once with the real message; the retry 6 h later succeeds and lifts it', async () => {
    const rig = await entra([{ match: PROBE, act: { status: 404 } }]);
    await rig.perform('cycle', 'initial');
    expect(rig.answers()).toEqual([404]);
    expect(logs(rig)).toEqual([]);
    expect(statuses(rig)).toEqual([
      expect.objectContaining({
        code: 'Quarantine',
        quarantine: expect.objectContaining({ reason: 'EncounteredQuarantineException', seriesCount: 1, nextAttempt: '2026-01-05T15:00:00.000Z', error: { code: INCOMPATIBLE, message: PROBE_NOT_FOUND } }),
      }),
    ]);
    rig.clear();
    await rig.perform('advance', '6h');
    expect(rig.answers()).toEqual([200, 200, 201]);
    expect(brief(rig)).toEqual([['adele', 'Create', 'Success', undefined]]);
    expect(statuses(rig)).toEqual([expect.objectContaining({ code: 'Active' })]);
  });

  it('the group probe answered 404 while groups are provisioned: the same (§10.16)', async () => {
    const rig = await entra([{ match: { method: 'GET', path: '/Groups', nth: 1 }, act: { status: 404 } }], { provisionGroups: true });
    await rig.perform('cycle', 'initial');
    expect(rig.lines().map((l) => l.split('?')[0])).toEqual(['GET /Users', 'GET /Groups']);
    expect(statuses(rig)[0]).toMatchObject({ code: 'Quarantine', quarantine: { reason: 'EncounteredQuarantineException', error: { message: PROBE_NOT_FOUND } } });
  });

  it.each<[string, FaultRule['act'], { code: string; message: string }]>([
    ['500', { status: 500 }, { code: 'InternalServerError', message: 'An HTTP/500 Internal Server Error response was returned rather than the expected HTTP/200 OK response.' }],
    ["502, a proxy's HTML page", { status: 502, html: true }, { code: 'InternalServerError', message: 'An HTTP/502 Bad Gateway response was returned rather than the expected HTTP/200 OK response.' }],
    ['200 with an HTML page', { status: 200, html: true, body: '<!doctype html><title>Sign in</title>' }, { code: INCOMPATIBLE, message: 'We are not able to deserialize' }],
    ['a reset', { reset: 'before-headers' }, { code: 'WebExceptionProtocolError', message: 'Entra could not connect to the SCIM endpoint: connection closed by' }],
  ])('answered %s: quarantined at once (inferred, UNVERIFIED), nothing else sent', async (_, act, error) => {
    const rig = await entra([{ match: PROBE, act }]);
    await rig.perform('cycle', 'initial');
    expect(rig.exchanges()).toHaveLength(1);
    expect(logs(rig)).toEqual([]);
    const [status] = statuses(rig);
    expect(status).toMatchObject({ code: 'Quarantine', quarantine: { reason: 'EncounteredQuarantineException', seriesCount: 1, error: { code: error.code } } });
    expect((status!.quarantine as { error: { message: string } }).error.message).toContain(error.message);
  });

  it('answered 400: the cycle goes on, the objects answer for themselves (§3)', async () => {
    const rig = await entra([{ match: PROBE, act: { status: 400 } }]);
    await rig.perform('cycle', 'initial');
    expect(rig.answers()).toEqual([400, 200, 201]);
    expect(statuses(rig)).toEqual([expect.objectContaining({ code: 'Active' })]);
  });
});

describe('429 (Entra ref §5.10, §10.18)', () => {
  const throttled = (times: number, retryAfter?: number): FaultRule[] => [{ match: { method: 'POST', path: '/Users', times }, act: { status: 429, ...(retryAfter && { retryAfter }) } }];

  it('escrow: the create fails with TooManyRequests and is retried in the next cycle, 40 minutes later', async () => {
    const rig = await entra(throttled(1, 7));
    await rig.perform('cycle', 'initial');
    expect(rig.answers()).toEqual([200, 200, 429]);
    expect(brief(rig)).toEqual([['adele', 'Create', 'Failure', 'TooManyRequests']]);
    expect(logs(rig)[0]!.reason).toContain('StatusCode: TooManyRequests');
    expect(logs(rig)[0]!.reason).toContain('This operation was retried 0 times. It will be retried again after this date: 2026-01-05T09:40:00.0000000Z UTC');
    expect(statuses(rig)).toEqual([expect.objectContaining({ code: 'Active' })]);
    rig.clear();
    await rig.perform('advance', '40m');
    expect(rig.answers()).toEqual([200, 200, 201]);
    expect(logs(rig)).toEqual([expect.objectContaining({ user: 'adele', action: 'Create', status: 'Success', activityDateTime: '2026-01-05T09:40:00.300Z' })]);
  });

  it('retry-after (UNVERIFIED): Retry-After is waited and the request resent in the same cycle', async () => {
    const rig = await entra(throttled(2, 7), { throttling: 'retry-after' });
    await rig.perform('cycle', 'initial');
    expect(rig.answers()).toEqual([200, 200, 429, 429, 201]);
    expect(rig.offsets()).toEqual([0, 0.1, 0.2, 7.3, 14.4]);
    expect(logs(rig)).toEqual([expect.objectContaining({ user: 'adele', action: 'Create', status: 'Success', activityDateTime: '2026-01-05T09:00:14.500Z' })]);
  });

  it('retry-after without a Retry-After: nothing to wait for, so the object is escrowed', async () => {
    const rig = await entra(throttled(1), { throttling: 'retry-after' });
    await rig.perform('cycle', 'initial');
    expect(brief(rig)).toEqual([['adele', 'Create', 'Failure', 'TooManyRequests']]);
  });
});

describe('5xx, HTML pages, resets and timeouts on an object (Entra ref §5.5, §9)', () => {
  it("a proxy's 502 page on the PATCH: InternalServerError, the page after Web Response:, retried next cycle", async () => {
    const rig = await entra([]);
    await rig.perform('cycle', 'initial');
    rig.faults([{ match: { method: 'PATCH', nth: 1 }, act: { status: 502, html: true } }]);
    rig.clear();
    await rig.perform('update', { user: 'adele', set: { displayName: 'Adele Vance' } });
    await rig.perform('advance', '40m');
    expect(rig.answers()).toEqual([200, 200, 502]);
    const [failure] = logs(rig);
    expect(failure).toMatchObject({ user: 'adele', action: 'Update', status: 'Failure', errorCode: 'InternalServerError' });
    expect(failure!.reason).toContain("Failed to update User 'adele@contoso.com' in customappsso");
    expect(failure!.reason).toContain('StatusCode: BadGateway');
    expect(failure!.reason).toContain('Web Response: <html>\r\n<head><title>502 Bad Gateway</title></head>');
    expect(failure!.reason).toContain('retried 0 times. It will be retried again after this date: 2026-01-05T10:20:00.0000000Z UTC');
    rig.clear();
    await rig.perform('advance', '40m');
    expect(rig.answers()).toEqual([200, 200, 200]);
    expect(brief(rig)).toEqual([['adele', 'Update', 'Success', undefined]]);
  });

  it('a reset on the POST: WebExceptionProtocolError, retried next cycle', async () => {
    const rig = await entra([{ match: { method: 'POST', nth: 1 }, act: { reset: 'before-headers' } }]);
    await rig.perform('cycle', 'initial');
    expect(brief(rig)).toEqual([['adele', 'Create', 'Failure', 'WebExceptionProtocolError']]);
    expect(logs(rig)[0]!.reason).toContain('The SCIM endpoint did not answer: connection closed by');
    rig.clear();
    await rig.perform('advance', '40m');
    expect(brief(rig)).toEqual([['adele', 'Create', 'Success', undefined]]);
  });

  it('no answer within timeoutSeconds: Timeout, the wait counted in virtual time, retried next cycle', async () => {
    const rig = await entra([{ match: { method: 'POST', nth: 1 }, act: { hang: true } }], { timeoutSeconds: 0.2 });
    await rig.perform('cycle', 'initial');
    expect(rig.answers()).toEqual([200, 200, 'no response within 200 ms']);
    expect(logs(rig)).toEqual([expect.objectContaining({ action: 'Create', status: 'Failure', errorCode: 'Timeout', activityDateTime: '2026-01-05T09:00:00.500Z' })]);
    rig.clear();
    await rig.perform('advance', '40m');
    expect(brief(rig)).toEqual([['adele', 'Create', 'Success', undefined]]);
  });

  it('5xx failures count toward the escrow thresholds: past the proportion the job is quarantined, and a retry that succeeds lifts it (§5.6)', async () => {
    const rig = await entra([], { escrowThresholds: { minimum: 2, proportion: 0.4 } }, TWO);
    await rig.perform('cycle', 'initial');
    rig.faults([{ match: { method: 'PATCH' }, act: { status: 503, body: { schemas: [ERROR], status: '503', detail: 'maintenance' } } }]);
    rig.clear();
    await rig.perform('update', { user: 'adele', set: { displayName: 'Adele Vance' } });
    await rig.perform('update', { user: 'bruno', set: { displayName: 'Bruno Buyer' } });
    await rig.perform('advance', '40m');
    expect(brief(rig)).toEqual([
      ['adele', 'Update', 'Failure', 'InternalServerError'],
      ['bruno', 'Update', 'Failure', 'InternalServerError'],
    ]);
    expect(logs(rig)[0]!.reason).toContain('Web Response: {"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"503","detail":"maintenance"}');
    expect(statuses(rig)).toEqual([
      expect.objectContaining({ code: 'Quarantine', quarantine: expect.objectContaining({ reason: 'EncounteredEscrowProportionThreshold', seriesCount: 1, nextAttempt: '2026-01-05T15:40:00.000Z' }) }),
    ]);
    rig.faults([]);
    rig.clear();
    await rig.perform('advance', '6h');
    expect(brief(rig)).toEqual([
      ['adele', 'Update', 'Success', undefined],
      ['bruno', 'Update', 'Success', undefined],
    ]);
    expect(statuses(rig)).toEqual([expect.objectContaining({ code: 'Active' })]);
  });
});
