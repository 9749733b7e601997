import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { IDPS } from '../../../harness/idp/registry.js';
import type { RunResult } from '../../../harness/result.js';
import { readClaim } from '../../../harness/runner/claim.js';
import { runScenarios } from '../../../harness/runner/run.js';
import { loadScenarioFile } from '../../../harness/scenario/load.js';
import { runEndLines } from '../../../reports/run-end.js';
import { fakeTarget, TOKEN, type Behaviour, type FakeTarget } from './lost-create-target.js';

/*
 * An IdP that retries a create answered 5xx sends the same POST several times: the cleanup looks
 * its name up once, not once per attempt, and deletes what the target kept of it. When a retry's
 * 201 named the resource, it is one resource known by its Location: deleted once, by that URL,
 * whatever form the Location is written in, listed once if the DELETE is refused, and its name
 * never looked up, so a stranger's resource of that name stays.
 */

const RUN_ID = 'feedc0de';

let dir: string;
let target: FakeTarget | undefined;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'scimulator-lost-retried-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
afterEach(async () => {
  await target?.close();
  target = undefined;
});

async function runAgainst(behaviour: Behaviour, name: string, yaml: string): Promise<RunResult> {
  target = await fakeTarget(behaviour);
  const file = join(dir, `${name}.yaml`);
  await writeFile(file, `id: ${name}\ntitle: t\nrefs: ["RFC 9110 §15.6"]\n${yaml}`);
  const scenario = await loadScenarioFile(file, { idps: IDPS });
  return runScenarios([scenario], {
    idps: IDPS,
    target: { url: target.url, credentials: { kind: 'bearer', token: TOKEN } },
    profile: readClaim('strict'),
    runId: RUN_ID,
    concurrency: 1,
    keep: false,
  });
}

const sent = (result: RunResult, kind: string) =>
  result.scenarios[0]!.exchanges.filter((e) => e.kind === kind).map((e) => `${e.request.method} ${e.request.url.replace(target!.url, '')} ${e.response?.status}`);
const lookupOf = (userName: string) => `GET /Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}&count=10 200`;

describe('a create an IdP retried after 5xx answers', () => {
  it('Okta (retryServerErrors, ten attempts, each answered 504 by a gateway): one lookup, and the user the first attempt created is deleted', async () => {
    const login = `ada-scim-${RUN_ID}-0-ada@example.com`;
    const result = await runAgainst(
      { create: 'gateway-504', lookup: 'list' },
      'okta-retried',
      `idp: okta
settings: { variant: oin, retryServerErrors: true }
directory:
  users:
    ada: { login: "ada-{{unique.ada}}@example.com", firstName: Ada, lastName: Lovelace }
steps:
  - assign: ada
`,
    );
    expect(sent(result, 'idp').filter((line) => line.startsWith('POST'))).toEqual(Array(10).fill('POST /Users 504'));
    expect(sent(result, 'cleanup')).toEqual([lookupOf(login), 'DELETE /Users/u1 204']);
    expect(target!.users.size).toBe(0);
    expect(result).not.toHaveProperty('leftBehind');
  });

  it('Entra (escrowed, retried the next cycle, each answered 503, nothing created): one lookup, nothing left', async () => {
    const upn = `scim-${RUN_ID}-0-adele@contoso.com`;
    const result = await runAgainst(
      { create: 'error-503', lookup: 'list' },
      'entra-retried',
      `idp: entra
settings: { provisionGroups: false }
directory:
  users:
    adele: { userPrincipalName: "{{unique.adele}}@contoso.com" }
  assignments: [adele]
steps:
  - cycle: initial
  - advance: 40m
`,
    );
    expect(sent(result, 'idp').filter((line) => line.startsWith('POST'))).toEqual(['POST /Users 503', 'POST /Users 503']);
    expect(sent(result, 'cleanup')).toEqual([lookupOf(upn)]);
    expect(result).not.toHaveProperty('leftBehind');
  });
});

const LOGIN = `ada-scim-${RUN_ID}-0-ada@example.com`;
const OKTA_RETRYING = `idp: okta
settings: { variant: oin, retryServerErrors: true }
directory:
  users:
    ada: { login: "ada-{{unique.ada}}@example.com", firstName: Ada, lastName: Lovelace }
steps:
  - assign: ada
`;
/** Where the retry's 201 said the user is: `u1`, percent-encoded, with a trailing slash. */
const location = () => `${target!.url}/Users/%75%31/`;

describe('a create answered 503, retried, then answered 201 with a Location in another form', () => {
  it('is deleted once, by its Location, and never looked up', async () => {
    const result = await runAgainst({ create: 'retried-503', lookup: 'list' }, 'retried-deleted', OKTA_RETRYING);
    expect(sent(result, 'idp').filter((line) => line.startsWith('POST'))).toEqual(['POST /Users 503', 'POST /Users 201']);
    expect(sent(result, 'cleanup')).toEqual(['DELETE /Users/%75%31/ 204']);
    expect(target!.users.size).toBe(0);
    expect(result).not.toHaveProperty('leftBehind');
  });

  it('whose DELETE is refused is tried once and listed once, under its Location', async () => {
    const result = await runAgainst({ create: 'retried-503', lookup: 'list', remove: 'forbidden' }, 'retried-refused', OKTA_RETRYING);
    expect(sent(result, 'cleanup')).toEqual(['DELETE /Users/%75%31/ 403']);
    expect(target!.users.size).toBe(1);
    expect(result.leftBehind).toEqual([{ scenario: 'retried-refused', url: location(), reason: 'DELETE answered 403: deleting users is not allowed' }]);
    expect(runEndLines(result)).toEqual([
      '1 resource the cleanup could not delete is left on the target: delete them by hand.',
      `  ${location()} (retried-refused): DELETE answered 403: deleting users is not allowed`,
    ]);
  });

  it('leaves a stranger’s user of the same name alone', async () => {
    const result = await runAgainst({ create: 'retried-503', lookup: 'list', stranger: true }, 'retried-stranger', OKTA_RETRYING);
    expect(sent(result, 'cleanup')).toEqual(['DELETE /Users/%75%31/ 204']);
    expect([...target!.users]).toEqual([['someone-else', LOGIN]]);
    expect(result).not.toHaveProperty('leftBehind');
  });
});
