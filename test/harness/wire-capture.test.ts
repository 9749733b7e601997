import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDPS } from '../../harness/idp/registry.js';
import type { Exchange, RunResult } from '../../harness/result.js';
import { runScenarios } from '../../harness/runner/run.js';
import { loadScenarios } from '../../harness/scenario/load.js';
import { VERSION } from '../../harness/version.js';
import { createReferenceServer } from '../../reference-server/app.js';
import { headerValues, tcpProxy, type RawRequest, type TcpProxy } from './http/tcp-proxy.js';

/*
 * Issue 16, done when: a raw TCP proxy in front of a served reference server records the bytes
 * while the runner runs Okta, Entra and protocol scenarios through it. Every request the harness
 * sends itself carries its User-Agent, Okta's carry Okta's headers in Okta's casing and order, and
 * Entra's carry no User-Agent. One run, shared: a new wire fact is one more `it` over `captured`.
 */

const TOKEN = 'wire-capture';
const ADMIN_TOKEN = 'wire-capture-admin';
const HARNESS_UA = `scimulator/${VERSION}`;
const OKTA_UA = 'Okta SCIM Client 1.0.0';

/** A few scenarios of each kind; the fault scenario installs its fault through the admin API, through the proxy too. */
const SCENARIOS = [
  'okta/oin/create-user.yaml',
  'okta/oin/deactivate-on-unassign.yaml',
  'okta/oin/push-group-batches.yaml',
  'okta/oin/import-users.yaml',
  'okta/oin/server-error-fails-task.yaml',
  'okta/aiw/update-user-attributes.yaml',
  'entra/aadoptscim062020/disable-on-unassign.yaml',
  'entra/legacy/group-member-removal.yaml',
  'rfc7644/patch/add-group-member.yaml',
];

/**
 * Okta's header lines in the 2019 captures (Okta ref S9, `docs/reference/okta.md` §2.1):
 * Accept, Accept-Charset, [Content-Type], User-Agent, Authorization, then what Okta's own HTTP
 * client adds (Content-Length, Host, Connection, Accept-Encoding). undici writes host and
 * connection first and content-length last, in lower case: docs/okta.md, Bytes on the wire.
 */
const oktaLines = (withBody: boolean) => [
  'Accept: application/scim+json',
  'Accept-Charset: utf-8',
  ...(withBody ? ['Content-Type: application/scim+json; charset=utf-8'] : []),
  `User-Agent: ${OKTA_UA}`,
  `Authorization: Bearer ${TOKEN}`,
  'Accept-Encoding: gzip,deflate',
];

/** A request on the wire and, unless it is the harness's discovery or admin traffic, the exchange the transcript recorded for it. */
interface Captured {
  raw: RawRequest;
  exchange?: Exchange;
}

let proxy: TcpProxy;
let result: RunResult;
/** Every request the proxy saw, each with its exchange where there is one. */
let captured: Captured[];
let closeServer: () => Promise<void>;

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
  const exchanges = ran.flatMap((s) => s.exchanges);
  const discovery = scim.length - exchanges.length;
  captured = [
    ...proxy.requests.filter((r) => r.target.startsWith('/_scimulator/')).map((raw) => ({ raw })),
    ...scim.slice(0, discovery).map((raw) => ({ raw })),
    ...exchanges.map((exchange, i) => ({ raw: scim[discovery + i]!, exchange })),
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
        ...oktaLines(withBody),
        ...(withBody ? [`content-length: ${Buffer.byteLength(c.raw.body)}`] : []),
      ]);
    }
  });

  it('sends Entra\'s requests with no User-Agent at all (Entra ref §2, §10.8)', () => {
    for (const c of by('entra')) expect(headerValues(c.raw, 'user-agent'), describeRequest(c)).toEqual([]);
  });
});
