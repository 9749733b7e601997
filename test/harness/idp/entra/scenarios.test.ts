import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScenarios } from '../../../../harness/runner/run.js';
import { loadScenarioFile, loadScenarios } from '../../../../harness/scenario/load.js';
import type { Scenario } from '../../../../harness/types.js';
import type { RunResult, ScenarioResult } from '../../../../harness/result.js';
import { createReferenceServer } from '../../../../reference-server/app.js';
import { LENIENT, type Compat } from '../../../../scim/compat.js';
import { runAgainstFault, type Fault } from '../../runner/faulty-target.js';
import { IDPS } from '../../../../harness/idp/registry.js';

/**
 * scenarios/entra end to end through runScenarios: against the reference server, lenient and
 * strict, and against faulty targets that produce Entra's documented log records and job states.
 */

const DIR = join(import.meta.dirname, '../../../../scenarios/entra');
let library: Scenario[];
let scratch: string;

beforeAll(async () => {
  const { scenarios, errors } = await loadScenarios([DIR], { idps: IDPS });
  expect(errors.map(String)).toEqual([]);
  library = scenarios;
  scratch = mkdtempSync(join(tmpdir(), 'scimulator-entra-'));
});

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const byId = (id: string) => library.find((s) => s.id === id)!;

function problems(result: RunResult): string[] {
  return result.scenarios
    .filter((s) => s.status !== 'passed')
    .map((s) => `${s.id}: ${s.status} ${s.reason ?? ''} ${s.steps.flatMap((st) => st.checks.filter((c) => !c.passed).map((c) => `${c.what}: ${c.message}`)).join(' | ')}`);
}

async function againstReference(scenarios: Scenario[], compat?: Compat): Promise<RunResult> {
  // The admin API lets the scenarios that inject faults install them on this shared server.
  const server = createReferenceServer({ tokens: ['entra-token'], adminToken: 'entra-admin', ...(compat && { compat }) });
  const { url } = await server.listen();
  try {
    return await runScenarios(scenarios, { idps: IDPS, target: { url, credentials: { kind: 'bearer', token: 'entra-token' } }, adminToken: 'entra-admin', concurrency: 4 });
  } finally {
    await server.close();
  }
}

const againstFault = (fault: Fault, scenarios: Scenario[]) => runAgainstFault(fault, scenarios, { compat: LENIENT });

async function inline(name: string, yaml: string): Promise<Scenario> {
  const file = join(scratch, `${name}.yaml`);
  writeFileSync(file, yaml);
  return loadScenarioFile(file, { idps: IDPS });
}

const logs = (result: ScenarioResult) => result.outcomes.filter((o) => o.kind === 'provisioningLog').map((o) => o.record);
const statuses = (result: ScenarioResult) => result.outcomes.filter((o) => o.kind === 'jobStatus').map((o) => o.record);

describe('scenarios/entra against the reference server', () => {
  it('every scenario passes in lenient mode, each citing the Entra reference', async () => {
    expect(library.length).toBeGreaterThanOrEqual(20);
    for (const scenario of library) expect(scenario.refs.some((r) => r.startsWith('Entra ref §')), scenario.id).toBe(true);
    expect(problems(await againstReference(library, LENIENT))).toEqual([]);
  });

  it('the strict server refuses the legacy disable with the RFC error, which Entra logs as ServiceIncompatible', async () => {
    const disable = library.find((s) => s.id === 'entra.legacy.disable-on-unassign')!;
    const result = await againstReference([disable]);
    expect(result.scenarios[0]!.status).toBe('failed');
    expect(logs(result.scenarios[0]!).at(-1)).toMatchObject({ action: 'Disable', status: 'Failure', errorCode: 'SystemForCrossDomainIdentityManagementServiceIncompatible' });
  });
});

describe('scenarios/entra against faulty targets', () => {
  it('a target that rejects "False": the legacy disable fails with Entra\'s reason and is escrowed; the flag dialect passes', async () => {
    const [legacy, flag] = await againstFault('rejects-string-booleans', [byId('entra.legacy.disable-on-unassign'), byId('entra.aadoptscim062020.disable-on-unassign')]);
    expect(flag!.status).toBe('passed');
    expect(legacy!.status).toBe('failed');
    const record = logs(legacy!).at(-1)!;
    expect(record).toMatchObject({ user: 'adele', action: 'Disable', status: 'Failure', errorCode: 'SystemForCrossDomainIdentityManagementServiceIncompatible' });
    expect(record.reason).toMatch(/^Failed to update User 'scim-[0-9a-f]{8}-\d+-adele@contoso\.com' in customappsso; Error: The SCIM endpoint is not fully compatible/);
    expect(record.reason).toContain(
      'StatusCode: BadRequest\nMessage: Processing of the HTTP request resulted in an exception. Please see the HTTP response returned by the \'Response\' property of this exception for details.\n' +
        'Web Response: {"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"scimType":"invalidValue","detail":"Attribute \'active\' expected value type \'boolean\' but found type \'string\'","status":"400"}. ' +
        'This operation was retried 0 times. It will be retried again after this date: 2026-01-05T10:20:00.0000000Z UTC\n' +
        'ErrorCode: SystemForCrossDomainIdentityManagementServiceIncompatible   EventName: EntryExportUpdate',
    );
  });

  it('a target that ignores filters: Entra re-queries, finds nothing, and creates a duplicate at every evaluation (§6.1, §10.15)', async () => {
    const scenario = await inline(
      'duplicates',
      `id: entra.test.duplicates
title: duplicates
refs: ["Entra ref §6.1"]
idp: entra
settings: { provisionGroups: false, incrementalLookup: filter }
directory:
  users: { adele: { userPrincipalName: "{{unique.adele}}@contoso.com" } }
  assignments: [adele]
steps:
  - cycle: initial
  - update: { user: adele, set: { jobTitle: A } }
  - advance: 40m
  - update: { user: adele, set: { jobTitle: B } }
  - advance: 40m
  - expect:
      outcome: [{ user: adele, action: Create, status: Success }, { user: adele, action: Create, status: Success }]
`,
    );
    const [result] = await againstFault('ignores-filter', [scenario]);
    expect(problems({ scenarios: [result!] } as RunResult)).toEqual([]);
    const created = result!.exchanges.filter((e) => e.kind === 'idp' && e.request.method === 'POST' && e.response?.status === 201);
    expect(created).toHaveLength(3);
    expect(new Set(created.map((e) => (e.response!.body!.json as { id: string }).id)).size).toBe(3);
    expect(logs(result!).map((r) => r.action)).toEqual(['Create', 'Create', 'Create']);
  });

  it('a target that answers 401: the job is quarantined at the probe and nothing else is sent (§3, §5.6)', async () => {
    const [result] = await againstFault('unauthorized', [byId('entra.legacy.initial-cycle-creates')]);
    expect(result!.status).toBe('failed');
    expect(result!.exchanges.filter((e) => e.kind === 'idp').map((e) => e.response?.status)).toEqual([401]);
    expect(logs(result!)).toEqual([]);
    expect(statuses(result!)).toEqual([
      {
        code: 'Quarantine',
        quarantine: {
          reason: 'EncounteredQuarantineException',
          seriesBegan: '2026-01-05T09:00:00.000Z',
          currentBegan: '2026-01-05T09:00:00.000Z',
          seriesCount: 1,
          nextAttempt: '2026-01-05T15:00:00.000Z',
          error: {
            code: 'SystemForCrossDomainIdentityManagementCredentialValidationFailure',
            message: 'An HTTP/401 Unauthorized response was returned rather than the expected HTTP/200 OK response: the Secret Token is invalid or expired.',
            synthesised: true,
          },
        },
        nextCycle: '2026-01-05T15:00:00.000Z',
      },
    ]);
  });

  it('a target that returns the manager as a bare string: the next read of that user fails with ServiceIncompatible (§4, §10.6)', async () => {
    const scenario = await inline(
      'bare-manager',
      `id: entra.test.bare-manager
title: bare manager
refs: ["Entra ref §6.6"]
idp: entra
settings: { provisionGroups: false }
directory:
  users:
    megan: { userPrincipalName: "{{unique.megan}}@contoso.com" }
    adele: { userPrincipalName: "{{unique.adele}}@contoso.com", manager: megan }
  assignments: [megan, adele]
steps:
  - cycle: initial
  - update: { user: adele, set: { jobTitle: CEO } }
  - advance: 40m
  - expect:
      outcome: [{ user: adele, action: Other, status: Failure, errorCode: SystemForCrossDomainIdentityManagementServiceIncompatible }]
`,
    );
    const [result] = await againstFault('manager-bare-string', [scenario]);
    expect(problems({ scenarios: [result!] } as RunResult)).toEqual([]);
    expect(logs(result!).at(-1)!.reason).toMatch(
      /^Failed to match an entry in the source and target systems User 'scim-[0-9a-f]{8}-\d+-adele@contoso\.com'; Error: We are not able to deserialize the resource received from your SCIM endpoint because your SCIM endpoint is not fully compatible with the Azure Active Directory SCIM client\.\nThis operation was retried 0 times\./,
    );
  });
});
