import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReferenceServer } from '../../reference-server/app.js';
import type { RunResult } from '../../harness/result.js';
import { cli } from './compiled-cli.js';

const TOKEN = 'CANARY-TOKEN-5e1b7d';
const SECRET = 'CANARY-SECRET-93c0af';
const PASSWORD = 'CANARY-PASSWORD-2d8e41';
const NEW_PASSWORD = 'CANARY-PASSWORD-b77f10';
/** An Okta password sync's new password, written as the event's argument (issue 20). */
const OKTA_PASSWORD = 'CANARY-OKTA-PASSWORD-61c9e2';
/** Credentials in the target URL: `http://USER:PASSWORD@host/…` (issue 20). */
const URL_USER = 'canary-url-user-d04b';
const URL_PASSWORD = 'CANARY-URL-PASSWORD-a83e57';
const CANARIES = [TOKEN, SECRET, PASSWORD, NEW_PASSWORD, OKTA_PASSWORD, URL_USER, URL_PASSWORD];

/** A scenario that sends every canary: a password on create and in a PATCH, the secret in a body, a filter and an expectation; two checks fail so that failure details show values. */
const SCENARIO = `
id: canary.users.secrets
title: A user created with a canary password and a secret display name
refs: ["RFC 7644 §3.3"]
steps:
  - name: create a user carrying the canaries
    request:
      method: POST
      path: /Users
      body:
        schemas: [urn:ietf:params:scim:schemas:core:2.0:User]
        userName: "{{unique.canary}}@example.com"
        displayName: "${SECRET}"
        password: "${PASSWORD}"
    expect:
      status: 201
      body:
        displayName: { not: "${SECRET}" }
    save:
      userId: id
  - name: change the password
    request:
      method: PATCH
      path: /Users/{{userId}}
      body:
        schemas: [urn:ietf:params:scim:api:messages:2.0:PatchOp]
        Operations: [{ op: replace, path: password, value: "${NEW_PASSWORD}" }]
    expect: { status: [200, 204] }
  - name: find the user by the secret
    request: { method: GET, path: /Users, query: { filter: 'displayName eq "${SECRET}"' } }
    expect:
      status: 200
      body:
        Resources[0].displayName: "not the ${SECRET}"
`;

/** An Okta password sync whose new password is a canary: its step name is built from the event's argument. */
const OKTA_SCENARIO = `
id: canary.okta.password
title: An Okta password sync with a canary password
refs: ["Okta ref §8"]
requires: [patch, filter, changePassword]
idp: okta
settings: { variant: oin, provisioningFeatures: { syncPassword: true } }
directory:
  users:
    ada: { login: "ada-{{unique.ada}}@example.com", firstName: Ada, lastName: Lovelace }
steps:
  - assign: ada
  - password: { user: ada, value: "${OKTA_PASSWORD}" }
  - expect:
      outcome: { eventType: application.provision.user.push_password, status: success, user: ada }
`;

let dir: string;
let server: ReturnType<typeof createReferenceServer>;
let url: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'scimulator-secrets-'));
  writeFileSync(join(dir, 'canary.yaml'), SCENARIO);
  writeFileSync(join(dir, 'okta-canary.yaml'), OKTA_SCENARIO);
  server = createReferenceServer({ tokens: [TOKEN], basic: [{ user: URL_USER, password: URL_PASSWORD }] });
  url = (await server.listen()).url;
});

afterAll(async () => {
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Every form a canary could leak in: as is, URL-encoded (a query), JSON-escaped. */
const forms = (canary: string) => [canary, encodeURIComponent(canary), JSON.stringify(canary).slice(1, -1)];

function expectNoCanary(where: string, text: string): void {
  for (const canary of CANARIES) for (const form of forms(canary)) expect(text.includes(form), `${canary} in ${where}`).toBe(false);
}

describe('no output shows a secret', () => {
  it('scimulator run and scimulator report, every reporter, every file, stdout and stderr', async () => {
    const out = join(dir, 'out');
    const run = await cli(
      ['run', join(dir, 'canary.yaml'), '--target', url, '--token', TOKEN, '--secret', SECRET, '--reporter', 'console,json,html,junit,markdown', '--out', out],
      dir,
    );
    expect(run.code).toBe(1);
    const files = readdirSync(out).sort();
    expect(files).toEqual(['junit.xml', 'report.html', 'result.json', 'summary.md']);

    // The canaries were sent and the checks that would show them failed: the search below means something.
    const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as RunResult;
    const [scenario] = result.scenarios;
    expect(scenario!.exchanges.map((e) => `${e.request.method} ${e.response?.status}`)).toContain('POST 201');
    expect(scenario!.steps.flatMap((s) => s.checks).filter((c) => !c.passed)).toHaveLength(2);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('[redacted]');

    expectNoCanary('stdout', run.stdout);
    expectNoCanary('stderr', run.stderr);
    for (const file of files) expectNoCanary(file, readFileSync(join(out, file), 'utf8'));

    const again = join(dir, 'again');
    const report = await cli(['report', join(out, 'result.json'), '--reporter', 'console,json,html,junit,markdown', '--out', again], dir);
    expect(report.code).toBe(0);
    expectNoCanary('report stdout', report.stdout + report.stderr);
    for (const file of readdirSync(again)) expectNoCanary(`report ${file}`, readFileSync(join(again, file), 'utf8'));
  });

  it('an Okta password sync, and credentials in the target URL: every file, stdout and stderr, an error too', async () => {
    const withUserinfo = url.replace('http://', `http://${URL_USER}:${URL_PASSWORD}@`);
    const out = join(dir, 'okta-out');
    const run = await cli(['run', join(dir, 'okta-canary.yaml'), '--target', withUserinfo, '--reporter', 'console,json,html,junit,markdown', '--out', out], dir);
    // The userinfo was sent as Basic credentials, and the password synced: the search below means something.
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as RunResult;
    expect(result.scenarios[0]!.steps.map((s) => s.name)).toContain('password {"user":"ada","value":"[redacted]"}');
    expect(result.scenarios[0]!.exchanges.map((e) => `${e.request.method} ${e.response?.status}`)).toContain('PATCH 200');

    expectNoCanary('stdout', run.stdout);
    expectNoCanary('stderr', run.stderr);
    for (const file of readdirSync(out)) expectNoCanary(file, readFileSync(join(out, file), 'utf8'));

    // A target that cannot be reached: its error names the URL.
    const closed = withUserinfo.replace(/:\d+\//, ':1/');
    const unreachable = await cli(['run', join(dir, 'okta-canary.yaml'), '--target', closed, '--reporter', 'json', '--out', join(dir, 'unreachable')], dir);
    expect(unreachable.code).toBe(3);
    expect(unreachable.stderr).toContain('http://127.0.0.1:1/scim/v2/ServiceProviderConfig');
    expectNoCanary('unreachable stderr', unreachable.stdout + unreachable.stderr);
  });
});
