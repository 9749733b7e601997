/**
 * RFC 7644 §3.4.2.4: with count, a server "MUST NOT return more results than specified, although it
 * MAY return fewer results"; without it, the page size is the server's. So a server that pages by
 * one is correct, and no scenario without the `strict` tag may fail it. A server that returns more
 * than count is not: ignored-paging.test.ts shows the paging scenarios say so.
 */
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { IDPS } from '../../../harness/idp/registry.js';
import type { RunResult, ScenarioResult } from '../../../harness/result.js';
import { runScenarios } from '../../../harness/runner/run.js';
import { loadScenarios } from '../../../harness/scenario/load.js';
import type { Scenario } from '../../../harness/types.js';
import { createReferenceServer, type ReferenceServer } from '../../../reference-server/app.js';

const RFC7644 = fileURLToPath(new URL('../../../scenarios/rfc7644/', import.meta.url));
const TOKEN = 'paging-token';
// Upper bound only: a run takes seconds, but the machine may be shared with much else.
const RUN_TIMEOUT = 180_000;

let everyRfcScenario: Scenario[] = [];
let listScenarios: Scenario[] = [];

beforeAll(async () => {
  const { scenarios, errors } = await loadScenarios([RFC7644], { idps: IDPS });
  expect(errors).toEqual([]);
  everyRfcScenario = scenarios;
  // Ids follow paths: rfc7644.paging.first-page is scenarios/rfc7644/paging/first-page.yaml.
  listScenarios = scenarios.filter((s) => /^rfc7644\.(paging|sort|search|filter)\./.test(s.id));
  expect(listScenarios.length).toBeGreaterThan(40);
});

async function runAgainst(server: ReferenceServer, scenarios: Scenario[]): Promise<RunResult> {
  const { url } = await server.listen();
  try {
    return await runScenarios(scenarios, { idps: IDPS, target: { url, credentials: { kind: 'bearer', token: TOKEN } }, concurrency: 4 });
  } finally {
    await server.close();
  }
}

const isStrict = (result: ScenarioResult, scenarios: Scenario[]) => scenarios.find((s) => s.id === result.id)!.tags.includes('strict');
const notPassed = (result: RunResult) => result.scenarios.filter((s) => s.status !== 'passed');
const describeFailure = (s: ScenarioResult) =>
  `${s.id} (${s.status}): ${s.reason ?? s.steps.flatMap((step) => step.checks.filter((c) => !c.passed).map((c) => c.message)).join('; ')}`;

describe('a server whose pages are smaller than count', () => {
  it.each([1, 2])('with pages of at most %i, fails no RFC 7644 scenario but the strict ones that want full pages', async (maxPageSize) => {
    const result = await runAgainst(createReferenceServer({ tokens: [TOKEN], maxPageSize }), everyRfcScenario);
    const unfair = notPassed(result).filter((s) => !isStrict(s, everyRfcScenario));
    expect(unfair.map(describeFailure)).toEqual([]);
    // The strict ones fail, so the small pages were really served.
    const strictFailures = notPassed(result).filter((s) => isStrict(s, everyRfcScenario));
    expect(strictFailures.map((s) => [s.id, s.status])).toEqual(
      expect.arrayContaining([
        ['rfc7644.paging.count-above-results', 'failed'],
        ...(maxPageSize < 2 ? [['rfc7644.paging.count-fills-page', 'failed']] : []),
      ]),
    );
  }, RUN_TIMEOUT);
});

describe('the list scenarios against the default reference server', () => {
  it('pass, the strict ones too', async () => {
    const result = await runAgainst(createReferenceServer({ tokens: [TOKEN] }), listScenarios);
    expect(notPassed(result).map(describeFailure)).toEqual([]);
    expect(result.totals.passed).toBe(listScenarios.length);
  }, RUN_TIMEOUT);
});
