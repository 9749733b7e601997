import { beforeAll, describe, expect, it } from 'vitest';
import { runScenarios } from '../../../harness/runner/run.js';
import { defaultScenarioPaths, loadScenarios } from '../../../harness/scenario/load.js';
import type { RequestStep, Scenario } from '../../../harness/types.js';
import type { RunResult, ScenarioResult } from '../../../harness/result.js';
import { startFaultyTarget, type Fault, type FaultyTarget } from './faulty-target.js';
import { IDPS } from '../../../harness/idp/registry.js';

let library: Scenario[];

beforeAll(async () => {
  const { scenarios, errors } = await loadScenarios(defaultScenarioPaths(), { idps: IDPS });
  expect(errors.map(String)).toEqual([]);
  // A scenario that names its own profile (scenarios/postman/) is written for that target, not for any RFC-correct server.
  library = scenarios.filter((s) => s.idp === 'none' && s.target?.profile === undefined);
  expect(library.length).toBeGreaterThan(0);
});

function requestSteps(scenario: Scenario): RequestStep[] {
  return scenario.steps.filter((s): s is RequestStep => s.kind === 'request');
}

const ids = (results: ScenarioResult[]) => results.map((r) => r.id).sort();
const failed = (result: RunResult) => result.scenarios.filter((s) => s.status !== 'passed' && s.status !== 'skipped');

async function runAgainst(fault: Fault): Promise<RunResult> {
  let target: FaultyTarget | undefined;
  try {
    target = await startFaultyTarget(fault);
    return await runScenarios(library, { idps: IDPS, target: { url: target.url, credentials: { kind: 'bearer', token: target.token } }, concurrency: 4 });
  } finally {
    await target?.close();
  }
}

/**
 * The run caught the fault and nothing else: every scenario outside `exercises` passed, and every
 * failure is a failed check (not a harness error) that names an RFC section.
 */
function expectOnlyFaultyScenariosFail(result: RunResult, exercises: (s: Scenario) => boolean): ScenarioResult[] {
  const byId = new Map(library.map((s) => [s.id, s]));
  const failures = failed(result);
  expect(failures.length).toBeGreaterThan(0);
  const innocent = failures.filter((f) => !exercises(byId.get(f.id)!));
  expect(ids(innocent)).toEqual([]);
  for (const failure of failures) {
    expect(failure.status, `${failure.id}: ${failure.reason ?? ''}`).toBe('failed');
    const checks = failure.steps.flatMap((s) => s.checks).filter((c) => !c.passed);
    expect(checks.length, failure.id).toBeGreaterThan(0);
    for (const check of checks) expect(check.ref, `${failure.id}: ${check.message}`).toMatch(/^RFC 764[34] §/);
  }
  return failures;
}

describe('the RFC 7644 library against the reference server', () => {
  it('passes every scenario', async () => {
    const { createReferenceServer } = await import('../../../reference-server/app.js');
    const server = createReferenceServer({ tokens: ['good'] });
    const { url } = await server.listen();
    try {
      const result = await runScenarios(library, { idps: IDPS, target: { url, credentials: { kind: 'bearer', token: 'good' } }, concurrency: 4 });
      const problems = failed(result).map((f) => `${f.id}: ${f.reason ?? f.steps.flatMap((s) => s.checks.filter((c) => !c.passed).map((c) => c.message)).join('; ')}`);
      expect(problems).toEqual([]);
      expect(result.totals.passed + result.totals.skipped).toBe(library.length);
    } finally {
      await server.close();
    }
  });
});

describe('a target with one fault fails exactly the scenarios that exercise it', () => {
  it('a 500 on every filtered list fails the scenarios that filter, with the status check', async () => {
    const usesFilter = (s: Scenario) =>
      requestSteps(s).some((step) => step.request.query?.filter !== undefined || /[?&]filter=/.test(step.request.path));
    const failures = expectOnlyFaultyScenariosFail(await runAgainst('filter-500'), usesFilter);
    expect(ids(failures)).toEqual(library.filter(usesFilter).map((s) => s.id).sort());
    for (const failure of failures) {
      const checks = failure.steps.flatMap((s) => s.checks).filter((c) => !c.passed);
      expect(checks.some((c) => c.what === 'status' && /500/.test(c.message))).toBe(true);
    }
  });

  it('plain-text error bodies fail the scenarios that check an error body', async () => {
    const checksErrorBody = (s: Scenario) =>
      requestSteps(s).some((step) => {
        const statuses = [step.expect?.status ?? []].flat();
        return statuses.some((code) => code >= 400) && (step.expect?.schema !== undefined || step.expect?.body !== undefined);
      });
    const failures = expectOnlyFaultyScenariosFail(await runAgainst('plain-text-errors'), checksErrorBody);
    expect(ids(failures)).toEqual(library.filter(checksErrorBody).map((s) => s.id).sort());
  });

  it('a missing Location header fails the scenarios that check it', async () => {
    const checksLocation = (s: Scenario) =>
      requestSteps(s).some(
        (step) =>
          Object.keys(step.expect?.headers ?? {}).some((h) => h.toLowerCase() === 'location') ||
          Object.values(step.save ?? {}).some((save) => typeof save === 'object' && 'header' in save && save.header.toLowerCase() === 'location'),
      );
    const failures = expectOnlyFaultyScenariosFail(await runAgainst('no-location'), checksLocation);
    expect(ids(failures)).toEqual(library.filter(checksLocation).map((s) => s.id).sort());
  });

  it('a duplicate userName accepted fails the uniqueness scenarios (RFC 7644 §3.3: 409)', async () => {
    const expectsConflict = (s: Scenario) => requestSteps(s).some((step) => [step.expect?.status ?? []].flat().includes(409));
    const failures = expectOnlyFaultyScenariosFail(await runAgainst('duplicate-username-200'), expectsConflict);
    expect(ids(failures)).toEqual(expect.arrayContaining(['rfc7644.errors.uniqueness-error-body', 'rfc7644.users.username-unique-409', 'rfc7644.users.username-unique-ignoring-case']));
  });

  it('a PATCH that keeps the operations before a failed one fails the atomicity scenarios (RFC 7644 §3.5.2)', async () => {
    const refusedMultiOperationPatch = (s: Scenario) =>
      requestSteps(s).some((step) => {
        const ops = (step.request.body as { Operations?: unknown[] } | undefined)?.Operations;
        return step.request.method.toUpperCase() === 'PATCH' && Array.isArray(ops) && ops.length > 1 && [step.expect?.status ?? []].flat().some((c) => c >= 400);
      });
    const failures = expectOnlyFaultyScenariosFail(await runAgainst('non-atomic-patch'), refusedMultiOperationPatch);
    expect(ids(failures)).toContain('rfc7644.patch.atomic');
  });

  it('a PATCH that ignores its path fails PATCH scenarios, and only those', async () => {
    const patchesWithPath = (s: Scenario) =>
      requestSteps(s).some((step) => {
        if (step.request.method.toUpperCase() !== 'PATCH') return false;
        const ops = (step.request.body as { Operations?: { path?: unknown }[] } | undefined)?.Operations;
        return Array.isArray(ops) && ops.some((op) => op.path !== undefined);
      });
    const failures = expectOnlyFaultyScenariosFail(await runAgainst('patch-ignores-path'), patchesWithPath);
    expect(failures.length).toBeGreaterThan(5);
  });
});

