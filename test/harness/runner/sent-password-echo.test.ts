import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDPS } from '../../../harness/idp/registry.js';
import type { RunResult } from '../../../harness/result.js';
import { runScenarios } from '../../../harness/runner/run.js';
import { loadScenarios } from '../../../harness/scenario/load.js';
import type { Scenario } from '../../../harness/types.js';
import { createReferenceServer } from '../../../reference-server/app.js';
import { renderConsoleSummary, scenarioLine } from '../../../reports/console.js';
import { renderHtml } from '../../../reports/html.js';
import { renderJson } from '../../../reports/json.js';
import { renderJunit } from '../../../reports/junit.js';
import { renderMarkdown } from '../../../reports/markdown.js';
import { URN } from '../../../scim/schema/urns.js';

/*
 * A password a scenario sends never comes back in clear through the target's answer: a target that
 * echoes it in a `detail`, an HTML page, a header or a later answer has it shown as `[redacted]`
 * in the result, the console and every report.
 */

const TOKEN = 'echo-target-token';
const PASSWORD = 'Tr0ub4dor-Canary-3f1c';
/** Templated, so the test learns it from what the target received; with `&`, which an HTML page escapes. */
const TEMPLATED = 'Tr0ub4dor&3-{{unique.pw}}';

const PROTOCOL = `
id: echo.protocol
title: A target that tells the passwords it refuses
refs: ["RFC 7644 §3.3"]
steps:
  - name: create a user with a password
    request:
      method: POST
      path: /Users
      body:
        schemas: [${URN.user}]
        userName: "{{unique.ada}}@example.com"
        password: "${PASSWORD}"
    expect: { status: 201 }
  - name: change it by PATCH
    request:
      method: PATCH
      path: /Users/ada
      body:
        schemas: [urn:ietf:params:scim:api:messages:2.0:PatchOp]
        Operations: [{ op: replace, path: password, value: "${TEMPLATED}" }]
    expect: { status: 204 }
  - name: read the user
    request: { method: GET, path: /Users/ada }
    expect: { status: 200 }
`;

const OKTA_PASSWORD = 'Okta-Sync-Canary-8e2b';
const OKTA = `
id: echo.okta
title: An Okta password sync the target refuses, telling the password
refs: ["Okta ref §8"]
requires: [patch, filter, changePassword]
idp: okta
settings: { variant: oin, sendPasswordOnCreate: false, provisioningFeatures: { syncPassword: true } }
directory:
  users:
    ada: { login: "ada-{{unique.ada}}@example.com", firstName: Ada, lastName: Lovelace }
steps:
  - assign: ada
  - password: { user: ada, value: "${OKTA_PASSWORD}" }
  - expect:
      outcome: { eventType: application.provision.user.push_password, status: success, user: ada }
`;

const htmlEscape = (text: string) => text.replace(/&/g, '&amp;');

/** Every form of `password` a report could show it in: raw, HTML-escaped, JSON-escaped for a script. */
const formsOf = (password: string) => [password, htmlEscape(password), password.replace(/&/g, '\\u0026')];

/**
 * A loopback target that refuses every password it is sent, telling it: a SCIM error's `detail` and
 * a header to the POST, an HTML page to the PATCH, and every one so far in a text answer to a GET.
 */
async function echoTarget() {
  const received: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = new URL(req.url ?? '/', 'http://target').pathname;
      const body = chunks.length === 0 ? {} : (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { password?: string; Operations?: { value: string }[] });
      if (path === '/scim/v2/ServiceProviderConfig') {
        res.writeHead(200, { 'content-type': 'application/scim+json' });
        return res.end(JSON.stringify({ schemas: [URN.serviceProviderConfig], patch: { supported: true }, changePassword: { supported: true }, filter: { supported: true, maxResults: 100 } }));
      }
      if (req.method === 'POST' && path === '/scim/v2/Users' && body.password !== undefined) {
        received.push(body.password);
        res.writeHead(400, { 'content-type': 'application/scim+json', 'x-rejected': `password ${body.password}` });
        return res.end(JSON.stringify({ schemas: [URN.error], status: '400', detail: `password ${body.password} is too weak` }));
      }
      if (req.method === 'PATCH' && body.Operations?.[0] !== undefined) {
        received.push(body.Operations[0].value);
        res.writeHead(400, { 'content-type': 'text/html' });
        return res.end(`<html><body><p>password ${htmlEscape(body.Operations[0].value)} is too weak</p></body></html>`);
      }
      res.writeHead(400, { 'content-type': 'text/plain' });
      res.end(`refused earlier: ${received.join(', ')}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/scim/v2`, received, server };
}

/** The result as the JSON report, the console and the HTML, JUnit and Markdown reports show it. */
function everyOutput(result: RunResult): Record<string, string> {
  const style = { color: false };
  return {
    json: renderJson(result),
    console: [...result.scenarios.map((s) => scenarioLine(s, style)), renderConsoleSummary(result, style)].join('\n'),
    html: renderHtml(result),
    junit: renderJunit(result),
    markdown: renderMarkdown(result),
  };
}

function expectNowhere(outputs: Record<string, string>, passwords: readonly string[]): void {
  for (const [name, text] of Object.entries(outputs)) {
    for (const form of passwords.flatMap(formsOf)) expect(text.includes(form), `${name} shows ${form}`).toBe(false);
  }
}

let dir: string;
let byId: Map<string, Scenario>;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'scimulator-sent-password-'));
  writeFileSync(join(dir, 'protocol.yaml'), PROTOCOL);
  writeFileSync(join(dir, 'okta.yaml'), OKTA);
  const { scenarios, errors } = await loadScenarios([dir], { idps: IDPS });
  expect(errors.map(String)).toEqual([]);
  byId = new Map(scenarios.map((scenario) => [scenario.id, scenario]));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a password a protocol scenario sends, echoed by the target', () => {
  let target: Awaited<ReturnType<typeof echoTarget>>;
  let result: RunResult;
  beforeAll(async () => {
    target = await echoTarget();
    result = await runScenarios([byId.get('echo.protocol')!], { idps: IDPS, target: { url: target.url, credentials: { kind: 'bearer', token: TOKEN } } });
  });
  afterAll(() => new Promise<void>((resolve) => (target.server as Server).close(() => resolve())));

  it('is redacted in the answers and the checks: a detail, a header, an HTML page, a later answer', () => {
    // Both sent: the literal one, and the templated one filled.
    expect(target.received).toHaveLength(2);
    expect(target.received[0]).toBe(PASSWORD);
    expect(target.received[1]).toMatch(/^Tr0ub4dor&3-\S+$/);
    const [ran] = result.scenarios;
    expect(ran!.status).toBe('failed');
    const [post, patch, get] = ran!.exchanges.filter((e) => e.request.url.includes('/Users'));
    expect(post!.response!.body!.json).toMatchObject({ detail: 'password [redacted] is too weak' });
    expect(post!.response!.headers['x-rejected']).toBe('password [redacted]');
    expect(patch!.response!.body!.text).toContain('<p>password [redacted] is too weak</p>');
    expect(get!.response!.body!.text).toBe('refused earlier: [redacted], [redacted]');
    expect(ran!.steps.map((s) => s.checks[0]?.message)).toEqual([
      'expected status 201, got 400 (detail: "password [redacted] is too weak")',
      'expected status 204, got 400 with a text/html body: "<html><body><p>password [redacted] is too weak</p></body></html>"',
      'expected status 200, got 400 with a text/plain body: "refused earlier: [redacted], [redacted]"',
    ]);
  });

  it('is in no output: the JSON result, the console, the HTML, JUnit and Markdown reports', () => {
    const outputs = everyOutput(result);
    expectNowhere(outputs, target.received);
    expect(outputs.json).toContain('password [redacted] is too weak');
    expect(outputs.console).toContain('[redacted]');
    expect(outputs.html).toContain('password [redacted] is too weak');
    expect(outputs.junit).toContain('password [redacted] is too weak');
    expect(outputs.markdown).toContain('password \\[redacted\\] is too weak');
  });
});

describe('a password an IdP simulator sends, echoed by the target', () => {
  it("Okta's password sync PATCH, refused with the password in a detail and a header", async () => {
    const server = createReferenceServer({ tokens: [TOKEN] });
    server.app.addHook('preHandler', async (request, reply) => {
      const sent = JSON.stringify(request.body ?? null);
      if (request.method === 'PATCH' && sent.includes(OKTA_PASSWORD)) {
        await reply
          .code(400)
          .header('x-rejected', `password ${OKTA_PASSWORD}`)
          .type('application/scim+json')
          .send({ schemas: [URN.error], status: '400', detail: `password ${OKTA_PASSWORD} is too weak` });
      }
    });
    const { url } = await server.listen();
    try {
      const result = await runScenarios([byId.get('echo.okta')!], { idps: IDPS, target: { url, credentials: { kind: 'bearer', token: TOKEN } } });
      const [ran] = result.scenarios;
      const refused = ran!.exchanges.find((e) => e.by === 'okta' && e.request.method === 'PATCH');
      expect(refused?.response?.status).toBe(400);
      expect(refused!.response!.headers['x-rejected']).toBe('password [redacted]');
      expect(refused!.response!.body!.json).toMatchObject({ detail: 'password [redacted] is too weak' });
      const outputs = everyOutput(result);
      expectNowhere(outputs, [OKTA_PASSWORD]);
      expect(outputs.json).toContain('password [redacted] is too weak');
    } finally {
      await server.close();
    }
  });
});
