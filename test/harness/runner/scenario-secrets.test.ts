import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDPS } from '../../../harness/idp/registry.js';
import { runScenarios } from '../../../harness/runner/run.js';
import { eventSecrets, scenarioSecrets, shownArguments } from '../../../harness/runner/scenario-secrets.js';
import { loadScenarios } from '../../../harness/scenario/load.js';
import type { IdpStep, Scenario } from '../../../harness/types.js';

/** The secrets a scenario writes itself never reach its step names or its result (issue 20, finding 7). */

const PASSWORD = 'Canary-Password-7d1f20';
const TOKEN = 'canary-secret-token-0e9b';
const step = (action: string, args: unknown): IdpStep => ({ kind: 'idp', action, args, source: { file: 'x.yaml', line: 1, column: 1 } });

const OKTA = `
id: secrets.okta-password
title: An Okta password sync
refs: ["Okta ref §8"]
requires: [patch, filter, changePassword]
idp: okta
settings: { variant: oin, provisioningFeatures: { syncPassword: true } }
directory:
  users:
    ada: { login: "ada-{{unique.ada}}@example.com", firstName: Ada, lastName: Lovelace }
steps:
  - assign: ada
  - password: { user: ada, value: "${PASSWORD}" }
  - expect:
      outcome: { eventType: application.provision.user.push_password, status: success, user: ada }
`;

const ENTRA = `
id: secrets.entra-token
title: Entra's Secret Token changes
refs: ["Entra ref §1.1"]
idp: entra
directory:
  users:
    adele: { userPrincipalName: "{{unique.adele}}@contoso.com" }
  assignments: [adele]
steps:
  - set-secret-token: "${TOKEN}"
  - cycle: initial
`;

let dir: string;
let byId: Map<string, Scenario>;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'scimulator-scenario-secrets-'));
  writeFileSync(join(dir, 'okta.yaml'), OKTA);
  writeFileSync(join(dir, 'entra.yaml'), ENTRA);
  const { scenarios, errors } = await loadScenarios([dir], { idps: IDPS });
  expect(errors.map(String)).toEqual([]);
  byId = new Map(scenarios.map((scenario) => [scenario.id, scenario]));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('which values are secrets', () => {
  it("an Okta password event's new value, not the user it names", () => {
    expect(shownArguments('okta', step('password', { user: 'ada', value: PASSWORD }), IDPS)).toEqual({ user: 'ada', value: '[redacted]' });
    expect(shownArguments('okta', step('password', 'ada'), IDPS)).toBe('ada');
    expect(eventSecrets('okta', 'password', { user: 'ada', value: PASSWORD }, IDPS)).toEqual([PASSWORD]);
    expect(eventSecrets('okta', 'assign', 'ada', IDPS)).toEqual([]);
  });

  it("Entra's set-secret-token argument, and a password set by a profile update", () => {
    expect(shownArguments('entra', step('set-secret-token', TOKEN), IDPS)).toBe('[redacted]');
    expect(shownArguments('entra', step('set-secret-token', null), IDPS)).toBeNull();
    expect(shownArguments('okta', step('update', { user: 'ada', set: { password: PASSWORD, title: 'CEO' } }), IDPS)).toEqual({
      user: 'ada',
      set: { password: '[redacted]', title: 'CEO' },
    });
  });

  it('a Secret Token setting and a directory password, not enum settings named for passwords', () => {
    const scenario = {
      idp: 'okta',
      settings: { secretToken: TOKEN, passwordPatchShape: 'path', syncOktaPassword: true },
      directory: { users: { ada: { login: 'ada@example.com', password: PASSWORD } } },
    };
    expect(scenarioSecrets(scenario, IDPS).sort()).toEqual([PASSWORD, TOKEN].sort());
  });
});

describe('a run keeps them out of its result', () => {
  it('an Okta password sync: the step name shows [redacted], and the value is nowhere in the result', async () => {
    const result = await runScenarios([byId.get('secrets.okta-password')!], { idps: IDPS });
    const [ran] = result.scenarios;
    expect(ran!.status, ran!.reason).toBe('passed');
    expect(ran!.steps.map((s) => s.name)).toContain('password {"user":"ada","value":"[redacted]"}');
    expect(JSON.stringify(result)).not.toContain(PASSWORD);
  });

  it("Entra's set-secret-token: the step name shows [redacted], and the token is nowhere in the result", async () => {
    const result = await runScenarios([byId.get('secrets.entra-token')!], { idps: IDPS });
    expect(result.scenarios[0]!.steps.map((s) => s.name)).toEqual(['set-secret-token [redacted]', 'cycle initial']);
    expect(JSON.stringify(result)).toContain('Bearer [redacted]');
    expect(JSON.stringify(result)).not.toContain(TOKEN);
  });
});
