/**
 * Scenarios that shape their target (`target: { profile, faults }`, `target:` steps): against the
 * embedded reference server, each scenario with faults has a server of its own; against a served
 * one, faults go through its admin API, one scenario at a time, after the others.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { IDPS } from '../../../harness/idp/registry.js';
import { NO_ADMIN_TOKEN } from '../../../harness/runner/faults.js';
import { runScenarios, type RunOptions } from '../../../harness/runner/run.js';
import { loadScenarios } from '../../../harness/scenario/load.js';
import type { Scenario } from '../../../harness/types.js';
import type { ScenarioResult } from '../../../harness/result.js';
import { createReferenceServer, type ReferenceServer } from '../../../reference-server/app.js';
import { tempFolder } from '../scenario/helpers.js';

const folder = tempFolder();

/** The scenarios of these files (name → YAML text), in file order. */
async function scenariosOf(files: Record<string, string>): Promise<Scenario[]> {
  const { dir, write } = await folder();
  for (const [name, text] of Object.entries(files)) await write(name, text);
  const { scenarios, errors } = await loadScenarios([dir], { idps: IDPS });
  expect(errors.map(String)).toEqual([]);
  return scenarios;
}

const USER = '{ schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: "{{unique.user}}" }';

/** A scenario `id` that sends `count` GET /Users expecting `status`, with `target` written above its steps. */
const gets = (id: string, status: number, target = '', count = 3) =>
  `id: ${id}\ntitle: t\nrefs: ["RFC 7644 §3.4.2"]\n${target}steps:\n` +
  Array.from({ length: count }, () => `  - request: { method: GET, path: /Users }\n    expect: { status: ${status} }\n`).join('');

const THROTTLED = `id: t.throttled
title: A throttled create, then a proxy page, then nothing injected
refs: ["RFC 6585 §4"]
target:
  faults:
    - name: throttle-create
      match: { method: POST, path: /Users, times: 1 }
      act: { status: 429, retryAfter: 30 }
steps:
  - request: { method: POST, path: /Users, body: ${USER} }
    expect: { status: 429, headers: { retry-after: "30", x-scimulator-fault: "throttle-create: 429 Retry-After 30" } }
  - request: { method: POST, path: /Users, body: ${USER} }
    expect: { status: 201 }
  - target: { faults: [{ match: { method: GET }, act: { status: 503, html: true } }] }
  - request: { method: GET, path: /Users }
    expect: { status: 503, headers: { content-type: { contains: text/html } } }
  - target: { faults: [] }
  - request: { method: GET, path: /Users }
    expect: { status: 200 }
`;

const byId = (scenarios: ScenarioResult[], id: string) => scenarios.find((s) => s.id === id)!;
const origin = (url: string) => new URL(url).origin;

describe('against the embedded target', () => {
  it('installs target.faults before the first step, replaces them at a target step, and records each injected answer', async () => {
    const result = await runScenarios(await scenariosOf({ 'a.yaml': THROTTLED }), { idps: IDPS });
    const [scenario] = result.scenarios;
    expect(scenario!.status, scenario!.reason).toBe('passed');
    expect(scenario!.steps.map((s) => s.name)).toContain('target: faults #1');
    expect(scenario!.exchanges.filter((e) => e.kind === 'raw').map((e) => [e.request.method, e.response?.status, e.fault])).toEqual([
      ['POST', 429, 'throttle-create: 429 Retry-After 30'],
      ['POST', 201, undefined],
      ['GET', 503, '503 HTML page'],
      ['GET', 200, undefined],
    ]);
    // Its own server: the run's target never sees its faults.
    expect(origin(scenario!.exchanges[0]!.request.url)).not.toBe(origin(result.target.url));
    // Cleared before the cleanup, whatever they matched: the user created is deleted.
    expect(scenario!.exchanges.filter((e) => e.kind === 'cleanup').map((e) => e.response?.status)).toEqual([204]);
  });

  it("gives each scenario with faults a server of its own, so that scenarios running at once never meet each other's faults", async () => {
    const scenarios = await scenariosOf({
      'a.yaml': gets('t.down', 503, 'target:\n  faults: [{ match: { method: GET, path: /Users }, act: { status: 503 } }]\n', 5),
      'b.yaml': gets('t.up', 200, 'target:\n  faults: [{ match: { method: DELETE }, act: { status: 500 } }]\n', 5),
      'c.yaml': gets('t.plain', 200, '', 5),
    });
    const result = await runScenarios(scenarios, { idps: IDPS, concurrency: 3 });
    expect(result.scenarios.map((s) => [s.id, s.status])).toEqual([
      ['t.down', 'passed'],
      ['t.up', 'passed'],
      ['t.plain', 'passed'],
    ]);
    const origins = result.scenarios.map((s) => origin(s.exchanges[0]!.request.url));
    expect(new Set(origins).size).toBe(3);
    expect(origins[2]).toBe(origin(result.target.url));
  });

  it('starts the embedded server with target.profile: variations/patch-204 answers PATCH with 204', async () => {
    const patch = (id: string, target: string, status: number) => `id: ${id}
title: t
refs: ["RFC 7644 §3.5.2"]
${target}steps:
  - request: { method: POST, path: /Users, body: ${USER} }
    save: { userId: id }
  - request:
      method: PATCH
      path: /Users/{{userId}}
      body: { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: replace, path: active, value: false }] }
    expect: { status: ${status} }
`;
    const result = await runScenarios(
      await scenariosOf({ 'a.yaml': patch('t.patch-204', 'target: { profile: variations/patch-204 }\n', 204), 'b.yaml': patch('t.patch-200', '', 200) }),
      { idps: IDPS },
    );
    expect(result.scenarios.map((s) => [s.id, s.status, s.reason])).toEqual([
      ['t.patch-204', 'passed', undefined],
      ['t.patch-200', 'passed', undefined],
    ]);
  });

  it("names the fault rule behind a request that got no answer, from the server's counts", async () => {
    const scenarios = await scenariosOf({
      'a.yaml': `id: t.reset
title: t
refs: ["RFC 7644 §3.4.2"]
target:
  faults:
    - { match: { method: GET, path: /Groups }, act: { status: 500 } }
    - { name: cut, match: { method: GET, path: /Users }, act: { reset: before-headers } }
steps:
  - request: { method: GET, path: /Groups }
    expect: { status: 500 }
  - request: { method: GET, path: /Users }
`,
    });
    const [scenario] = (await runScenarios(scenarios, { idps: IDPS })).scenarios;
    expect(scenario!.status).toBe('error');
    expect(scenario!.exchanges.map((e) => e.fault)).toEqual(['500', 'cut: reset before headers']);
    expect(scenario!.steps[1]!.error).toMatch(/\(injected: cut: reset before headers\)$/);
  });
});

describe('against a separately served reference server', () => {
  let server: ReferenceServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  const ADMIN = 'admin-token-0123456789';
  const served = async (adminToken?: string): Promise<NonNullable<RunOptions['target']>> => {
    server = createReferenceServer({ tokens: ['scim-token-0123456789'], ...(adminToken !== undefined && { adminToken }) });
    const { url } = await server.listen();
    return { url, credentials: { kind: 'bearer', token: 'scim-token-0123456789' } };
  };
  const library = () =>
    scenariosOf({
      'a.yaml': THROTTLED,
      'b.yaml': gets('t.plain-1', 200),
      'c.yaml': gets('t.down', 503, 'target:\n  faults: [{ match: { method: GET, path: /Users }, act: { status: 503 } }]\n'),
      'd.yaml': gets('t.plain-2', 200),
    });

  it('installs faults through the admin API, one fault scenario at a time after the others, and clears them after each', async () => {
    const target = await served(ADMIN);
    const events: string[] = [];
    const result = await runScenarios(await library(), {
      idps: IDPS,
      target,
      adminToken: ADMIN,
      concurrency: 4,
      onScenarioStart: (s) => events.push(`start ${s.id}`),
      onScenarioEnd: (r) => events.push(`end ${r.id}`),
    });
    expect(result.scenarios.map((s) => [s.id, s.status, s.reason])).toEqual([
      ['t.throttled', 'passed', undefined],
      ['t.plain-1', 'passed', undefined],
      ['t.down', 'passed', undefined],
      ['t.plain-2', 'passed', undefined],
    ]);
    // The others first, at once; then each fault scenario alone.
    expect(events.slice(-4)).toEqual(['start t.throttled', 'end t.throttled', 'start t.down', 'end t.down']);
    expect(byId(result.scenarios, 't.throttled').exchanges[0]!.fault).toBe('throttle-create: 429 Retry-After 30');
    expect(server!.faults.list().rules).toEqual([]);
    expect(JSON.stringify(result)).not.toContain(ADMIN);
  });

  it('skips the scenarios with faults without an admin token, saying how to run them', async () => {
    const result = await runScenarios(await library(), { idps: IDPS, target: await served(ADMIN) });
    expect(result.scenarios.map((s) => [s.id, s.status])).toEqual([
      ['t.throttled', 'skipped'],
      ['t.plain-1', 'passed'],
      ['t.down', 'skipped'],
      ['t.plain-2', 'passed'],
    ]);
    expect(byId(result.scenarios, 't.down').reason).toBe(NO_ADMIN_TOKEN);
    expect(result.causes).toEqual([{ key: 'injects-faults', summary: NO_ADMIN_TOKEN, effect: 'skipped', scenarios: ['t.throttled', 't.down'] }]);
  });

  it('cannot run a scenario with faults when the admin API refuses the token or is not there, and says which', async () => {
    const [, down] = await scenariosOf({ 'a.yaml': gets('t.plain', 200), 'b.yaml': gets('t.down', 503, 'target:\n  faults: [{ act: { status: 503 } }]\n') });
    const wrong = await runScenarios([down!], { idps: IDPS, target: await served(ADMIN), adminToken: 'not-the-admin-token' });
    expect(wrong.scenarios[0]!.status).toBe('error');
    expect(wrong.scenarios[0]!.reason).toMatch(/^could not install the scenario's faults: PUT http:\/\/127\.0\.0\.1:\d+\/_scimulator\/faults answered 401: the target refused the admin token/);
    await server!.close();
    const none = await runScenarios([down!], { idps: IDPS, target: await served(), adminToken: ADMIN });
    expect(none.scenarios[0]!.reason).toMatch(/answered 401: the target has no fault admin API: start it with scimulator serve --admin-token TOKEN/);
  });
});
