/**
 * `target: { rotateToken }` and `target: { advanceClock }` steps: the team admin regenerating the
 * target's SCIM key (Postman ref §6, PM-4), the harness sending the new key from then on, and the
 * old one through `saveOld`, until the grace ends on the target's clock. On the embedded target a
 * server of the scenario's own; on a served one through its admin API with run --admin-token.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { IDPS } from '../../../harness/idp/registry.js';
import { NO_ADMIN_TOKEN_CLOCK } from '../../../harness/runner/clock.js';
import { runScenarios, type RunOptions } from '../../../harness/runner/run.js';
import { NO_ADMIN_TOKEN_KEY } from '../../../harness/runner/token.js';
import { loadScenarios } from '../../../harness/scenario/load.js';
import type { Credentials } from '../../../harness/http/client.js';
import type { RunResult } from '../../../harness/result.js';
import type { Scenario } from '../../../harness/types.js';
import { createReferenceServer, type ReferenceServer } from '../../../reference-server/app.js';
import { tempFolder } from '../scenario/helpers.js';

/** Every key an embedded server was given by a rotation: the canary the results must not hold. */
const rotated = vi.hoisted(() => [] as string[]);
vi.mock('../../../reference-server/app.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../reference-server/app.js')>();
  return {
    ...real,
    createReferenceServer: (...args: Parameters<typeof real.createReferenceServer>) => {
      const server = real.createReferenceServer(...args);
      const rotate = server.rotateToken;
      server.rotateToken = (token) => (rotated.push(token), rotate(token));
      return server;
    },
  };
});

const folder = tempFolder();

async function scenariosOf(files: Record<string, string>): Promise<Scenario[]> {
  const { dir, write } = await folder();
  for (const [name, text] of Object.entries(files)) await write(join('suite', name), text);
  const { scenarios, errors } = await loadScenarios([join(dir, 'suite')], { idps: IDPS });
  expect(errors.map(String)).toEqual([]);
  return scenarios;
}

const list = (name: string, status: number, auth = '') =>
  `  - name: ${name}\n    request: { method: GET, path: /Users, query: { count: 1 }${auth} }\n    expect: { status: ${status} }\n`;
const OLD = ', auth: { bearer: "{{oldKey}}" }';

/** The bundled scenario's story: the new key at once, the old one within the grace, 401 after it. */
const GRACE = (profile = 'postman') =>
  `id: t.grace\ntitle: t\nrefs: ["Postman ref §9 PM-4"]\ntarget: { profile: ${profile} }\nsteps:\n` +
  '  - target: { rotateToken: { saveOld: oldKey } }\n' +
  list('new key', 200) +
  list('old key within the grace', 200, OLD) +
  '  - target: { advanceClock: 290s }\n' +
  list('old key near the end of the grace', 200, OLD) +
  '  - target: { advanceClock: 10s }\n' +
  list('old key after the grace', 401, OLD) +
  list('new key after the grace', 200);

const CLOCK_ONLY = 'id: t.clock\ntitle: t\nrefs: ["Postman ref §6"]\ntarget: { profile: postman }\nsteps:\n  - target: { advanceClock: 1h }\n' + list('list', 200);

const statuses = (result: RunResult) => result.scenarios.map((s) => [s.id, s.status, s.reason]);
const failedChecks = (result: RunResult) => result.scenarios.flatMap((s) => s.steps.filter((step) => step.status !== 'passed').map((step) => `${step.name}: ${step.checks.find((c) => !c.passed)?.message ?? step.error}`));

afterEach(() => {
  rotated.length = 0;
});

describe('against the embedded target', () => {
  it('regenerates the key of a server of its own, sends the new key from then on, and the old one until the grace ends', async () => {
    const result = await runScenarios(await scenariosOf({ 'a.yaml': GRACE(), 'b.yaml': GRACE().replace('t.grace', 't.grace2') }), { idps: IDPS });
    expect(failedChecks(result)).toEqual([]);
    expect(statuses(result)).toEqual([
      ['t.grace', 'passed', undefined],
      ['t.grace2', 'passed', undefined],
    ]);
    const [first, second] = result.scenarios;
    expect(first!.steps.map((s) => s.name)).toEqual([
      'target: regenerate the SCIM key',
      'new key',
      'old key within the grace',
      'target: clock +290s',
      'old key near the end of the grace',
      'target: clock +10s',
      'old key after the grace',
      'new key after the grace',
    ]);
    // Each on a server of its own: one scenario's rotation and clock never reach another's.
    const origin = (s: typeof first) => new URL(s!.exchanges[0]!.request.url).origin;
    expect(origin(first)).not.toBe(origin(second));
    expect(origin(first)).not.toBe(new URL(result.target.url).origin);
    // The keys are never in the result: the Authorization header is redacted, whichever key it carries.
    expect(rotated).toHaveLength(2);
    const text = JSON.stringify(result);
    for (const key of rotated) expect(text).not.toContain(key);
    expect(new Set(first!.exchanges.map((e) => e.request.headers.authorization))).toEqual(new Set(['Bearer [redacted]']));
  });

  it('fails where the grace is not what the profile says: the strict profile keeps no old key, and without the clock step the old key still works', async () => {
    const strict = await runScenarios(await scenariosOf({ 'a.yaml': GRACE('strict') }), { idps: IDPS });
    expect(failedChecks(strict)[0]).toMatch(/^old key within the grace: expected status 200, got 401 \(detail: "The bearer token has expired: it was rotated out/);
    const unmoved = GRACE().replace('  - target: { advanceClock: 10s }\n', '');
    const stillValid = await runScenarios(await scenariosOf({ 'a.yaml': unmoved }), { idps: IDPS });
    expect(failedChecks(stillValid)).toEqual(['old key after the grace: expected status 401, got 200']);
  });
});

describe('against a separately served reference server', () => {
  let server: ReferenceServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  const ADMIN = 'admin-token-0123456789';
  const KEY = 'scim-token-0123456789';
  const posted: string[] = [];
  const served = async (adminToken?: string, credentials: Credentials = { kind: 'bearer', token: KEY }): Promise<NonNullable<RunOptions['target']>> => {
    server = createReferenceServer({ tokens: [KEY], profile: 'postman', ...(adminToken !== undefined && { adminToken }) });
    posted.length = 0;
    // What the harness sent the admin API: the keys it regenerated.
    server.app.addHook('preHandler', (request, _reply, done) => {
      if (request.url === '/_scimulator/token') posted.push((request.body as { token: string }).token);
      done();
    });
    const { url } = await server.listen();
    return { url, credentials };
  };

  it("regenerates the key through the admin API, moves the server's clock, and gives the run's key back afterwards", async () => {
    const target = await served(ADMIN);
    const scenarios = await scenariosOf({ 'a.yaml': GRACE(), 'b.yaml': GRACE().replace('t.grace', 't.grace2') });
    const result = await runScenarios(scenarios, { idps: IDPS, target, adminToken: ADMIN });
    expect(failedChecks(result)).toEqual([]);
    expect(statuses(result).map(([id, status]) => [id, status])).toEqual([
      ['t.grace', 'passed'],
      ['t.grace2', 'passed'],
    ]);
    // Two regenerated keys, each followed by the run's key given back.
    expect(posted).toHaveLength(4);
    expect([posted[1], posted[3]]).toEqual([KEY, KEY]);
    const [first, second] = [posted[0]!, posted[2]!];
    const inject = (token: string) => server!.app.inject({ url: '/scim/v2/Users', headers: { authorization: `Bearer ${token}` } });
    expect((await inject(KEY)).statusCode).toBe(200);
    // The second scenario's key is in its grace, the first's is past it (the clock moved 600 s).
    expect((await inject(second)).statusCode).toBe(200);
    expect((await inject(first)).statusCode).toBe(401);
    const text = JSON.stringify(result);
    for (const secret of [first, second, ADMIN]) expect(text).not.toContain(secret);
  });

  it('skips the scenarios that regenerate the key or move the clock without an admin token, saying how to run them', async () => {
    const result = await runScenarios(await scenariosOf({ 'a.yaml': GRACE(), 'b.yaml': CLOCK_ONLY }), { idps: IDPS, target: await served(ADMIN) });
    expect(statuses(result)).toEqual([
      ['t.grace', 'skipped', NO_ADMIN_TOKEN_KEY],
      ['t.clock', 'skipped', NO_ADMIN_TOKEN_CLOCK],
    ]);
    expect(result.causes.map((c) => [c.key, c.scenarios])).toEqual([
      ['rotates-key', ['t.grace']],
      ['moves-clock', ['t.clock']],
    ]);
    expect(posted).toEqual([]);
  });

  it('cannot run the rotation when the admin API refuses the token or is not there, nor with credentials other than a bearer token (--token)', async () => {
    const scenarios = await scenariosOf({ 'a.yaml': GRACE() });
    const wrong = await runScenarios(scenarios, { idps: IDPS, target: await served(ADMIN), adminToken: 'not-the-admin-token' });
    expect(wrong.scenarios[0]!.status).toBe('error');
    expect(wrong.scenarios[0]!.reason).toMatch(/^could not regenerate the target's key: POST http:\/\/127\.0\.0\.1:\d+\/_scimulator\/token answered 401: the target refused the admin token/);
    await server!.close();
    const none = await runScenarios(scenarios, { idps: IDPS, target: await served(), adminToken: ADMIN });
    expect(none.scenarios[0]!.reason).toMatch(/answered 401: the target has no token admin API: start it with scimulator serve --admin-token TOKEN/);
    await server!.close();
    // The key alone in the Authorization header (--auth-header), which the postman profile takes.
    const raw = await runScenarios(scenarios, { idps: IDPS, target: await served(ADMIN, { kind: 'header', name: 'Authorization', value: KEY }), adminToken: ADMIN });
    expect(raw.scenarios[0]!.reason).toBe("the target's key cannot be regenerated: the run sends no bearer token (--token) for a rotation to replace");
    expect(posted).toEqual([]);
  });
});
