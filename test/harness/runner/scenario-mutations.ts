import { describe, expect, it } from 'vitest';
import { IDPS } from '../../../harness/idp/registry.js';
import type { ScenarioResult } from '../../../harness/result.js';
import { runScenarios } from '../../../harness/runner/run.js';
import type { Scenario } from '../../../harness/types.js';

/*
 * Mutation tests of library scenarios: a scenario is only worth its place if it FAILS when the
 * simulator does the wrong thing. Each mutation installs a test-only patch (the caller restores
 * mocks after each test) or turns a documented setting the other way.
 */

export interface Mutation {
  /** What the mutated simulator does instead. */
  what: string;
  /** Installs a test-only patch (undone after the test). */
  patch?: () => void;
  /** Or changes the scenario's settings. */
  scenario?: (scenario: Scenario) => Scenario;
  /** Checks that must be among the failed ones: the reaction the scenario is about. */
  fails: string[];
}

/** A setting turned the other way: the scenario file's settings with `settings` over them. */
export const withSettings = (settings: Record<string, unknown>) => (scenario: Scenario): Scenario => ({ ...scenario, settings: { ...scenario.settings, ...settings } });

export const failedChecks = (result: ScenarioResult) => result.steps.flatMap((step) => step.checks.filter((check) => !check.passed));

/** One test per mutation: the mutated scenario fails, among others on the checks it names. */
export function describeMutations(mutations: Record<string, Mutation[]>, byId: (id: string) => Scenario): void {
  describe.each(Object.entries(mutations))('%s', (id, list) => {
    it.each(list.map((m) => [m.what, m] as const))('fails when the simulator %s', async (_, mutation) => {
      mutation.patch?.();
      const scenario = (mutation.scenario ?? ((s: Scenario) => s))(byId(id));
      const result = (await runScenarios([scenario], { idps: IDPS })).scenarios[0]!;
      expect(result.status, result.reason).toBe('failed');
      const failed = failedChecks(result).map((c) => c.what);
      expect(failed, JSON.stringify(failedChecks(result).map((c) => c.message))).toEqual(expect.arrayContaining(mutation.fails));
    });
  });
}
