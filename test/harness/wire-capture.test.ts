import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDPS } from '../../harness/idp/registry.js';
import type { Exchange, RunResult, ScenarioResult } from '../../harness/result.js';
import { runScenarios } from '../../harness/runner/run.js';
import { loadScenarios } from '../../harness/scenario/load.js';
import { VERSION } from '../../harness/version.js';
import { createReferenceServer } from '../../reference-server/app.js';
import { headerValues, tcpProxy, type RawRequest, type TcpProxy } from './http/tcp-proxy.js';

/*
 * Issue 16, done when: a raw TCP proxy in front of a served reference server records the bytes
 * while the runner runs Okta, Entra and protocol scenarios through it. Every request the harness
 * sends itself carries its User-Agent, Okta's carry Okta's headers in Okta's casing and order,
 * Entra's carry no User-Agent, an idle Entra cycle sends its probe, and a refused key fails Test
 * API Credentials with Okta's admin message. One run, shared: a new wire fact is one more `it` over
 * `captured`.
 */

const TOKEN = 'wire-capture';
const ADMIN_TOKEN = 'wire-capture-admin';
const HARNESS_UA = `scimulator/${VERSION}`;
const OKTA_UA = 'Okta SCIM Client 1.0.0';

/**
 * A few scenarios of each kind; the fault scenario installs its fault through the admin API, through
 * the proxy too. The idle Entra cycles and the refused Okta key are the last two wire facts below.
 */
const SCENARIOS = [
  'okta/oin/create-user.yaml',
  'okta/oin/deactivate-on-unassign.yaml',
  'okta/oin/push-group-batches.yaml',
  'okta/oin/import-users.yaml',
  'okta/oin/server-error-fails-task.yaml',
  'okta/oin/test-credentials-refused.yaml',
  'okta/aiw/update-user-attributes.yaml',
  'entra/aadoptscim062020/disable-on-unassign.yaml',
  'entra/quarantine-idle-token-changed.yaml',
  'entra/legacy/group-member-removal.yaml',
  'rfc7644/patch/add-group-member.yaml',
];

/**
 * Okta's header lines in the 2019 captures (Okta ref S9, `docs/reference/okta.md` §2.1):
 * Accept, Accept-Charset, [Content-Type], User-Agent, Authorization, then what Okta's own HTTP
 * client adds (Content-Length, Host, Connection, Accept-Encoding). undici writes host and
 * connection first and content-length last, in lower case: docs/okta.md, Bytes on the wire.
 */
const oktaLines = (withBody: boolean, token: string) => [
  'Accept: application/scim+json',
  'Accept-Charset: utf-8',
  ...(withBody ? ['Content-Type: application/scim+json; charset=utf-8'] : []),
  `User-Agent: ${OKTA_UA}`,
  `Authorization: Bearer ${token}`,
  'Accept-Encoding: gzip,deflate',
];

/** A request on the wire and, unless it is the harness's discovery or admin traffic, the exchange the transcript recorded for it and its scenario. */
interface Captured {
  raw: RawRequest;
  exchange?: Exchange;
  scenario?: ScenarioResult;
}

let proxy: TcpProxy;
let result: RunResult;
/** Every request the proxy saw, each with its exchange where there is one. */
let captured: Captured[];
let closeServer: () => Promise<void>;
/** The API token each Okta scenario gives Okta (`settings.secretToken`), by id: the run's when it gives none. */
let oktaTokens: Map<string, string>;

const sender = (c: Captured) => c.exchange?.by ?? 'harness';
const by = (who: string) => captured.filter((c) => sender(c) === who);
const describeRequest = (c: Captured) => `${c.raw.method} ${c.raw.target} (${c.exchange?.kind ?? 'discovery or admin'})`;

beforeAll(async () => {
  // Lenient: what Entra's definition asks of a target (harness/idp/entra/index.ts); Okta's and protocol scenarios pass on it too.
  const server = createReferenceServer({ tokens: [TOKEN], adminToken: ADMIN_TOKEN, profile: 'lenient', host: '127.0.0.1', port: 0 });
  const { url } = await server.listen();
  closeServer = () => server.close();
  proxy = await tcpProxy(new URL(url).origin);
  const root = fileURLToPath(new URL('../../scenarios/', import.meta.url));
  const loaded = await loadScenarios(SCENARIOS.map((file) => `${root}${file}`), { idps: IDPS });
  expect(loaded.errors.map(String)).toEqual([]);
  oktaTokens = new Map(loaded.scenarios.filter((s) => s.idp === 'okta').map((s) => [s.id, (s.settings.secretToken as string | undefined) ?? TOKEN]));
  result = await runScenarios(loaded.scenarios, {
    idps: IDPS,
    target: { url: `${proxy.origin}${new URL(url).pathname}`, credentials: { kind: 'bearer', token: TOKEN } },
    adminToken: ADMIN_TOKEN,
    // One at a time: the wire then holds the discovery requests, then each scenario's transcript whole.
    concurrency: 1,
  });
  const scim = proxy.requests.filter((r) => !r.target.startsWith('/_scimulator/'));
  // Results are listed by id; the wire has them in the order they ran, each whole.
  const ran = result.scenarios.filter((s) => s.exchanges.length > 0).sort((a, b) => a.exchanges[0]!.startedAt.localeCompare(b.exchanges[0]!.startedAt));
  const exchanges = ran.flatMap((scenario) => scenario.exchanges.map((exchange) => ({ exchange, scenario })));
  const discovery = scim.length - exchanges.length;
  captured = [
    ...proxy.requests.filter((r) => r.target.startsWith('/_scimulator/')).map((raw) => ({ raw })),
    ...scim.slice(0, discovery).map((raw) => ({ raw })),
    ...exchanges.map((c, i) => ({ raw: scim[discovery + i]!, ...c })),
  ];
}, 120_000);

afterAll(async () => {
  await proxy?.close();
  await closeServer?.();
});

describe('the wire, captured by a TCP proxy in front of a served reference server', () => {
  it('ran every scenario, and lines the wire up with the transcripts request by request', () => {
    const why = (s: RunResult['scenarios'][number]) => s.reason ?? s.steps.flatMap((step) => step.checks).find((check) => !check.passed)?.message;
    expect(result.scenarios.map((s) => `${s.id}: ${s.status}${s.status === 'passed' ? '' : ` (${why(s)})`}`)).toEqual(
      result.scenarios.map((s) => `${s.id}: passed`),
    );
    for (const { raw, exchange } of captured.filter((c) => c.exchange)) {
      expect(`${raw.method} ${proxy.origin}${raw.target}`).toBe(`${exchange!.request.method} ${exchange!.request.url}`);
    }
    const unmatched = captured.filter((c) => !c.exchange).map(describeRequest);
    // The run's discovery (before any scenario) and the admin API are in no scenario's transcript.
    expect(unmatched.every((line) => /^(?:GET \/scim\/v2\/|(?:PUT|POST|DELETE) \/_scimulator\/)/.test(line)), unmatched.join('\n')).toBe(true);
    for (const who of ['harness', 'okta', 'entra']) expect(by(who).length, who).toBeGreaterThan(0);
  });

  it("gives every request the harness sends itself User-Agent scimulator/<version>: discovery, protocol steps, reads, cleanup, the admin API", () => {
    const harness = by('harness');
    expect(new Set(harness.map((c) => c.exchange?.kind ?? (c.raw.target.startsWith('/_scimulator/') ? 'admin' : 'discovery')))).toEqual(
      new Set(['admin', 'discovery', 'raw', 'verify', 'cleanup']),
    );
    for (const c of harness) expect(headerValues(c.raw, 'user-agent'), describeRequest(c)).toEqual([HARNESS_UA]);
  });

  it("sends Okta's requests with Okta's header lines, cased and ordered as captured, after undici's host and connection", () => {
    for (const c of by('okta')) {
      const withBody = c.raw.body !== '';
      const [, ...lines] = c.raw.head.split('\r\n');
      expect(lines, describeRequest(c)).toEqual([
        `host: ${new URL(proxy.origin).host}`,
        'connection: keep-alive',
        ...oktaLines(withBody, oktaTokens.get(c.scenario!.id)!),
        ...(withBody ? [`content-length: ${Buffer.byteLength(c.raw.body)}`] : []),
      ]);
    }
  });

  it('sends Entra\'s requests with no User-Agent at all (Entra ref §2, §10.8)', () => {
    for (const c of by('entra')) expect(headerValues(c.raw, 'user-agent'), describeRequest(c)).toEqual([]);
  });
});

describe("what the wire shows of Entra's idle cycles and of a key Okta's target refuses", () => {
  const of = (id: string) => captured.filter((c) => c.scenario?.id === id);
  /** The step of `scenario` whose `advance:` is `duration`: what is on the wire in it came from the cycles that fell due. */
  const advance = (c: Captured, duration: string) => c.scenario!.steps.find((step) => step.index === c.exchange!.step)?.name === `advance ${duration}`;
  /** Entra's random-GUID query on the first matching attribute, form-encoded (Entra ref §2, §3). */
  const PROBE = /^\/scim\/v2\/Users\?filter=userName\+eq\+%22[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}%22$/;

  it('sends the probe at the start of an idle Entra cycle, with nothing to do, refused or answered (Entra ref §3, §5.3)', () => {
    const idle = of('entra.quarantine.idle-token-changed');
    const initial = idle.filter((c) => c.exchange!.step === 0 && c.exchange!.by === 'entra');
    expect(initial.map((c) => c.raw.method), 'the initial cycle: probe, lookup, create').toEqual(['GET', 'GET', 'POST']);
    // 2h after the first cycle: the cycle at 09:40 has nothing to do; its probe carries the rotated token, is refused, and quarantines the job.
    const refused = idle.filter((c) => advance(c, '2h'));
    expect(refused.map((c) => [c.raw.method, c.exchange!.virtualTime, headerValues(c.raw, 'authorization'), c.exchange!.response?.status])).toEqual([
      ['GET', '2026-01-05T09:40:00.000Z', ['Bearer rotated-by-the-vendor'], 401],
    ]);
    // With the token back, the quarantine's retry at 15:40 is idle too: its probe goes out and is answered 200 with an empty list.
    const answered = idle.filter((c) => advance(c, '5h'));
    expect(answered.map((c) => [c.raw.method, c.exchange!.virtualTime, headerValues(c.raw, 'authorization'), c.exchange!.response?.status])).toEqual([
      ['GET', '2026-01-05T15:40:00.000Z', [`Bearer ${TOKEN}`], 200],
    ]);
    const probes = [initial[0]!, refused[0]!, answered[0]!];
    for (const c of probes) expect(c.raw.target, describeRequest(c)).toMatch(PROBE);
    // Each probe asks for another GUID, none of them the user's.
    expect(new Set(probes.map((c) => c.raw.target)).size).toBe(3);
  });

  it("fails Test API Credentials with a refused key at its one call, with Okta's admin message (Okta ref §3)", () => {
    const refused = of('okta.oin.test-credentials-refused');
    expect(refused.filter((c) => c.exchange!.by === 'okta').map((c) => [c.raw.method, c.raw.target, headerValues(c.raw, 'authorization'), c.exchange!.response?.status])).toEqual([
      ['GET', '/scim/v2/Users?startIndex=1&count=2', ['Bearer not-the-token'], 401],
    ]);
    expect(refused[0]!.scenario!.outcomes.map((o) => o.record)).toEqual([
      {
        check: 'test-api-credentials',
        status: 'failure',
        message:
          'Error authenticating: Unauthorized. The connector configuration could not be tested. Make sure that the URL, Authentication Parameters are correct and that there is an implementation available at the URL provided.',
      },
    ]);
  });
});
