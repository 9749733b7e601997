import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { IDPS } from '../../../harness/idp/registry.js';
import type { RunResult, ScenarioResult } from '../../../harness/result.js';
import { runScenarios } from '../../../harness/runner/run.js';
import { loadScenarios } from '../../../harness/scenario/load.js';
import type { Scenario } from '../../../harness/types.js';

/*
 * Mutation tests of library scenarios: a scenario is only worth its place if it FAILS when the
 * simulator does the wrong thing. Each mutation installs a test-only patch (undone after each
 * test) or turns a documented setting the other way; nothing here adds a production flag.
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

/** A setting left out, as a simulator without it would run the scenario. */
export const withoutSetting = (name: string) => (scenario: Scenario): Scenario => ({
  ...scenario,
  settings: Object.fromEntries(Object.entries(scenario.settings).filter(([key]) => key !== name)),
});

export const failedChecks = (result: ScenarioResult) => result.steps.flatMap((step) => step.checks.filter((check) => !check.passed));

/** One line per scenario that did not pass, with why: `[]` when all passed. */
export const problems = (result: RunResult) =>
  result.scenarios.filter((s) => s.status !== 'passed').map((s) => `${s.id}: ${s.status} ${s.reason ?? failedChecks(s).map((c) => c.message).join('; ')}`);

/** The scenarios of `paths` (files or folders), loaded once for the test file; mocks are restored after each test. */
export function scenarioLibrary(paths: string[]): { all: () => Scenario[]; byId: (id: string) => Scenario } {
  let library: Scenario[] = [];
  beforeAll(async () => {
    const { scenarios, errors } = await loadScenarios(paths, { idps: IDPS });
    expect(errors.map(String)).toEqual([]);
    library = scenarios;
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });
  return {
    all: () => library,
    byId: (id) => {
      const scenario = library.find((s) => s.id === id);
      if (!scenario) throw new Error(`no scenario ${id}`);
      return scenario;
    },
  };
}

/** One test per mutation: the scenario, each on its own embedded target, fails under the mutation, among others on the checks it names. */
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
