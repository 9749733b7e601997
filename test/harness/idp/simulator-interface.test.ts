import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idpRegistry, type IdpDefinition, type IdpSimulator } from '../../../harness/idp/types.js';
import { runScenarios, type RunOptions } from '../../../harness/runner/run.js';
import { loadScenarioFile } from '../../../harness/scenario/load.js';
import type { Scenario } from '../../../harness/types.js';
import type { RunResult } from '../../../harness/result.js';
import { startFaultyTarget } from '../runner/faulty-target.js';

/**
 * A toy IdP that proves the simulator interface end to end: `assign` creates the user,
 * `unassign` deactivates it with a PATCH, and each reports an outcome.
 */
function toySimulator(scenario: Scenario): IdpSimulator {
  const provisioned = new Map<string, string>();
  const users = (scenario.directory?.users ?? {}) as Record<string, { userName: string }>;
  return {
    now: () => '2026-01-01T00:00:00.000Z',
    targetOf: (name) => provisioned.get(name),
    async perform(step, run) {
      const name = String(step.args);
      const user = users[name];
      if (!user) throw new Error(`${name} is not in the directory`);
      const record = { transcript: run.transcript, kind: 'idp' as const, by: 'okta', step: run.step, virtualTime: '2026-01-01T00:00:00.000Z' };
      if (step.action === 'assign') {
        const body = { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: user.userName, active: true };
        const response = await run.client.send({ method: 'POST', path: '/Users', body }, record);
        provisioned.set(name, `/Users/${(response.json as { id: string }).id}`);
        run.report({ idp: 'okta', kind: 'task', record: { event: 'push', user: name, status: response.status === 201 ? 'success' : 'failure' } });
      } else if (step.action === 'unassign') {
        const body = { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', path: 'active', value: false }] };
        const response = await run.client.send({ method: 'PATCH', path: provisioned.get(name)!, query: [['attributes', 'active'], ['note', 'a b+c']], body }, record);
        run.report({ idp: 'okta', kind: 'task', record: { event: 'deactivate', user: name, status: response.status < 300 ? 'success' : 'failure' } });
      } else {
        throw new Error(`unknown event ${step.action}`);
      }
    },
  };
}

/** The toy as an IdP definition: a registry of it is all the loader and the runner need to know it. */
const TOY: IdpDefinition = {
  name: 'toy',
  target: {},
  create: toySimulator,
  title: 'Toy',
  docs: 'this test',
  events: {
    assign: { description: 'Creates the user.', argument: { type: 'name', of: ['users'] } },
    unassign: { description: 'Deactivates the user.', argument: { type: 'name', of: ['users'] } },
  },
  capabilities: ['users'],
  settings: {},
  directory: {
    users: {
      shape: { type: 'mapping', others: { type: 'mapping', fields: { userName: { shape: { type: 'text' }, required: true, description: 'Sent as userName.' } } } },
      description: 'Users by name.',
    },
  },
  outcomes: {
    description: 'What the toy reports.',
    fields: {
      event: { shape: { type: 'enum', values: ['push', 'deactivate'] }, description: 'What it did.' },
      user: { shape: { type: 'name', of: ['users'] }, description: 'For whom.' },
      status: { shape: { type: 'enum', values: ['success', 'failure'] }, description: 'How it went.' },
    },
  },
};
const IDPS = idpRegistry(TOY);
const load = (file: string) => loadScenarioFile(file, { idps: IDPS });
const runToy = (scenarios: Scenario[], options: Partial<RunOptions> = {}) => runScenarios(scenarios, { idps: IDPS, ...options });

const SCENARIO = `id: toy.assign-unassign
title: Assigning creates the user, unassigning deactivates it
refs: ["Okta ref §6.1"]
idp: toy
directory:
  users:
    ada: { userName: "ada-{{unique.a}}@example.com" }
steps:
  - assign: ada
  - expect:
      sent: ['POST /Users']
      target: { ada: { active: true } }
      outcome: [{ event: push, status: success }]
  - unassign: ada
  - expect:
      sent: [{ method: PATCH, body: { Operations: [{ op: replace, path: active, value: false }] } }]
      target: { ada: { active: false } }
      outcome: [success]
`;

let dir: string;
let scenario: Scenario;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'scimulator-idp-'));
  writeFileSync(join(dir, 'toy.yaml'), SCENARIO.replace('ada-{{unique.a}}@example.com', `ada-${process.pid}@example.com`));
  scenario = await load(join(dir, 'toy.yaml'));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const checksOf = (result: RunResult) => result.scenarios[0]!.steps.flatMap((s) => s.checks);

describe('the IdP simulator interface', () => {
  it('runs events, then checks what was sent, the target state read back, and the outcomes', async () => {
    const result = await runToy([scenario]);
    const run = result.scenarios[0]!;
    expect(run.status, JSON.stringify(checksOf(result).filter((c) => !c.passed))).toBe('passed');
    expect(run.outcomes.map((o) => o.record.event)).toEqual(['push', 'deactivate']);
    const kinds = run.exchanges.map((e) => `${e.kind} ${e.request.method}`);
    expect(kinds).toEqual(['idp POST', 'verify GET', 'idp PATCH', 'verify GET', 'cleanup DELETE']);
    expect(run.exchanges[0]!.virtualTime).toBe('2026-01-01T00:00:00.000Z');
  });

  it('a target that drops the PATCH path fails the target check, naming the attribute', async () => {
    const target = await startFaultyTarget('patch-ignores-path');
    try {
      const result = await runToy([scenario], { target: { url: target.url, credentials: { kind: 'bearer', token: target.token } } });
      const failedChecks = checksOf(result).filter((c) => !c.passed);
      expect(result.scenarios[0]!.status).toBe('failed');
      expect(failedChecks.map((c) => c.what)).toEqual(['target ada.active']);
      expect(failedChecks[0]!.message).toMatch(/expected ada\.active to equal false, got true/);
      expect(failedChecks[0]!.ref).toBe('Okta ref §6.1');
    } finally {
      await target.close();
    }
  });

  it('matches sent requests by path and query matchers, and says what differs', async () => {
    const withMatchers = async (sent: string, expectPass: boolean) => {
      const file = join(dir, `sent-${Math.random().toString(36).slice(2)}.yaml`);
      writeFileSync(file, SCENARIO.replace('ada-{{unique.a}}@example.com', `ada-${process.pid}-${Math.random()}@example.com`).replace("[{ method: PATCH, body: { Operations: [{ op: replace, path: active, value: false }] } }]", () => sent));
      const result = await runToy([await load(file)]);
      const failed = checksOf(result).filter((c) => !c.passed);
      expect(failed.length === 0, JSON.stringify(failed)).toBe(expectPass);
      return failed;
    };
    await withMatchers("[{ method: PATCH, path: { matches: '^/Users/[0-9a-f-]+$' }, query: { attributes: active, note: 'a b+c' } }]", true);
    await withMatchers('[{ path: { not: { contains: "?" } }, query: { note: { matches: "^a b" }, missing: { absent: true } } }]', true);
    const [wrongPath] = await withMatchers("[{ path: { matches: '^/Groups/' } }]", false);
    expect(wrongPath!.message).toMatch(/expected path to match/);
    const [wrongQuery] = await withMatchers('[{ query: { attributes: emails } }]', false);
    expect(wrongQuery!.message).toMatch(/query attributes/);
  });

  it('refuses at load time a sent matcher whose pattern does not compile', async () => {
    const file = join(dir, 'bad-pattern.yaml');
    writeFileSync(file, SCENARIO.replace("[{ method: PATCH, body: { Operations: [{ op: replace, path: active, value: false }] } }]", "[{ path: { matches: '(' }, query: { a: { matches: '[' } } }]"));
    await expect(load(file)).rejects.toThrow(/sent\[0\]\.path\.matches is not a valid regular expression[\s\S]*sent\[0\]\.query\.a\.matches is not a valid regular expression/);
  });

  it('a scenario for an IdP the run is not given is an error, not a pass', async () => {
    const result = await runScenarios([scenario], { idps: {} });
    expect(result.scenarios[0]!.status).toBe('error');
    expect(result.scenarios[0]!.reason).toMatch(/no toy simulator/);
  });

  it('sends the scenarios of an IdP that needs the lenient profile to a second, lenient embedded one', async () => {
    // The strict server is the run's target; a lenient one, started when needed, has another port.
    const servedBy = async (idps: RunOptions['idps']) => {
      const result = await runScenarios([scenario], { idps });
      expect(result.scenarios[0]!.status).toBe('passed');
      return new URL(result.scenarios[0]!.exchanges[0]!.request.url).origin === new URL(result.target.url).origin ? 'strict' : 'lenient';
    };
    expect(await servedBy(IDPS)).toBe('strict');
    expect(await servedBy(idpRegistry({ ...TOY, target: { profile: 'lenient' } }))).toBe('lenient');
  });
});
