/**
 * `scimulator/vitest`: scenarios as vitest test cases, in a user's own test suite. vitest is an
 * optional peer dependency: only this module needs it.
 */
import { beforeAll, describe, it } from 'vitest';
import { whyText } from '../reports/causes.js';
import { failureMessage, loadScenarios, runScenarios, type RunResult, type RunScenariosOptions, type ScenarioPaths, type Selection, type Target } from './api.js';

export interface ScenarioTestOptions extends Omit<RunScenariosOptions, 'target'>, Selection {
  /**
   * The server to test: a URL or a Target, or a function giving one, called when the run starts
   * (after the file's own `beforeAll`s, so it may name a server one of them started). Without it,
   * the reference server starts in-process.
   */
  target?: string | Target | (() => string | Target);
  /** The name of the `describe` block; default `scimulator`. */
  name?: string;
  /** How long the whole run may take, in ms (vitest's hook timeout); default 5 minutes. */
  timeout?: number;
}

/**
 * Declares one vitest test per scenario in `paths` (default the bundled library), in a `describe`
 * block: the scenarios run together in its `beforeAll`, as `scimulator run` runs them, and each
 * test then fails with the console report's words for its scenario, or is skipped with the reason
 * it was skipped or blocked. Await it at the top of the test file: the scenarios are read first.
 */
export async function scenarioTests(paths?: ScenarioPaths, options: ScenarioTestOptions = {}): Promise<void> {
  const { name = 'scimulator', timeout = 300_000, grep, tags, excludeTags, target, ...run } = options;
  const scenarios = await loadScenarios(paths, { grep, tags, excludeTags });
  describe(name, () => {
    let result: RunResult | undefined;
    beforeAll(async () => {
      result = await runScenarios(scenarios, { ...run, ...(target !== undefined && { target: typeof target === 'function' ? target() : target }) });
    }, timeout);
    for (const scenario of scenarios) {
      it(`${scenario.id} — ${scenario.title}`, (context) => {
        const outcome = result?.scenarios.find((s) => s.id === scenario.id);
        // Not in the result: the run was interrupted before it started.
        if (!outcome) throw new Error(`${scenario.id} did not run: the run was interrupted`);
        if (outcome.status === 'skipped' || outcome.status === 'blocked') context.skip(`${outcome.status}: ${whyText(outcome)}`);
        if (outcome.status === 'failed' || outcome.status === 'error') throw new Error(failureMessage(outcome));
      });
    }
  });
}
