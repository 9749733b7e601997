import { afterEach, describe, expect, it } from 'vitest';
import { createOktaSimulator } from '../../../../harness/idp/okta/simulator.js';
import type { FaultRule } from '../../../../reference-server/faults/types.js';
import { ServerRig } from '../server-rig.js';

/**
 * Okta's reactions to a target that fails on purpose (docs/faults.md), against the reference
 * server: 429s with and without a usable Retry-After (Okta ref §11, §13.20), 5xx answers and
 * `retryServerErrors` (§11), a proxy's HTML page (§2.4, §12), a reset and a timeout (§2.4, §13.19).
 * Waits are virtual time, except the timeout's, which is real and kept short with `timeoutSeconds`.
 */

const ADA = { users: { ada: { login: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace' } } };
const OPS = { groups: { ops: { name: 'Ops' } } };
const LOOKUP = 'GET /Users?filter=userName eq "ada@example.com"&startIndex=1&count=100';
const PROVISIONING = 'Automatic provisioning of user Ada Lovelace to app SCIM 2.0 Test App failed';
const JACKSON_HTML = "Invalid JSON: Unexpected character ('<' (code 60)): expected a valid value (JSON String, Number, Array, Object or token 'null', 'true' or 'false') at [line: 1, column: 2]";

let rig: ServerRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

async function okta(faults: FaultRule[], settings: Record<string, unknown> = {}, directory: Record<string, unknown> = ADA): Promise<ServerRig> {
  rig = await ServerRig.start('okta', createOktaSimulator, { settings: { variant: 'oin', seed: 'faults', ...settings }, directory }, { faults });
  return rig;
}

const doubling = (first: number, count: number) => Array.from({ length: count }, (_, i) => first * 2 ** i);

describe('429 (Okta ref §11, §13.20)', () => {
  it('an integer Retry-After is waited exactly, then doubled; the throttled request is sent once per attempt', async () => {
    const rig = await okta([{ match: { method: 'POST', path: '/Users', times: 2 }, act: { status: 429, retryAfter: 30 } }]);
    await rig.perform('assign', 'ada');
    expect(rig.lines()).toEqual([LOOKUP, 'POST /Users', 'POST /Users', 'POST /Users']);
    expect(rig.answers()).toEqual([200, 429, 429, 201]);
    expect(rig.offsets()).toEqual([0, 0, 30, 90]);
    expect(rig.records()).toEqual([{ eventType: 'application.provision.user.push', status: 'success', user: 'ada', attempts: 3, waits: [30, 60] }]);
  });

  it('with retryWaits: retry-after, each wait is its own Retry-After', async () => {
    const rig = await okta([{ match: { method: 'POST', path: '/Users', times: 2 }, act: { status: 429, retryAfter: 30 } }], { retryWaits: 'retry-after' });
    await rig.perform('assign', 'ada');
    expect(rig.records()[0]).toMatchObject({ status: 'success', attempts: 3, waits: [30, 30] });
  });

  it('without Retry-After, 5 minutes, then 10 (Group Push)', async () => {
    const rig = await okta([{ match: { method: 'POST', path: '/Groups', times: 2 }, act: { status: 429 } }], {}, OPS);
    await rig.perform('push-group', 'ops');
    expect(rig.lines().slice(0, 4)).toEqual(['GET /Groups?filter=displayName eq "Ops"&startIndex=1&count=100', 'POST /Groups', 'POST /Groups', 'POST /Groups']);
    expect(rig.offsets().slice(0, 4)).toEqual([0, 0, 300, 900]);
    expect(rig.records()[0]).toMatchObject({ eventType: 'application.provision.group_push.updated', status: 'success', attempts: 3, waits: [300, 600] });
  });

  it('a Retry-After that is an HTTP date does not count: 5 minutes (profile push)', async () => {
    const rig = await okta([{ match: { method: 'PUT', path: '/Users/*', nth: 1 }, act: { status: 429, retryAfter: { date: '+30s' } } }]);
    await rig.perform('assign', 'ada');
    rig.clear();
    await rig.perform('update', { user: 'ada', set: { title: 'Countess' } });
    expect(rig.exchanges()[1]!.response!.headers['retry-after']).toMatch(/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
    expect(rig.answers()).toEqual([200, 429, 200]);
    expect(rig.offsets()).toEqual([0, 0, 300]);
    expect(rig.records()).toEqual([{ eventType: 'application.provision.user.push_profile', status: 'success', user: 'ada', attempts: 2, waits: [300] }]);
  });

  it.each<[string, FaultRule['act'], string, number[]]>([
    ['no Retry-After', { status: 429 }, 'double', doubling(300, 9)],
    ['an HTTP-date Retry-After', { status: 429, retryAfter: { date: '+30s' } }, 'double', doubling(300, 9)],
    ['a fractional Retry-After', { status: 429, headers: { 'Retry-After': '1.5' } }, 'retry-after', doubling(300, 9)],
    ['Retry-After: 30', { status: 429, retryAfter: 30 }, 'double', doubling(30, 9)],
    ['Retry-After: 30', { status: 429, retryAfter: 30 }, 'retry-after', Array(9).fill(30)],
  ])('answered %s at every attempt, retryWaits %s: ten lookups at the waits in virtual time, then the task fails', async (_, act, retryWaits, waits) => {
    const rig = await okta([{ match: { method: 'GET', path: '/Users' }, act }], { retryWaits });
    await rig.perform('assign', 'ada');
    expect(rig.lines()).toEqual(Array(10).fill(LOOKUP));
    let at = 0;
    expect(rig.offsets()).toEqual([0, ...waits.map((w) => (at += w))]);
    expect(rig.records()).toEqual([
      {
        eventType: 'application.provision.user.push',
        status: 'failure',
        user: 'ada',
        attempts: 10,
        waits,
        message: `${PROVISIONING}: Error while verifying if user ada@example.com exists: Too Many Requests. Errors reported by remote server: Too Many Requests`,
      },
    ]);
  });

  it('after the tenth attempt the task fails for good, with the 429 as the remote error', async () => {
    const rig = await okta([{ match: { method: 'POST', path: '/Users' }, act: { status: 429, retryAfter: 1 } }]);
    await rig.perform('assign', 'ada');
    expect(rig.answers()).toEqual([200, ...Array(10).fill(429)]);
    expect(rig.records()).toEqual([
      {
        eventType: 'application.provision.user.push',
        status: 'failure',
        user: 'ada',
        attempts: 10,
        waits: doubling(1, 9),
        message: `${PROVISIONING}: Error while creating user ada@example.com: Too Many Requests. Errors reported by remote server: Too Many Requests`,
      },
    ]);
  });
});

describe('5xx (Okta ref §11, §12)', () => {
  it('fails the task with the reason phrase and the detail, and is not retried', async () => {
    const rig = await okta([{ match: { method: 'PUT', path: '/Users/*' }, act: { status: 500, body: { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '500', detail: 'database unavailable' } } }]);
    await rig.perform('assign', 'ada');
    rig.clear();
    await rig.perform('update', { user: 'ada', set: { title: 'Countess' } });
    expect(rig.answers()).toEqual([200, 500]);
    expect(rig.records()).toEqual([
      {
        eventType: 'application.provision.user.push_profile',
        status: 'failure',
        user: 'ada',
        message:
          'Automatic profile push of user Ada Lovelace to app SCIM 2.0 Test App failed: Error while trying to push profile update for ada@example.com: Internal Server Error. Errors reported by remote server: database unavailable',
      },
    ]);
  });

  it('with retryServerErrors (UNVERIFIED), on the 429 schedule: 5 minutes, then 10', async () => {
    const rig = await okta([{ match: { method: 'POST', path: '/Users', times: 2 }, act: { status: 503 } }], { retryServerErrors: true });
    await rig.perform('assign', 'ada');
    expect(rig.answers()).toEqual([200, 503, 503, 201]);
    expect(rig.offsets()).toEqual([0, 0, 300, 900]);
    expect(rig.records()[0]).toMatchObject({ status: 'success', attempts: 3, waits: [300, 600] });
  });

  it("a proxy's HTML page is read with Jackson: its parse error is the remote detail", async () => {
    const rig = await okta([{ match: { method: 'GET', path: '/Users' }, act: { status: 502, html: true } }]);
    await rig.perform('assign', 'ada');
    expect(rig.lines()).toEqual([LOOKUP]);
    expect(rig.records()).toEqual([
      {
        eventType: 'application.provision.user.push',
        status: 'failure',
        user: 'ada',
        message: `${PROVISIONING}: Error while verifying if user ada@example.com exists: Bad Gateway. Errors reported by remote server: ${JACKSON_HTML}`,
      },
    ]);
  });

  it('an HTML page answered 200 to the lookup is no miss: the task fails on it, and nothing is created', async () => {
    const rig = await okta([{ match: { method: 'GET', path: '/Users' }, act: { status: 200, html: true, body: '<html><body>Sign in</body></html>' } }]);
    await rig.perform('assign', 'ada');
    expect(rig.lines()).toEqual([LOOKUP]);
    expect(rig.records()[0]).toMatchObject({ status: 'failure', message: `${PROVISIONING}: Error while verifying if user ada@example.com exists: ${JACKSON_HTML}` });
  });
});

describe('no answer (Okta ref §2.4, §11, §13.19)', () => {
  it('a reset fails the task with Java\'s "Connection reset", not retried', async () => {
    const rig = await okta([{ match: { method: 'POST', path: '/Users' }, act: { reset: 'before-headers' } }]);
    await rig.perform('assign', 'ada');
    expect(rig.lines()).toEqual([LOOKUP, 'POST /Users']);
    expect(rig.exchanges()[1]!.response).toBeUndefined();
    expect(rig.records()).toEqual([{ eventType: 'application.provision.user.push', status: 'failure', user: 'ada', message: `${PROVISIONING}: Error while creating user ada@example.com: Connection reset` }]);
  });

  it('a reset is retried with retryServerErrors', async () => {
    const rig = await okta([{ match: { method: 'POST', path: '/Users', nth: 1 }, act: { reset: 'before-headers' } }], { retryServerErrors: true });
    await rig.perform('assign', 'ada');
    expect(rig.answers().slice(2)).toEqual([201]);
    expect(rig.records()[0]).toMatchObject({ status: 'success', attempts: 2, waits: [300] });
  });

  it('no answer within timeoutSeconds: "Read timed out", and the virtual clock moves on by the wait', async () => {
    const rig = await okta([{ match: { method: 'POST', path: '/Users' }, act: { hang: true } }], { timeoutSeconds: 0.2 });
    await rig.perform('assign', 'ada');
    expect(rig.answers()).toEqual([200, 'no response within 200 ms']);
    expect(rig.simulator.now()).toBe('2026-01-05T09:00:00.200Z');
    expect(rig.records()).toEqual([{ eventType: 'application.provision.user.push', status: 'failure', user: 'ada', message: `${PROVISIONING}: Error while creating user ada@example.com: Read timed out` }]);
  });

  it('Test API Credentials without an answer: the dialog shows the failure itself', async () => {
    const rig = await okta([{ match: { method: 'GET', path: '/Users' }, act: { hang: true } }], { timeoutSeconds: 0.2 });
    await rig.perform('test-credentials');
    expect(rig.records()).toEqual([{ check: 'test-api-credentials', status: 'failure', message: 'Error authenticating: Read timed out' }]);
  });
});

describe('a key the target refuses (secretToken; Okta ref §3, §12)', () => {
  it('the reference server answers 401: Test API Credentials fails, and so does the next task, with the server detail', async () => {
    const rig = await okta([], { secretToken: 'not-the-token' });
    await rig.perform('test-credentials');
    await rig.perform('assign', 'ada');
    expect(rig.answers()).toEqual([401, 401]);
    expect(rig.records()).toEqual([
      { check: 'test-api-credentials', status: 'failure', message: expect.stringMatching(/^Error authenticating: Unauthorized\. The connector configuration could not be tested\./) },
      { eventType: 'application.provision.user.push', status: 'failure', user: 'ada', message: `${PROVISIONING}: Error while verifying if user ada@example.com exists: Unauthorized. Errors reported by remote server: The bearer token is not valid` },
    ]);
  });
});
