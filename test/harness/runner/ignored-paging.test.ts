/**
 * Many real servers ignore paging (docs/profiles.md, `parameters.ignored`): every list answers from
 * the first result, or holds the whole page size whatever `count` asked. Neither is RFC 7644
 * §3.4.2.4's paging, and the harness must catch both: the scenarios that page or read a sort order
 * one position per request fail, on their body checks, and no other scenario does.
 */
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { IDPS } from '../../../harness/idp/registry.js';
import type { RunResult, ScenarioResult } from '../../../harness/result.js';
import { runScenarios } from '../../../harness/runner/run.js';
import { loadScenarios } from '../../../harness/scenario/load.js';
import type { Scenario } from '../../../harness/types.js';
import { createReferenceServer } from '../../../reference-server/app.js';
import type { ListParameter } from '../../../scim/profile/fields.js';

const RFC7644 = fileURLToPath(new URL('../../../scenarios/rfc7644/', import.meta.url));
const TOKEN = 'ignored-paging-token';
// Upper bound only: a run takes seconds, but the machine may be shared with much else.
const RUN_TIMEOUT = 180_000;

let everyRfcScenario: Scenario[] = [];

beforeAll(async () => {
  const { scenarios, errors } = await loadScenarios([RFC7644], { idps: IDPS });
  expect(errors).toEqual([]);
  everyRfcScenario = scenarios;
});

/** Every RFC 7644 scenario against an embedded reference server whose profile ignores `ignored`. */
async function runIgnoring(ignored: ListParameter[]): Promise<RunResult> {
  const server = createReferenceServer({ tokens: [TOKEN], profile: { parameters: { ignored } } });
  const { url } = await server.listen();
  try {
    return await runScenarios(everyRfcScenario, { idps: IDPS, target: { url, credentials: { kind: 'bearer', token: TOKEN } }, concurrency: 4 });
  } finally {
    await server.close();
  }
}

const describeFailure = (s: ScenarioResult) =>
  `${s.id} (${s.status}): ${s.reason ?? s.steps.flatMap((step) => step.checks.filter((c) => !c.passed).map((c) => c.message)).join('; ')}`;

/** The scenarios that did not pass, each checked to have failed on paging or sorting checks of a 2xx answer's body. */
function pagingFailures(result: RunResult): string[] {
  const failed = result.scenarios.filter((s) => s.status !== 'passed');
  for (const scenario of failed) {
    expect(scenario.status, describeFailure(scenario)).toBe('failed');
    const checks = scenario.steps.flatMap((step) => step.checks).filter((c) => !c.passed);
    expect(checks.map((c) => c.what)).not.toContain('status');
    expect(checks.every((c) => /^RFC 7644 §3\.4\.(2\.[34]|3)$/.test(c.ref ?? '')), describeFailure(scenario)).toBe(true);
  }
  return failed.map((s) => s.id).sort();
}

describe('a server that ignores startIndex', () => {
  it('fails the scenarios that page past the first result or read a sort order one position per request', async () => {
    const result = await runIgnoring(['startIndex']);
    expect(pagingFailures(result)).toEqual([
      'rfc7644.paging.groups-page',
      'rfc7644.paging.items-per-page-last-page',
      'rfc7644.paging.pages-cover-all-once',
      'rfc7644.paging.past-the-end',
      'rfc7644.paging.start-index-echoed',
      'rfc7644.search.users-paging',
      'rfc7644.search.users-sort',
      'rfc7644.sort.case-insensitive-string',
      'rfc7644.sort.groups-displayname-descending',
      'rfc7644.sort.missing-values-last',
      'rfc7644.sort.multi-valued-primary',
      'rfc7644.sort.sort-before-paging',
      'rfc7644.sort.sub-attribute',
      'rfc7644.sort.username-ascending',
      'rfc7644.sort.username-ascending-default',
      'rfc7644.sort.username-descending',
    ]);
    // The page asked for was the third: the check names what the server said instead.
    const echoed = result.scenarios.find((s) => s.id === 'rfc7644.paging.start-index-echoed')!;
    expect(echoed.steps.flatMap((step) => step.checks).find((c) => !c.passed)?.message).toBe('expected startIndex to equal 3, got 1');
  }, RUN_TIMEOUT);
});

describe('a server that ignores count', () => {
  it('fails the scenarios that page with a count below the number of matches, and no other', async () => {
    const result = await runIgnoring(['count']);
    expect(pagingFailures(result)).toEqual([
      'rfc7644.paging.count-fills-page',
      'rfc7644.paging.count-negative',
      'rfc7644.paging.count-zero',
      'rfc7644.paging.first-page',
      'rfc7644.paging.groups-page',
      'rfc7644.paging.pages-cover-all-once',
      'rfc7644.paging.start-index-echoed',
      'rfc7644.paging.start-index-negative',
      'rfc7644.paging.start-index-zero',
      'rfc7644.search.users-paging',
      'rfc7644.sort.sort-before-paging',
    ]);
    // The first page of five with count 2 came back whole: the check names what it wanted.
    const firstPage = result.scenarios.find((s) => s.id === 'rfc7644.paging.first-page')!;
    expect(firstPage.steps.flatMap((step) => step.checks).find((c) => !c.passed)?.message).toMatch(/^expected \$ to be one of /);
  }, RUN_TIMEOUT);
});
