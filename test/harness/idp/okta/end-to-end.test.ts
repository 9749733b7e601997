import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScenarios } from '../../../../harness/runner/run.js';
import { loadScenarioFile, loadScenarios } from '../../../../harness/scenario/load.js';
import type { Scenario } from '../../../../harness/types.js';
import type { RunResult, ScenarioResult } from '../../../../harness/result.js';
import { createReferenceServer } from '../../../../reference-server/app.js';
import { startFaultyTarget, type Fault } from '../../runner/faulty-target.js';
import { IDPS } from '../../../../harness/idp/registry.js';

/**
 * The Okta scenarios against the reference server, through the runner (which finds the Okta
 * simulator without this file importing it), and against targets with one fault each.
 */

let scenarios: Scenario[];
const byId = (id: string) => scenarios.find((s) => s.id === id)!;
const failedChecks = (result: ScenarioResult) => result.steps.flatMap((s) => s.checks).filter((c) => !c.passed);

beforeAll(async () => {
  const loaded = await loadScenarios([fileURLToPath(new URL('../../../../scenarios/okta', import.meta.url))], { idps: IDPS });
  expect(loaded.errors.map(String)).toEqual([]);
  scenarios = loaded.scenarios;
});

async function against(fault: Fault, selected: Scenario[]): Promise<RunResult> {
  const target = await startFaultyTarget(fault);
  try {
    return await runScenarios(selected, { idps: IDPS, target: { url: target.url, credentials: { kind: 'bearer', token: target.token } } });
  } finally {
    await target.close();
  }
}

describe('scenarios/okta against the reference server', () => {
  it('every scenario passes', async () => {
    // The admin API lets the scenarios that inject faults install them on this shared server.
    const server = createReferenceServer({ tokens: ['okta-e2e'], adminToken: 'okta-e2e-admin', host: '127.0.0.1', port: 0 });
    const { url } = await server.listen();
    try {
      const result = await runScenarios(scenarios, { idps: IDPS, target: { url, credentials: { kind: 'bearer', token: 'okta-e2e' } }, adminToken: 'okta-e2e-admin' });
      const problems = result.scenarios.filter((s) => s.status !== 'passed').map((s) => ({ id: s.id, reason: s.reason, failed: failedChecks(s).map((c) => c.message) }));
      expect(problems).toEqual([]);
      expect(result.scenarios.length).toBeGreaterThanOrEqual(4);
      const create = result.scenarios.find((s) => s.id === 'okta.oin.create-user')!;
      expect(create.exchanges.filter((e) => e.kind === 'idp').every((e) => e.request.headers['user-agent'] === 'Okta SCIM Client 1.0.0')).toBe(true);
    } finally {
      await server.close();
    }
  });
});

describe('faulty targets', () => {
  it('a server that rejects the path-less PATCH: the deactivation fails with Okta\'s message and the user stays active', async () => {
    const result = await against('pathless-patch-400', [byId('okta.oin.deactivate-on-unassign')]);
    const run = result.scenarios[0]!;
    expect(run.status).toBe('failed');
    expect(run.outcomes.map((o) => o.record).at(-1)).toEqual({
      eventType: 'application.provision.user.deactivate',
      user: 'grace',
      status: 'failure',
      message: expect.stringMatching(
        /^Automatic deprovisioning of user Grace Hopper from app SCIM 2\.0 Test App failed: Error while deactivating user grace-scim-[0-9a-f]{8}-\d+-grace@example\.com: Bad Request\. Errors reported by remote server: PATCH operations need a path$/,
      ),
    });
    expect(failedChecks(run).map((c) => c.what)).toEqual(['target grace.active', 'outcome[0]']);
  });

  describe('scenarios written here', () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'scimulator-okta-'));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    async function scenario(name: string, text: string): Promise<Scenario> {
      writeFileSync(join(dir, name), text);
      return loadScenarioFile(join(dir, name), { idps: IDPS });
    }

    it.each<[Fault, number[]]>([
      ['throttle-twice', [7, 14]],
      ['throttle-twice-no-retry-after', [300, 600]],
    ])('%s: the create waits %j seconds of virtual time, then succeeds', async (fault, waits) => {
      const throttled = await scenario(
        `${fault}.yaml`,
        `id: okta.test.${fault}
title: A throttled create is retried in virtual time
refs: ["Okta ref §11"]
idp: okta
directory:
  users:
    ada: { login: ada.${fault}@example.com, firstName: Ada, lastName: Lovelace }
steps:
  - assign: ada
  - expect:
      target: { ada: { active: true } }
      outcome: { status: success, attempts: 3, waits: [${waits.join(', ')}] }
`,
      );
      const run = (await against(fault, [throttled])).scenarios[0]!;
      expect(run.status, JSON.stringify(failedChecks(run))).toBe('passed');
      const idp = run.exchanges.filter((e) => e.kind === 'idp');
      expect(idp.map((e) => e.response?.status)).toEqual([429, 429, 200, 201]);
      const offsets = idp.map((e) => (Date.parse(e.virtualTime!) - Date.parse(idp[0]!.virtualTime!)) / 1000);
      expect(offsets).toEqual([0, waits[0], waits[0]! + waits[1]!, waits[0]! + waits[1]!]);
    });

    it('a server that answers errors in plain text: the Jackson parse error, as Okta shows it', async () => {
      const gone = await scenario(
        'gone.yaml',
        `id: okta.test.user-gone
title: The user was deleted on the server before Okta deactivates it
refs: ["Okta ref §12"]
idp: okta
directory:
  users:
    ada: { login: ada.plain-text@example.com, firstName: Ada, lastName: Lovelace }
steps:
  - assign: ada
  - request: { method: GET, path: '/Users?filter=userName eq "ada.plain-text@example.com"' }
    save: { id: "Resources[0].id" }
  - request: { method: DELETE, path: "/Users/{{id}}" }
    expect: { status: 204 }
  - unassign: ada
  - expect: { outcome: failure }
`,
      );
      const result = await against('plain-text-errors', [gone]);
      const run = result.scenarios[0]!;
      expect(run.status, JSON.stringify(failedChecks(run))).toBe('passed');
      expect(run.outcomes.at(-1)!.record.message).toBe(
        "Automatic deprovisioning of user Ada Lovelace from app SCIM 2.0 Test App failed: Error while deactivating user ada.plain-text@example.com: Not Found. Errors reported by remote server: Invalid JSON: Unrecognized token 'Error': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false') at [line: 1, column: 6]",
      );
    });
  });
});
