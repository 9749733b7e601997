import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runScenarios } from '../../../../harness/runner/run.js';
import { loadScenarios } from '../../../../harness/scenario/load.js';
import type { Scenario } from '../../../../harness/types.js';
import type { Exchange, RunResult, ScenarioResult } from '../../../../harness/result.js';
import { createReferenceServer } from '../../../../reference-server/app.js';
import { LENIENT, type Compat } from '../../../../scim/compat.js';
import { runAgainstFault, type Fault } from '../../runner/faulty-target.js';
import { injectsFaults } from '../../../../harness/runner/faults.js';
import { IDPS } from '../../../../harness/idp/registry.js';

/**
 * The whole scenarios/entra library: every scenario passes against a lenient reference server
 * (twice, eight at a time; those that inject faults through its admin API, issue 15); a strict one
 * fails exactly the scenarios whose traffic departs from RFC 7644; and the scenarios written for
 * §10's misbehaving targets produce, against those targets, the log records and job states the
 * Entra reference documents. Entra's reactions to injected faults are in faults.test.ts, and the
 * proof that each fault scenario fails when Entra ignores its fault in
 * test/harness/runner/fault-scenarios.test.ts.
 */

const DIR = join(import.meta.dirname, '../../../../scenarios/entra');
const TOKEN = 'entra-library-token';
/** The fault admin API's token: the scenarios that inject faults install them through it (issue 15). */
const ADMIN_TOKEN = 'entra-library-admin';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
let library: Scenario[];

beforeAll(async () => {
  const { scenarios, errors } = await loadScenarios([DIR], { idps: IDPS });
  expect(errors.map(String)).toEqual([]);
  library = scenarios;
});

const byId = (id: string) => {
  const scenario = library.find((s) => s.id === id);
  if (!scenario) throw new Error(`no scenario ${id}`);
  return scenario;
};

function problems(result: { scenarios: ScenarioResult[] }): string[] {
  return result.scenarios
    .filter((s) => s.status !== 'passed')
    .map((s) => `${s.id}: ${s.status} ${s.reason ?? ''} ${s.steps.flatMap((st) => st.checks.filter((c) => !c.passed).map((c) => `${c.what}: ${c.message}`)).join(' | ')}`);
}

async function againstReference(scenarios: Scenario[], compat?: Compat): Promise<RunResult> {
  const server = createReferenceServer({ tokens: [TOKEN], adminToken: ADMIN_TOKEN, ...(compat && { compat }) });
  const { url } = await server.listen();
  try {
    return await runScenarios(scenarios, { idps: IDPS, target: { url, credentials: { kind: 'bearer', token: TOKEN } }, adminToken: ADMIN_TOKEN, concurrency: 8 });
  } finally {
    await server.close();
  }
}

const againstFault = (fault: Fault, scenarios: Scenario[]) => runAgainstFault(fault, scenarios, { compat: LENIENT });

const logs = (result: ScenarioResult) => result.outcomes.filter((o) => o.kind === 'provisioningLog').map((o) => o.record);
const statuses = (result: ScenarioResult) => result.outcomes.filter((o) => o.kind === 'jobStatus').map((o) => o.record);
const idp = (result: ScenarioResult) => result.exchanges.filter((e) => e.kind === 'idp');

interface Op {
  op?: unknown;
  path?: unknown;
  value?: unknown;
}

/**
 * The departures from RFC 7644 in one request Entra sent, named after the compat option a
 * strict server lacks (scim/compat.ts), judged from the request alone.
 */
function departures(exchange: Exchange): string[] {
  const found = new Set<string>();
  const body = exchange.request.body?.json as { schemas?: unknown; Operations?: Op[] } | undefined;
  if (exchange.request.method === 'POST' && Array.isArray(body?.schemas) && body.schemas.some((s) => typeof s === 'string' && s.includes('/ADSCIM/'))) found.add('ignoreUnknownAttributes');
  const filter = exchange.request.method === 'GET' ? new URL(exchange.request.url).searchParams.get('filter') : null;
  if (filter !== null && / eq [^"]/.test(filter)) found.add('unquotedFilterValues');
  if (exchange.request.method !== 'PATCH' || !Array.isArray(body?.Operations)) return [...found];
  for (const op of body.Operations) {
    const name = String(op.op);
    if (name !== name.toLowerCase()) found.add('caseInsensitiveOps');
    const values = op.value !== null && typeof op.value === 'object' && !Array.isArray(op.value) ? Object.values(op.value) : [op.value];
    if (values.some((v) => typeof v === 'string' && /^(true|false)$/i.test(v))) found.add('stringBooleans');
    if (op.path === undefined && op.value && typeof op.value === 'object' && Object.keys(op.value).some((k) => k.includes('.') || k.startsWith('urn:'))) found.add('dottedPathlessKeys');
    const path = typeof op.path === 'string' ? op.path : '';
    // Entra sends Add where the target has no value: on a filtered path, an element that does not exist yet.
    if (name.toLowerCase() === 'add' && /\[.*\]\./.test(path)) found.add('createOnFilteredPath');
    if (name.toLowerCase() === 'remove' && path === 'members' && op.value !== undefined) found.add('removeWithValue');
    if (path.endsWith(`${ENTERPRISE}:manager`) && typeof op.value === 'string') found.add('complexFromScalar');
    if (/^manager\[/.test(path)) found.add('filterOnSingleComplex');
  }
  return [...found];
}

/** Shapes only the legacy dialect sends (Entra ref §8): capitalised ops, string booleans, member removal by value. */
const LEGACY_ONLY = ['caseInsensitiveOps', 'stringBooleans', 'removeWithValue'];

describe('scenarios/entra: the library', () => {
  it('has one scenario per §10 quirk the simulator reproduces and per behaviour of the issue, each citing the Entra reference', () => {
    expect(library.length).toBeGreaterThanOrEqual(40);
    for (const scenario of library) {
      expect(scenario.refs.some((r) => r.startsWith('Entra ref §')), scenario.id).toBe(true);
      expect(scenario.tags, scenario.id).toContain('entra');
      const dialect = scenario.id.split('.')[1];
      if (dialect === 'legacy' || dialect === 'aadoptscim062020') expect(scenario.tags, scenario.id).toContain(dialect);
      if (dialect === 'aadoptscim062020') expect(JSON.stringify(scenario.settings), scenario.id).toContain('aadOptscim062020');
    }
    const refs = new Set(library.flatMap((s) => s.refs));
    // §10.11–§10.13 ride on the group scenarios; §10.12 (roles) is not simulated (docs/entra.md "Not simulated").
    const quirks = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 14, 15, 16, 17, 18, 19, 20];
    expect(quirks.filter((n) => !refs.has(`Entra ref §10.${n}`))).toEqual([]);
  });

  it('passes against a lenient reference server, twice, eight at a time', async () => {
    const first = await againstReference(library, LENIENT);
    expect(problems(first)).toEqual([]);
    const second = await againstReference(library, LENIENT);
    expect(problems(second)).toEqual([]);
    expect(second.scenarios).toHaveLength(library.length);
  });

  it('a strict reference server fails exactly the scenarios whose traffic departs from RFC 7644, among them every legacy-dialect one that PATCHes', async () => {
    const lenient = await againstReference(library, LENIENT);
    const expected = lenient.scenarios.filter((s) => idp(s).some((e) => departures(e).length > 0)).map((s) => s.id).sort();
    // Every legacy scenario that sends a legacy-only shape is among them, and no flag scenario for a legacy-only shape except on demand (§10.19).
    for (const s of lenient.scenarios) {
      const legacyShapes = idp(s).some((e) => departures(e).some((d) => LEGACY_ONLY.includes(d)));
      if (s.id.startsWith('entra.aadoptscim062020.') && legacyShapes) expect(byId(s.id).tags, s.id).toContain('on-demand');
      if (s.id.startsWith('entra.legacy.') && idp(s).some((e) => e.request.method === 'PATCH')) expect(expected, s.id).toContain(s.id);
    }
    expect(expected.filter((id) => id.startsWith('entra.legacy.')).length).toBeGreaterThanOrEqual(15);

    const strict = await againstReference(library);
    const failed = strict.scenarios.filter((s) => s.status !== 'passed');
    for (const failure of failed) expect(failure.status, failure.id).toBe('failed');
    expect(failed.map((s) => s.id).sort()).toEqual(expected);
  });
});

describe('scenarios/entra against misbehaving targets (Entra ref §10)', () => {
  it('rejects "False" (§6.4, §10.17): the bundled deactivation and title change are lost together, escrowed and retried every cycle', async () => {
    const [bundled, flag] = await againstFault('rejects-string-booleans', [byId('entra.legacy.bundled-deactivation'), byId('entra.aadoptscim062020.disable-on-account-disabled')]);
    expect(problems({ scenarios: [flag!] })).toEqual([]);
    expect(bundled!.status).toBe('failed');
    const failures = logs(bundled!).filter((r) => r.status === 'Failure');
    expect(failures).toHaveLength(2);
    for (const [n, record] of failures.entries()) {
      expect(record).toMatchObject({ user: 'adele', action: 'Disable', status: 'Failure', errorCode: 'SystemForCrossDomainIdentityManagementServiceIncompatible' });
      expect(record.reason).toContain(`This operation was retried ${n} times.`);
      expect(record.reason).toContain('Web Response: {"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"scimType":"invalidValue"');
    }
    // Both PATCHes carried active and title; neither landed.
    const patches = idp(bundled!).filter((e) => e.request.method === 'PATCH');
    expect(patches.map((e) => e.response?.status)).toEqual([400, 400]);
    for (const patch of patches) expect((patch.request.body?.json as { Operations: Op[] }).Operations.map((o) => o.path)).toEqual(['active', 'title']);
    const reads = bundled!.exchanges.filter((e) => e.kind === 'verify');
    expect(reads.at(-1)?.response?.body?.json).toMatchObject({ active: true, title: 'Retail Manager' });
  });

  it('ignores filters (§6.1, §10.15): Entra finds nothing and creates a duplicate at every evaluation', async () => {
    const [result] = await againstFault('ignores-filter', [byId('entra.legacy.matching-query')]);
    expect(result!.status).toBe('failed');
    expect(logs(result!).map((r) => [r.action, r.status])).toEqual([
      ['Create', 'Success'],
      ['Create', 'Success'],
      ['Create', 'Success'],
    ]);
    const created = idp(result!).filter((e) => e.request.method === 'POST' && e.response?.status === 201);
    expect(new Set(created.map((e) => (e.response!.body!.json as { id: string }).id)).size).toBe(3);
    expect(idp(result!).some((e) => e.request.method === 'PATCH')).toBe(false);
  });

  it('answers 401 (§3, §5.6): the job is quarantined at the probe with EncounteredQuarantineException', async () => {
    const [result] = await againstFault('unauthorized', [byId('entra.legacy.initial-cycle-creates')]);
    expect(result!.status).toBe('failed');
    expect(idp(result!).map((e) => e.response?.status)).toEqual([401]);
    expect(logs(result!)).toEqual([]);
    expect(statuses(result!)[0]).toMatchObject({
      code: 'Quarantine',
      quarantine: { reason: 'EncounteredQuarantineException', seriesCount: 1, nextAttempt: '2026-01-05T15:00:00.000Z', error: { code: 'SystemForCrossDomainIdentityManagementCredentialValidationFailure' } },
    });
  });

  it('echoes the manager as a bare string (§4, §10.6): the next read of that user fails with ServiceIncompatible and is escrowed', async () => {
    const [result] = await againstFault('manager-bare-string', [byId('entra.legacy.manager-read-back')]);
    expect(result!.status).toBe('failed');
    const record = logs(result!).at(-1)!;
    expect(record).toMatchObject({ user: 'adele', action: 'Other', status: 'Failure', errorCode: 'SystemForCrossDomainIdentityManagementServiceIncompatible' });
    expect(record.reason).toMatch(/^Failed to match an entry in the source and target systems User 'scim-[0-9a-f]{8}-\d+-adele@contoso\.com'; Error: We are not able to deserialize the resource/);
    expect(idp(result!).filter((e) => e.request.method === 'PATCH')).toHaveLength(1);
  });

});

describe('scenarios/entra that inject their own faults (issue 15)', () => {
  it('ran against the shared server through its admin API, one at a time, and each received its fault', async () => {
    const injecting = library.filter(injectsFaults);
    expect(injecting.map((s) => s.id).sort()).toEqual([
      'entra.escrow.retry-back-off',
      'entra.failure.connection-reset',
      'entra.failure.delete-not-found',
      'entra.failure.delete-not-found-gone',
      'entra.failure.proxy-html-page',
      'entra.failure.server-error-escrowed',
      'entra.failure.timeout',
      'entra.legacy.bundled-deactivation-refused',
      'entra.legacy.manager-bare-string-read-back',
      'entra.quarantine.on-404-group-probe',
      'entra.quarantine.on-404-probe',
      'entra.quarantine.probe-html-page',
      'entra.quarantine.probe-not-filtered',
      'entra.quarantine.probe-server-error',
      'entra.quarantine.server-error-threshold',
      'entra.test-connection.unexpected-answers',
      'entra.throttling.escrow',
      'entra.throttling.retry-after',
      'entra.throttling.retry-after-cap',
      'entra.throttling.retry-after-date',
      'entra.throttling.retry-after-too-long',
    ]);
    const result = await againstReference(injecting, LENIENT);
    expect(problems(result)).toEqual([]);
    for (const run of result.scenarios) {
      // A reset or a hang has no header to say it was injected: the request got no answer.
      expect(idp(run).some((e) => e.fault !== undefined || e.response === undefined), run.id).toBe(true);
    }
  });
});
