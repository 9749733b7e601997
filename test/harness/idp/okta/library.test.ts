import type { FastifyInstance } from 'fastify';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
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
 * server, the library covers each To App feature in both variants, and targets with one fault
 * each (a page cap below 100, plain-text errors, no path-less PATCH, 429s) fail the scenarios that
 * exercise the fault, with the outcome records and admin messages of Okta ref §11–§12.
 * Everything runs on loopback; 429 waits are virtual time.
 */

const TOKEN = 'okta-library';
const JACKSON =
  "Invalid JSON: Unrecognized token 'Error': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false') at [line: 1, column: 6]";

let library: Scenario[];
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
  close(): Promise<void>;
}

/** A reference server on a free loopback port, with `setup` adding hooks before it listens. */
async function referenceServer(options: Omit<ReferenceServerOptions, 'tokens'> = {}, setup?: (app: FastifyInstance) => void): Promise<Target> {
  const server = createReferenceServer({ ...options, tokens: [TOKEN], host: '127.0.0.1', port: 0 });
  setup?.(server.app);
  const { url } = await server.listen();
  return { url, token: TOKEN, close: () => server.close() };
}

async function runOn(target: Target | Promise<Target>, scenarios: Scenario[], concurrency = 4): Promise<RunResult> {
  const t = await target;
  try {
    return await runScenarios(scenarios, { idps: IDPS, target: { url: t.url, credentials: { kind: 'bearer', token: t.token } }, concurrency });
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
    const result = await runOn(faulty('plain-text-errors'), library, 8);
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
    result = await runOn(faulty('pathless-patch-400'), library, 8);
  });

  /** The scenarios that send a PATCH operation without a path, in the conforming run. */
  const sendsPathless = (run: ScenarioResult) =>
    idpTraffic(run).some((e) => {
      const ops = (e.request.body?.json as { Operations?: { path?: unknown }[] } | undefined)?.Operations;
      return e.request.method === 'PATCH' && Array.isArray(ops) && ops.some((op) => op.path === undefined);
    });

  it('fails exactly the OIN scenarios that send one, and no AIW scenario', () => {
    const expected = conforming.scenarios.filter(sendsPathless).map((s) => s.id).sort();
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

  it('a group rename fails as a Group Push update', () => {
    const run = result.scenarios.find((s) => s.id === 'okta.oin.rename-group')!;
    const failure = records(run).find((r) => r.status === 'failure')!;
    expect(failure).toMatchObject({ eventType: 'application.provision.group_push.pushed', group: 'ops', status: 'failure' });
    expect(failure.message).toMatch(
      /^Unable to update Group Push mapping target App group Ops scim-[0-9a-f]{8}-\d+-ops: Error while updating user group membership for group Ops scim-[0-9a-f]{8}-\d+-ops Bad Request\. Errors reported by remote server: PATCH operations need a path$/,
    );
  });
});

describe('429 and Retry-After, in virtual time (Okta ref §11, §13.20)', () => {
  const offsets = (run: ScenarioResult) => {
    const idp = idpTraffic(run);
    return idp.map((e) => (Date.parse(e.virtualTime!) - Date.parse(idp[0]!.virtualTime!)) / 1000);
  };

  /** The scenario with `retryWaits` set, when given. */
  const withWaits = (id: string, retryWaits?: string): Scenario => {
    const scenario = byId(id);
    return retryWaits === undefined ? scenario : { ...scenario, settings: { ...scenario.settings, retryWaits } };
  };

  it.each<[string, Fault, string | undefined, number[]]>([
    ['okta.oin.throttled-create', 'throttle-twice', undefined, [7, 14]],
    ['okta.oin.throttled-create', 'throttle-twice', 'retry-after', [7, 7]],
    ['okta.oin.throttled-create', 'throttle-twice-no-retry-after', undefined, [300, 600]],
    ['okta.oin.throttled-create', 'throttle-twice-no-retry-after', 'retry-after', [300, 600]],
    ['okta.oin.throttled-group-push', 'throttle-twice', undefined, [7, 14]],
    ['okta.oin.throttled-group-push', 'throttle-twice-no-retry-after', undefined, [300, 600]],
  ])('%s against %s, retryWaits %s: the lookup is sent three times, %j seconds apart, and the task succeeds', async (id, fault, retryWaits, waits) => {
    const run = (await runOn(faulty(fault), [withWaits(id, retryWaits)])).scenarios[0]!;
    expect(run.status, JSON.stringify(failedChecks(run))).toBe('passed');
    const idp = idpTraffic(run);
    expect(idp.slice(0, 3).map(line)).toEqual(Array(3).fill(line(idp[0]!)));
    expect(idp.map((e) => e.response?.status).slice(0, 4)).toEqual([429, 429, 200, 201]);
    const [first, second] = waits as [number, number];
    expect(offsets(run).slice(0, 4)).toEqual([0, first, first + second, first + second]);
    expect(records(run)).toEqual([expect.objectContaining({ status: 'success', attempts: 3, waits })]);
  });

  it('on a server that does not throttle, nothing waits', () => {
    for (const id of ['okta.oin.throttled-create', 'okta.oin.throttled-group-push']) {
      const run = conforming.scenarios.find((s) => s.id === id)!;
      expect(records(run).every((r) => !('attempts' in r) && !('waits' in r)), id).toBe(true);
      expect(new Set(offsets(run)), id).toEqual(new Set([0]));
    }
  });

  /** A server that answers every Okta request 429, with `retryAfter` as the header when given. */
  const alwaysThrottled = (retryAfter?: string) =>
    referenceServer({}, (app) =>
      app.addHook('onRequest', async (request, reply) => {
        if (request.headers['user-agent'] !== 'Okta SCIM Client 1.0.0') return;
        if (retryAfter !== undefined) reply.header('retry-after', retryAfter);
        await reply.code(429).send({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], detail: 'Too many requests', status: '429' });
      }),
    );

  const doubling = (first: number) => Array.from({ length: 9 }, (_, i) => first * 2 ** i);
  it.each<[string, string, string | undefined, number[]]>([
    ['no Retry-After', 'double', undefined, doubling(300)],
    ['an HTTP-date Retry-After', 'double', 'Wed, 21 Oct 2026 07:28:00 GMT', doubling(300)],
    ['a fractional Retry-After', 'retry-after', '1.5', doubling(300)],
    ['Retry-After: 30', 'double', '30', doubling(30)],
    ['Retry-After: 30', 'retry-after', '30', Array(9).fill(30)],
  ])('%s, retryWaits %s: ten attempts, then the task fails for good with the 429 as the remote error', async (_, retryWaits, retryAfter, waits) => {
    const run = (await runOn(alwaysThrottled(retryAfter), [withWaits('okta.oin.throttled-create', retryWaits)])).scenarios[0]!;
    expect(run.status).toBe('failed');
    const idp = idpTraffic(run);
    expect(idp).toHaveLength(10);
    expect(new Set(idp.map(line)).size).toBe(1);
    expect(idp.every((e) => e.response?.status === 429)).toBe(true);
    let at = 0;
    expect(offsets(run)).toEqual([0, ...waits.map((w) => (at += w))]);
    const ada = decodeURIComponent((idp[0]!.request.url.match(/%22(.*)%22/) ?? [])[1]!);
    expect(records(run)).toEqual([
      {
        eventType: 'application.provision.user.push',
        user: 'ada',
        status: 'failure',
        attempts: 10,
        waits,
        message: `Automatic provisioning of user Ada Lovelace to app SCIM 2.0 Test App failed: Error while verifying if user ${ada} exists: Too Many Requests. Errors reported by remote server: Too many requests`,
      },
    ]);
    expect(failedChecks(run).map((c) => c.what)).toEqual(['target ada', 'outcome[0]', 'body totalResults']);
  });
});
