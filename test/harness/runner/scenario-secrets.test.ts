import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDPS } from '../../../harness/idp/registry.js';
import { runScenarios } from '../../../harness/runner/run.js';
import { eventSecrets, scenarioSecrets, shownArguments } from '../../../harness/runner/scenario-secrets.js';
import { loadScenarios } from '../../../harness/scenario/load.js';
import type { IdpStep, Scenario } from '../../../harness/types.js';
import { createReferenceServer } from '../../../reference-server/app.js';

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

const OKTA_CREATE = `
id: secrets.okta-placeholder
title: An Okta create with its placeholder password
refs: ["Okta ref §4.2"]
requires: [filter]
idp: okta
settings: { variant: oin }
directory:
  users:
    ada: { login: "ada-{{unique.ada}}@example.com", firstName: Ada, lastName: Lovelace }
steps:
  - assign: ada
`;

let dir: string;
let byId: Map<string, Scenario>;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'scimulator-scenario-secrets-'));
  writeFileSync(join(dir, 'okta.yaml'), OKTA);
  writeFileSync(join(dir, 'entra.yaml'), ENTRA);
  writeFileSync(join(dir, 'okta-create.yaml'), OKTA_CREATE);
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

describe('the descriptions declare them; names only where a description says nothing', () => {
  // Okta as described, with a setting and an event the description declares secret, and another whose name only sounds like one.
  const okta = IDPS.okta!;
  const idps = {
    ...IDPS,
    okta: {
      ...okta,
      settings: {
        ...okta.settings,
        passphrase: { shape: { type: 'text' as const }, secret: true as const, description: 'A secret not named so.' },
        tokenUrl: { shape: { type: 'text' as const }, description: 'Where a token is had: no secret.' },
      },
      events: { ...okta.events, rekey: { description: 'Sets a key.', argument: { type: 'text' as const }, secret: true as const } },
    },
  };

  it('a declared secret is one whatever its name, a declared field named like a secret is not', () => {
    const scenario = { idp: 'okta', settings: { passphrase: 'Canary-Passphrase-51c2', tokenUrl: 'https://idp.example.com/token' } };
    expect(scenarioSecrets(scenario, idps)).toEqual(['Canary-Passphrase-51c2']);
    expect(shownArguments('okta', step('rekey', 'Canary-Key-77a0'), idps)).toBe('[redacted]');
    expect(eventSecrets('okta', 'rekey', 'Canary-Key-77a0', idps)).toEqual(['Canary-Key-77a0']);
  });

  it('what no declaration covers is told by its name: a profile attribute, an event no description has', () => {
    const scenario = { idp: 'okta', settings: {}, directory: { users: { ada: { login: 'ada@example.com', apiKey: 'Canary-Attribute-3e8d', title: 'CEO' } } } };
    expect(scenarioSecrets(scenario, idps)).toEqual(['Canary-Attribute-3e8d']);
    expect(eventSecrets('none', 'set-token', 'Canary-Undescribed-9a41', idps)).toEqual(['Canary-Undescribed-9a41']);
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

  it('a placeholder password Okta made up, echoed by the target where no redaction by key finds it', async () => {
    const server = createReferenceServer({ tokens: ['echo-token-5f0a'] });
    // A target that tells the password it refuses in its error's detail.
    server.app.addHook('preHandler', async (request, reply) => {
      const body = request.body as { password?: string } | undefined;
      if (request.method === 'POST' && body?.password !== undefined) {
        await reply.code(400).type('application/scim+json').send({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '400', detail: `weak: ${body.password}` });
      }
    });
    const { url } = await server.listen();
    try {
      const result = await runScenarios([byId.get('secrets.okta-placeholder')!], { idps: IDPS, target: { url, credentials: { kind: 'bearer', token: 'echo-token-5f0a' } } });
      const text = JSON.stringify(result);
      expect(text).toContain('weak: [redacted]');
      expect(text).not.toMatch(/weak: (?!\[redacted\])/);
    } finally {
      await server.close();
    }
  });
});
