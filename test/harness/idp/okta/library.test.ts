import type { FastifyInstance } from 'fastify';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { injectsFaults } from '../../../../harness/runner/faults.js';
import { runScenarios } from '../../../../harness/runner/run.js';
import { loadScenarios } from '../../../../harness/scenario/load.js';
import type { Scenario } from '../../../../harness/types.js';
import type { Exchange, RunResult, ScenarioResult } from '../../../../harness/result.js';
import { createReferenceServer } from '../../../../reference-server/app.js';
import type { ReferenceServerOptions } from '../../../../reference-server/options.js';
import { startFaultyTarget, type Fault } from '../../runner/faulty-target.js';
import { IDPS } from '../../../../harness/idp/registry.js';

/**
 * The scenario library `scenarios/okta/` (issue 5): every scenario passes against the reference
 * server (those that inject faults through its admin API, issue 15), the library covers each To
 * App feature in both variants, and targets with one fault each (a page cap below 100, plain-text
 * errors, no path-less PATCH) fail the scenarios that exercise the fault, with the outcome records
 * and admin messages of Okta ref §12. Everything runs on loopback; 429 waits are virtual time.
 * Okta's reactions to injected faults are in faults.test.ts, and the proof that each fault
 * scenario fails when Okta ignores its fault in test/harness/runner/fault-scenarios.test.ts.
 */

const TOKEN = 'okta-library';
const ADMIN_TOKEN = 'okta-library-admin';
const JACKSON =
  "Invalid JSON: Unrecognized token 'Error': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false') at [line: 1, column: 6]";

let library: Scenario[];
/** The scenarios that inject no fault of their own: those a target with one deliberate fault can run. */
let plain: Scenario[];
/** The conforming run of the whole library, shared by the tests that compare with it. */
let conforming: RunResult;

const byId = (id: string) => {
  const scenario = library.find((s) => s.id === id);
  if (!scenario) throw new Error(`no scenario ${id} in scenarios/okta`);
  return scenario;
};
const failedChecks = (result: ScenarioResult) => result.steps.flatMap((s) => s.checks).filter((c) => !c.passed);
const problems = (result: RunResult) =>
  result.scenarios.filter((s) => s.status !== 'passed').map((s) => `${s.id} (${s.status}): ${s.reason ?? failedChecks(s).map((c) => c.message).join('; ')}`);
const idpTraffic = (result: ScenarioResult) => result.exchanges.filter((e) => e.kind === 'idp');
const records = (result: ScenarioResult) => result.outcomes.map((o) => o.record);
/** `GET /Users?startIndex=1&count=100`: the request line relative to the base URL, as sent. */
const line = (exchange: Exchange) => `${exchange.request.method} ${exchange.request.url.replace(/^https?:\/\/[^/]+\/scim\/v2/, '')}`;
/** The app username the simulator sent for a scenario's user (its `{{unique.*}}` differs per run). */
const userNameSent = (result: ScenarioResult, prefix: string) => {
  const post = idpTraffic(result).find((e) => e.request.method === 'POST' && /\/Users$/.test(e.request.url));
  const userName = (post?.request.body?.json as { userName?: string } | undefined)?.userName;
  expect(userName, `${result.id}: a POST /Users with a userName`).toMatch(new RegExp(`^${prefix}-scim-[0-9a-f]{8}-\\d+-${prefix}@example\\.com$`));
  return userName!;
};

interface Target {
  url: string;
  token: string;
  /** The fault admin API's token: the scenarios that inject faults install them through it. */
  adminToken?: string;
  close(): Promise<void>;
}

/** A reference server on a free loopback port with the fault admin API, `setup` adding hooks before it listens. */
async function referenceServer(options: Omit<ReferenceServerOptions, 'tokens'> = {}, setup?: (app: FastifyInstance) => void): Promise<Target> {
  const server = createReferenceServer({ ...options, tokens: [TOKEN], adminToken: ADMIN_TOKEN, host: '127.0.0.1', port: 0 });
  setup?.(server.app);
  const { url } = await server.listen();
  return { url, token: TOKEN, adminToken: ADMIN_TOKEN, close: () => server.close() };
}

async function runOn(target: Target | Promise<Target>, scenarios: Scenario[], concurrency = 4): Promise<RunResult> {
  const t = await target;
  try {
    return await runScenarios(scenarios, {
      idps: IDPS,
      target: { url: t.url, credentials: { kind: 'bearer', token: t.token } },
      ...(t.adminToken && { adminToken: t.adminToken }),
      concurrency,
    });
  } finally {
    await t.close();
  }
}

const runAlone = async (target: Target | Promise<Target>, id: string): Promise<ScenarioResult> => (await runOn(target, [byId(id)])).scenarios[0]!;
const faulty = (fault: Fault): Promise<Target> => startFaultyTarget(fault);

beforeAll(async () => {
  const loaded = await loadScenarios([fileURLToPath(new URL('../../../../scenarios/okta', import.meta.url))], { idps: IDPS });
  expect(loaded.errors.map(String)).toEqual([]);
  library = loaded.scenarios;
  plain = library.filter((s) => !injectsFaults(s));
  conforming = await runOn(referenceServer(), library, 8);
});

describe('the library', () => {
  it('passes against the reference server, every scenario, with eight at a time on one server', () => {
    expect(problems(conforming)).toEqual([]);
    expect(conforming.totals.passed).toBe(library.length);
    expect(library.length).toBeGreaterThanOrEqual(40);
  });

  it('passes a second time against a server that already holds the first run\'s leftovers and other data', async () => {
    const seeded = await referenceServer();
    // Other data: users (some inactive) and groups the scenarios know nothing of.
    for (let i = 0; i < 130; i++) {
      await fetch(`${seeded.url}/Users`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/scim+json' },
        body: JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: `other-${i}@example.org`, active: i % 5 !== 0 }),
      });
    }
    const result = await runOn(
      { ...seeded, close: async () => undefined },
      library,
      8,
    );
    const again = await runOn(seeded, library, 8);
    expect(problems(result)).toEqual([]);
    expect(problems(again)).toEqual([]);
  });

  it('names every scenario okta.<variant>.<behaviour>, with Okta refs, okta and variant tags, and the To App features it covers', () => {
    for (const scenario of library) {
      const [family, variant, behaviour, ...rest] = scenario.id.split('.');
      expect(family, scenario.id).toBe('okta');
      expect(['oin', 'aiw'], scenario.id).toContain(variant);
      expect(behaviour, scenario.id).toMatch(/^[a-z][a-z0-9-]*$/);
      expect(rest, scenario.id).toEqual([]);
      expect(scenario.source.file, scenario.id).toContain(`/okta/${variant}/`);
      expect(scenario.idp, scenario.id).toBe('okta');
      expect(scenario.settings?.variant, scenario.id).toBe(variant);
      expect(scenario.refs.some((r) => /^Okta ref §\d+(\.\d+)*$/.test(r)), scenario.id).toBe(true);
      expect(scenario.tags, scenario.id).toEqual(expect.arrayContaining(['okta', variant]));
      expect(scenario.covers.length, scenario.id).toBeGreaterThan(0);
    }
  });

  it.each(['oin', 'aiw'])('covers every To App feature, reactivation and Test API Credentials in %s', (variant) => {
    const of = library.filter((s) => s.id.startsWith(`okta.${variant}.`));
    const covered = new Set(of.flatMap((s) => s.covers));
    for (const feature of ['createUsers', 'updateUserAttributes', 'deactivateUsers', 'syncPassword', 'importUsers', 'importGroups', 'pushGroups', 'testApiCredentials']) {
      expect(covered, `${variant}: ${feature}`).toContain(feature);
    }
    const tags = new Set(of.flatMap((s) => s.tags));
    for (const tag of ['create', 'link', 'update', 'deactivate', 'reactivate', 'password', 'import', 'groups', 'rename', 'push-now', 'unlink', 'test-credentials']) {
      expect(tags, `${variant}: ${tag}`).toContain(tag);
    }
  });

  it('requires patch when it sends a PATCH and filter when it filters, Okta\'s or its own (RFC 7643 §5)', () => {
    for (const result of conforming.scenarios) {
      const sent = result.exchanges.filter((e) => e.kind === 'idp' || e.kind === 'raw');
      if (sent.some((e) => e.request.method === 'PATCH')) expect(result.requires, result.id).toContain('patch');
      if (sent.some((e) => /[?&]filter=/.test(e.request.url))) expect(result.requires, result.id).toContain('filter');
    }
  });

  it('sends every request with Okta\'s headers, Content-Type only with a body (Okta ref §2.1)', () => {
    for (const result of conforming.scenarios) {
      for (const exchange of idpTraffic(result)) {
        const headers = exchange.request.headers;
        expect(headers['user-agent'], `${result.id} ${line(exchange)}`).toBe('Okta SCIM Client 1.0.0');
        expect(headers['accept']).toBe('application/scim+json');
        expect(headers['accept-charset']).toBe('utf-8');
        expect(headers['accept-encoding']).toBe('gzip,deflate');
        if (exchange.request.body === undefined) expect(headers['content-type']).toBeUndefined();
        else expect(headers['content-type']).toBe('application/scim+json; charset=utf-8');
      }
    }
  });

  it('never deletes a user, and the OIN variant never PUTs for state nor AIW PATCHes (Okta ref §1, §13.1, §13.3)', () => {
    for (const result of conforming.scenarios) {
      const lines = idpTraffic(result).map(line);
      expect(lines.filter((l) => l.startsWith('DELETE /Users')), result.id).toEqual([]);
      if (result.id.startsWith('okta.aiw.')) expect(lines.filter((l) => l.startsWith('PATCH')), result.id).toEqual([]);
    }
  });
});

describe('imports, against a server of known content (Okta ref §9)', () => {
  it('reads one page of 100 and skips the inactive user', async () => {
    const run = await runAlone(referenceServer(), 'okta.oin.import-users');
    expect(run.status, JSON.stringify(failedChecks(run))).toBe('passed');
    expect(idpTraffic(run).map(line)).toEqual(['GET /Users?startIndex=1&count=100']);
    expect(records(run)).toEqual([{ eventType: 'application.provision.user.import', status: 'success', scanned: 1, inactive: 1, pages: 1 }]);
  });

  it('reads the groups with their members', async () => {
    const run = await runAlone(referenceServer(), 'okta.aiw.import-groups');
    expect(run.status, JSON.stringify(failedChecks(run))).toBe('passed');
    expect(idpTraffic(run).map(line)).toEqual(['GET /Groups?startIndex=1&count=100']);
    expect(records(run)).toEqual([{ eventType: 'application.provision.group.import', status: 'success', groups: 1, memberships: 1, pages: 1 }]);
  });

  it('pages by +100 until totalResults: 105 users are two pages, all read', async () => {
    const run = await runAlone(referenceServer(), 'okta.oin.import-small-pages');
    expect(run.status, JSON.stringify(failedChecks(run))).toBe('passed');
    expect(idpTraffic(run).map(line)).toEqual(['GET /Users?startIndex=1&count=100', 'GET /Users?startIndex=101&count=100']);
    expect(records(run)).toEqual([{ eventType: 'application.provision.user.import', status: 'success', scanned: 105, inactive: 0, pages: 2 }]);
  });

  it('a server whose pages hold 50: Okta still asks for 1 and 101, misses users 51–100 without noticing, and the scenario fails on the page size', async () => {
    const run = await runAlone(referenceServer({ maxPageSize: 50 }), 'okta.oin.import-small-pages');
    expect(run.status).toBe('failed');
    expect(idpTraffic(run).map(line)).toEqual(['GET /Users?startIndex=1&count=100', 'GET /Users?startIndex=101&count=100']);
    expect(idpTraffic(run).map((e) => (e.response?.body?.json as { Resources: unknown[] }).Resources.length)).toEqual([50, 5]);
    // Okta reports success: 55 of the 105 users were read, and nothing tells the admin.
    expect(records(run)).toEqual([{ eventType: 'application.provision.user.import', status: 'success', scanned: 55, inactive: 0, pages: 2 }]);
    expect(failedChecks(run).map((c) => c.what).sort()).toEqual(['body Resources', 'body itemsPerPage']);
    expect(failedChecks(run).every((c) => c.ref === 'Okta ref §9.1')).toBe(true);
    // Only this scenario needs pages of 100.
    const all = await runOn(referenceServer({ maxPageSize: 50 }), library, 8);
    expect(all.scenarios.filter((s) => s.status !== 'passed').map((s) => s.id)).toEqual(['okta.oin.import-small-pages']);
  });
});

describe('the create POST (Okta ref §4.2, §13.5)', () => {
  it('carries an 8-character placeholder password that the server accepts and never returns', async () => {
    const passwords: unknown[] = [];
    const run = await runAlone(
      referenceServer({}, (app) =>
        app.addHook('preHandler', async (request) => {
          if (request.method === 'POST' && request.url.endsWith('/Users') && request.headers['user-agent'] === 'Okta SCIM Client 1.0.0') {
            passwords.push((request.body as { password?: unknown }).password);
          }
        }),
      ),
      'okta.oin.create-placeholder-password',
    );
    expect(run.status, JSON.stringify(failedChecks(run))).toBe('passed');
    expect(passwords).toHaveLength(1);
    expect(passwords[0]).toMatch(/^[0-9A-Za-z^&]{8}$/);
    // The harness keeps no password: the transcript holds [redacted].
    expect(JSON.stringify(run.exchanges)).not.toContain(passwords[0] as string);
  });
});

describe('a server that answers errors in plain text (Okta ref §2.4, §12)', () => {
  it('shows the admin Jackson\'s parse error, and fails exactly the scenario that checks the error body', async () => {
    const result = await runOn(faulty('plain-text-errors'), plain, 8);
    expect(result.scenarios.filter((s) => s.status !== 'passed').map((s) => s.id)).toEqual(['okta.oin.error-body-not-json']);
    const run = result.scenarios.find((s) => s.id === 'okta.oin.error-body-not-json')!;
    expect(run.status).toBe('failed');
    expect(failedChecks(run).map((c) => c.what).sort()).toEqual(['body detail', 'schema Error']);
    const ada = userNameSent(run, 'ada');
    expect(records(run).at(-1)).toEqual({
      eventType: 'application.provision.user.push_profile',
      status: 'failure',
      user: 'ada',
      message: `Automatic profile push of user Ada Lovelace to app SCIM 2.0 Test App failed: Error while trying to push profile update for ${ada}: Not Found. Errors reported by remote server: ${JACKSON}`,
    });
  });

  it('a JSON SCIM error instead puts the server\'s detail after "Errors reported by remote server:"', () => {
    const run = conforming.scenarios.find((s) => s.id === 'okta.oin.error-body-not-json')!;
    const ada = userNameSent(run, 'ada');
    const detail = (idpTraffic(run).at(-1)!.response!.body!.json as { detail: string }).detail;
    expect(detail).toEqual(expect.any(String));
    expect(records(run).at(-1)!.message).toBe(
      `Automatic profile push of user Ada Lovelace to app SCIM 2.0 Test App failed: Error while trying to push profile update for ${ada}: Not Found. Errors reported by remote server: ${detail}`,
    );
  });
});

describe('a server that rejects the path-less PATCH (Okta ref §6.1, §13.2)', () => {
  let result: RunResult;
  beforeAll(async () => {
    result = await runOn(faulty('pathless-patch-400'), plain, 8);
  });

  /** The scenarios that send a PATCH operation without a path, in the conforming run. */
  const sendsPathless = (run: ScenarioResult) =>
    idpTraffic(run).some((e) => {
      const ops = (e.request.body?.json as { Operations?: { path?: unknown }[] } | undefined)?.Operations;
      return e.request.method === 'PATCH' && Array.isArray(ops) && ops.some((op) => op.path === undefined);
    });

  it('fails exactly the OIN scenarios that send one, and no AIW scenario', () => {
    const expected = conforming.scenarios.filter((s) => sendsPathless(s) && plain.some((p) => p.id === s.id)).map((s) => s.id).sort();
    expect(expected.length).toBeGreaterThan(10);
    expect(expected.every((id) => id.startsWith('okta.oin.'))).toBe(true);
    const failures = result.scenarios.filter((s) => s.status !== 'passed');
    expect(failures.map((s) => s.id).sort()).toEqual(expected);
    for (const failure of failures) expect(failure.status, `${failure.id}: ${failure.reason ?? ''}`).toBe('failed');
  });

  it.each([
    ['okta.oin.deactivate-on-unassign', 'grace', 'Grace Hopper'],
    ['okta.oin.deactivate-okta-user', 'linus', 'Linus Torvalds'],
  ])('%s: the deactivation fails with Okta\'s message naming the remote error, and the user stays active', (id, user, person) => {
    const run = result.scenarios.find((s) => s.id === id)!;
    const login = userNameSent(run, user);
    expect(records(run).find((r) => r.eventType === 'application.provision.user.deactivate')).toEqual({
      eventType: 'application.provision.user.deactivate',
      user,
      status: 'failure',
      message: `Automatic deprovisioning of user ${person} from app SCIM 2.0 Test App failed: Error while deactivating user ${login}: Bad Request. Errors reported by remote server: PATCH operations need a path`,
    });
    expect([...new Set(failedChecks(run).map((c) => c.what))]).toEqual([`target ${user}.active`, 'outcome[0]']);
    // Okta does not fall back to PUT (Okta ref §6.1, S21).
    expect(idpTraffic(run).map((e) => e.request.method)).not.toContain('PUT');
  });

  it('a reactivation fails as a profile push (Okta ref §7.1)', () => {
    const run = result.scenarios.find((s) => s.id === 'okta.oin.create-reactivates-inactive-match')!;
    const ada = (idpTraffic(run)[0]!.request.url.match(/%22(.*)%22/) ?? [])[1];
    expect(records(run)).toEqual([
      {
        eventType: 'application.provision.user.push',
        user: 'ada',
        status: 'failure',
        message: `Automatic provisioning of user Ada Lovelace to app SCIM 2.0 Test App failed: Error while trying to push profile update for ${decodeURIComponent(ada!)}: Bad Request. Errors reported by remote server: PATCH operations need a path`,
      },
    ]);
  });

  it('a Group Push that fails (here its reconciliation PATCH) is logged as group.add, as S14 logged one', () => {
    const run = result.scenarios.find((s) => s.id === 'okta.oin.rename-group')!;
    const failure = records(run).find((r) => r.status === 'failure')!;
    expect(failure).toMatchObject({ eventType: 'application.provision.group.add', group: 'ops', status: 'failure' });
    expect(failure.message).toMatch(
      /^Unable to update Group Push mapping target App group Ops scim-[0-9a-f]{8}-\d+-ops: Error while updating user group membership for group Ops scim-[0-9a-f]{8}-\d+-ops Bad Request\. Errors reported by remote server: PATCH operations need a path$/,
    );
  });
});

describe('the scenarios that inject faults (issue 15; Okta ref §2.4, §11, §12)', () => {
  const injecting = () => conforming.scenarios.filter((r) => injectsFaults(byId(r.id)));

  it('ran against the shared server through its admin API, one at a time, and each received its fault', () => {
    expect(injecting().map((r) => r.id).sort()).toEqual([
      'okta.oin.connection-reset',
      'okta.oin.create-conflict-409',
      'okta.oin.create-empty-answer',
      'okta.oin.lookup-404-is-a-miss',
      'okta.oin.proxy-html-error-page',
      'okta.oin.request-timeout',
      'okta.oin.server-error-fails-task',
      'okta.oin.server-error-retried',
      'okta.oin.throttled-create',
      'okta.oin.throttled-group-push',
      'okta.oin.throttled-retry-after-date',
      'okta.oin.throttled-ten-attempts',
    ]);
    for (const run of injecting()) {
      // A reset or a hang has no header to say it was injected: the request got no answer.
      expect(idpTraffic(run).some((e) => e.fault !== undefined || e.response === undefined), run.id).toBe(true);
    }
  });

  it('a scenario that injects no fault never makes Okta wait: no attempts, no waits', () => {
    for (const run of conforming.scenarios.filter((r) => !injectsFaults(byId(r.id)))) {
      expect(records(run).filter((r) => 'attempts' in r || 'waits' in r), run.id).toEqual([]);
    }
  });

  it('a throttled request is sent again at its wait in virtual time: 30 s, then 60 s later (okta.oin.throttled-create)', () => {
    const run = conforming.scenarios.find((s) => s.id === 'okta.oin.throttled-create')!;
    const posts = idpTraffic(run).filter((e) => e.request.method === 'POST');
    expect(posts.map((e) => [e.response?.status, e.fault])).toEqual([
      [429, 'throttle-create: 429 Retry-After 30'],
      [429, 'throttle-create: 429 Retry-After 30'],
      [201, undefined],
    ]);
    expect(posts.map((e) => e.virtualTime)).toEqual(['2026-01-05T09:00:00.000Z', '2026-01-05T09:00:30.000Z', '2026-01-05T09:01:30.000Z']);
  });
});
