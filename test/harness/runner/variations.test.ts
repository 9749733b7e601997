/**
 * The whole scenario library against servers that are correct but different (issue 12): the
 * reference server with each RFC-correct variation, and with all of them at once. No scenario
 * without the `strict` tag may fail; whatever does not pass names its one cause.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScenarios } from '../../../harness/runner/run.js';
import { defaultScenarioPaths, loadScenarios } from '../../../harness/scenario/load.js';
import type { Scenario } from '../../../harness/types.js';
import type { RunResult, ScenarioResult } from '../../../harness/result.js';
import { renderConsoleSummary } from '../../../reports/console.js';
import type { Variation } from '../../../reference-server/variations.js';
import { LENIENT } from '../../../scim/compat.js';
import { ALL_VARIATIONS, startVariantTarget } from './faulty-target.js';
import { IDPS } from '../../../harness/idp/registry.js';

let library: Scenario[] = [];

beforeAll(async () => {
  const { scenarios, errors } = await loadScenarios(defaultScenarioPaths(), { idps: IDPS });
  expect(errors).toEqual([]);
  // A scenario that names its own profile (scenarios/postman/) is written for that target, not for any RFC-correct server.
  library = scenarios.filter((s) => s.target?.profile === undefined);
});

/**
 * Runs the library as `npm start` does, against a variant: Entra's scenarios against a lenient
 * instance (its legacy dialect departs from the RFC), the others against a strict one.
 */
async function runAgainst(variations: readonly Variation[]): Promise<RunResult[]> {
  const run = async (scenarios: Scenario[], lenient: boolean) => {
    const target = await startVariantTarget(variations, lenient ? { compat: LENIENT } : {});
    try {
      return await runScenarios(scenarios, { idps: IDPS, target: { url: target.url, credentials: { kind: 'bearer', token: target.token } } });
    } finally {
      await target.close();
    }
  };
  return Promise.all([run(library.filter((s) => s.idp !== 'entra'), false), run(library.filter((s) => s.idp === 'entra'), true)]);
}

const notPassed = (results: RunResult[]) => results.flatMap((r) => r.scenarios).filter((s) => s.status !== 'passed');
const falseFailures = (results: RunResult[]) =>
  notPassed(results)
    .filter((s) => (s.status === 'failed' || s.status === 'error') && !s.tags.includes('strict'))
    .map((s) => `${s.id}: ${s.cause?.summary ?? s.reason}`);

describe('the library against correct but different servers', () => {
  for (const variation of ALL_VARIATIONS) {
    it(`fails no non-strict scenario against a server with ${variation}, and names the cause of each that does not pass`, async () => {
      const results = await runAgainst([variation]);
      expect(falseFailures(results)).toEqual([]);
      for (const s of notPassed(results)) expect(s.cause?.summary, s.id).toBeTruthy();
    });
  }

  describe('with every variation at once', () => {
    let results: RunResult[] = [];
    beforeAll(async () => {
      results = await runAgainst(ALL_VARIATIONS);
    }, 60_000);

    it('fails no non-strict scenario', () => {
      expect(falseFailures(results)).toEqual([]);
    });

    it('blocks or skips what it cannot run, each under one cause shared by every scenario it stopped', () => {
      const [rfc] = results;
      const byKey = new Map(rfc!.causes.map((c) => [c.key, c]));
      const sw = [...byKey.values()].find((c) => c.key === 'filter-operator:sw');
      expect(sw?.effect).toBe('blocked');
      expect(sw!.scenarios.length).toBeGreaterThan(5);
      expect(byKey.get('endpoint:search')?.effect).toBe('blocked');
      const stopped: ScenarioResult[] = rfc!.scenarios.filter((s) => s.status === 'blocked' || s.status === 'skipped');
      for (const s of stopped) expect(rfc!.causes.some((c) => c.scenarios.includes(s.id)), s.id).toBe(true);
    });

    it('opens the console summary with each root cause once, with its count', () => {
      const [rfc] = results;
      const lines = renderConsoleSummary(rfc!, { color: false }).trimStart().split('\n');
      expect(lines[0]).toBe('Root causes:');
      const lead = lines.slice(1, 1 + rfc!.causes.length);
      rfc!.causes.forEach((cause, i) => {
        const count = cause.scenarios.length;
        expect(lead[i]).toContain(cause.summary);
        expect(lead[i]).toContain(`— ${count} scenario${count === 1 ? '' : 's'} ${cause.effect}`);
        expect(lead.filter((line) => line.includes(cause.summary))).toHaveLength(1);
      });
    });
  });
});

afterAll(() => {
  library = [];
});
