import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { Redactor } from '../../../../harness/http/redact.js';
import { ScimClient } from '../../../../harness/http/client.js';
import { Transcript } from '../../../../harness/http/transcript.js';
import { createOktaSimulator } from '../../../../harness/idp/okta/simulator.js';
import type { Outcome } from '../../../../harness/result.js';
import { created, list, LIST_EMPTY, OktaRig, scimError } from './rig.js';

/** Okta ref §11 (429 in virtual time), §2.4 (the 60 s timeout) and §2.1 (Accept-Encoding: gzip,deflate). */

const ada = { users: { ada: { login: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace' } } };
const THROTTLED = (retryAfter?: string) => ({ ...scimError(429, 'slow down'), ...(retryAfter !== undefined && { headers: { 'content-type': 'application/scim+json', 'retry-after': retryAfter } }) });

let rig: OktaRig;
afterEach(async () => rig?.close());

describe('Okta ref §11: 429 in virtual time', () => {
  it('an integer Retry-After is honoured: 7 s later the same request again, at the later virtual time', async () => {
    rig = new OktaRig({ directory: ada });
    rig.once('GET', /^\/Users\?filter=/, THROTTLED('7')).on('GET', /^\/Users\?filter=/, LIST_EMPTY).on('POST', '/Users', created('u1'));
    const start = rig.simulator.now();
    await rig.perform('assign', 'ada');
    expect(rig.lines().map((l) => l.split('?')[0])).toEqual(['GET /Users', 'GET /Users', 'POST /Users']);
    const times = rig.transcript.exchanges.map((e) => Date.parse(e.virtualTime!) - Date.parse(start));
    expect(times).toEqual([0, 7000, 7000]);
    expect(rig.records()).toEqual([{ eventType: 'application.provision.user.push', user: 'ada', status: 'success', attempts: 2, waits: [7] }]);
    expect(rig.outcomes[0]!.virtualTime).toBe(new Date(Date.parse(start) + 7000).toISOString());
  });

  it('without Retry-After: 5 minutes, doubling with each retry (300 s, 600 s, 1200 s)', async () => {
    rig = new OktaRig({ directory: ada });
    for (let i = 0; i < 3; i++) rig.once('POST', '/Users', THROTTLED());
    rig.on('GET', /^\/Users\?filter=/, LIST_EMPTY).on('POST', '/Users', created('u1'));
    await rig.perform('assign', 'ada');
    expect(rig.records()).toMatchObject([{ status: 'success', attempts: 4, waits: [300, 600, 1200] }]);
    expect(Date.parse(rig.simulator.now()) - Date.parse(rig.transcript.exchanges[0]!.virtualTime!)).toBe(2100_000);
  });

  it.each([
    ['an HTTP-date', 'Wed, 21 Oct 2026 07:28:00 GMT'],
    ['a fraction', '1.5'],
    ['an empty value', ''],
  ])('a Retry-After that is %s counts as missing: 300 s', async (_, value) => {
    rig = new OktaRig({ directory: ada });
    rig.once('GET', /^\/Users\?filter=/, THROTTLED(value)).on('GET', /^\/Users\?filter=/, LIST_EMPTY).on('POST', '/Users', created('u1'));
    await rig.perform('assign', 'ada');
    expect(rig.records()).toMatchObject([{ status: 'success', waits: [300] }]);
  });

  it('after 10 attempts the task fails for good, with the 429 in the admin message; no wall time is spent', async () => {
    rig = new OktaRig({ directory: ada });
    rig.on('GET', /^\/Users\?filter=/, THROTTLED());
    const wall = performance.now();
    await rig.perform('assign', 'ada');
    // 43 virtual hours of waits cost no wall time: milliseconds, bounded for a loaded machine.
    expect(performance.now() - wall).toBeLessThan(5000);
    expect(rig.sent).toHaveLength(10);
    const waits = [300, 600, 1200, 2400, 4800, 9600, 19200, 38400, 76800];
    expect(rig.records()).toEqual([
      {
        eventType: 'application.provision.user.push',
        user: 'ada',
        status: 'failure',
        message:
          'Automatic provisioning of user Ada Lovelace to app SCIM 2.0 Test App failed: Error while verifying if user ada@example.com exists: Too Many Requests. Errors reported by remote server: slow down',
        attempts: 10,
        waits,
      },
    ]);
    const total = waits.reduce((a, b) => a + b, 0) * 1000;
    expect(Date.parse(rig.simulator.now()) - Date.parse(rig.transcript.exchanges[0]!.virtualTime!)).toBe(total);
  });

  it('429 handling covers every task: a Group Push membership update waits too', async () => {
    rig = new OktaRig({ settings: { groupRenameOnMembershipUpdate: false }, directory: { ...ada, groups: { eng: { members: [] } } } });
    rig.on('GET', /^\/Users\?filter=/, LIST_EMPTY).on('POST', '/Users', created('u1'));
    rig.on('GET', /^\/Groups\?filter=/, LIST_EMPTY).on('POST', '/Groups', { status: 201, body: { id: 'g1' } });
    rig.once('PATCH', '/Groups/g1', THROTTLED('30')).on('PATCH', '/Groups/g1', { status: 204 });
    await rig.perform('assign', 'ada');
    await rig.perform('push-group', 'eng');
    await rig.perform('add-member', { group: 'eng', user: 'ada' });
    expect(rig.records().at(-1)).toEqual({ eventType: 'application.provision.group_push.updated', group: 'eng', status: 'success', attempts: 2, waits: [30] });
  });

  it('other errors are not retried (Okta ref §11); with retryServerErrors (UNVERIFIED) a 503 is, on the same schedule', async () => {
    rig = new OktaRig({ directory: ada });
    rig.on('GET', /^\/Users\?filter=/, LIST_EMPTY).once('POST', '/Users', scimError(503, 'busy')).on('POST', '/Users', created('u1'));
    await rig.perform('assign', 'ada');
    expect(rig.records()).toMatchObject([{ status: 'failure', message: expect.stringContaining('Service Unavailable. Errors reported by remote server: busy') }]);
    await rig.close();

    rig = new OktaRig({ settings: { retryServerErrors: true }, directory: ada });
    rig.on('GET', /^\/Users\?filter=/, LIST_EMPTY).once('POST', '/Users', scimError(503, 'busy')).on('POST', '/Users', created('u1'));
    await rig.perform('assign', 'ada');
    expect(rig.records()).toMatchObject([{ status: 'success', attempts: 2, waits: [300] }]);
  });
});

describe('Okta ref §2.4: the timeout, against a real target (real time)', () => {
  let server: Server | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
  });

  /** Okta assigns ada against a loopback server that never answers; what it reported, and how far its clock moved. */
  async function againstSilence(settings: Record<string, unknown>, deadlineMs?: number): Promise<{ outcomes: Outcome[]; error?: string; movedMs: number }> {
    server = createServer(() => {
      // Never answers.
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const client = new ScimClient({ baseUrl: `http://127.0.0.1:${port}/scim/v2`, credentials: { kind: 'none' }, redactor: new Redactor(), ...(deadlineMs !== undefined && { deadlineMs }) });
    const outcomes: Outcome[] = [];
    const transcript = new Transcript();
    const simulator = createOktaSimulator({
      id: 'okta.timeout',
      title: 't',
      refs: ['Okta ref §2.4'],
      tags: [],
      requires: [],
      covers: [],
      idp: 'okta',
      settings,
      directory: ada,
      steps: [],
      source: { file: 't.yaml', line: 1, column: 1 },
    });
    const before = Date.parse(simulator.now());
    try {
      await simulator.perform({ kind: 'idp', action: 'assign', args: 'ada', source: { file: 't.yaml', line: 1, column: 1 } }, { client, transcript, step: 0, report: (o) => outcomes.push(o) });
    } finally {
      await client.close();
    }
    return { outcomes, error: transcript.exchanges[0]?.error, movedMs: Date.parse(simulator.now()) - before };
  }

  it('no answer within timeoutSeconds fails the task with "Read timed out"', async () => {
    const { outcomes, error, movedMs } = await againstSilence({ timeoutSeconds: 0.3 });
    expect(outcomes.map((o) => o.record)).toEqual([
      {
        eventType: 'application.provision.user.push',
        user: 'ada',
        status: 'failure',
        message: 'Automatic provisioning of user Ada Lovelace to app SCIM 2.0 Test App failed: Error while verifying if user ada@example.com exists: Read timed out',
      },
    ]);
    expect(error).toBe('no response within 300 ms');
    expect(movedMs).toBe(300);
  });

  it("with Okta's default 60 s, a shorter --deadline ends the request: the deadline's failure, not Okta's timeout", async () => {
    const { outcomes, error, movedMs } = await againstSilence({}, 300);
    expect(error).toBe('no complete response within 300 ms (--deadline)');
    expect(outcomes.map((o) => o.record)).toEqual([
      {
        eventType: 'application.provision.user.push',
        user: 'ada',
        status: 'failure',
        message: 'Automatic provisioning of user Ada Lovelace to app SCIM 2.0 Test App failed: Error while verifying if user ada@example.com exists: no complete response within 300 ms (--deadline)',
      },
    ]);
    expect(movedMs).toBe(0);
  });
});

describe('Okta ref §2.1: Accept-Encoding gzip,deflate', () => {
  it('a gzip-compressed answer is read like a plain one', async () => {
    rig = new OktaRig({ settings: { provisioningFeatures: { updateUserAttributes: false } }, directory: ada });
    rig.on('GET', /^\/Users\?filter=/, {
      status: 200,
      body: gzipSync(JSON.stringify(list([{ id: 'u9', userName: 'ada@example.com', active: true }]).body)),
      headers: { 'content-type': 'application/scim+json', 'content-encoding': 'gzip' },
    });
    await rig.perform('assign', 'ada');
    expect(rig.records()).toEqual([{ eventType: 'application.provision.user.push', user: 'ada', status: 'success', linked: true }]);
    expect(rig.simulator.targetOf('ada')).toBe('/Users/u9');
  });
});
