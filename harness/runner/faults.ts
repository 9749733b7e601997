import type { FaultControl } from '../../reference-server/faults/injector.js';
import type { FaultRule, Scenario } from '../types.js';
import type { AdminApi } from './admin-api.js';

/*
 * The faults a scenario injects into its target (`target.faults`, `target: { faults }` steps):
 * on the embedded reference server through its own control, on a separately served one through
 * its admin API (`scimulator serve --admin-token`, docs/faults.md).
 */

/** How a scenario changes its target's fault rules. Both throw an Error in words when they cannot. */
export interface ScenarioFaults {
  /** Replaces the rules in force (`[]`: none). */
  install(rules: readonly FaultRule[]): Promise<void>;
  /** Removes every rule: before the scenario's cleanup, and after it. */
  clear(): Promise<void>;
  /** The label of a rule that acted since the last call, when the target can tell (see Transcript). */
  injectedSince?(): string | undefined;
}

/** Whether a scenario changes its target's faults: it then needs a target of its own, or the admin API to itself. */
export function injectsFaults(scenario: Scenario): boolean {
  return scenario.target?.faults !== undefined || scenario.steps.some((step) => step.kind === 'target' && 'faults' in step);
}

/** Why a scenario that injects faults is skipped against a target given without `--admin-token`. */
export const NO_ADMIN_TOKEN = 'injects faults: run against the embedded target, or give --admin-token for a scimulator serve --admin-token target';

/**
 * The faults of an embedded server that serves one scenario alone: its counts tell which rule
 * acted on a request that got no answer (a reset, a hang), where no header can.
 */
export function embeddedFaults(control: FaultControl): ScenarioFaults {
  let seen: number[] = [];
  const acted = () => control.list().rules.map((rule) => rule.acted);
  return {
    install: async (rules) => {
      control.install(rules);
      seen = acted();
    },
    clear: async () => {
      control.clear();
      seen = [];
    },
    injectedSince: () => {
      const rules = control.list().rules;
      const fired = rules.find((rule, i) => rule.acted > (seen[i] ?? 0));
      seen = rules.map((rule) => rule.acted);
      return fired?.label;
    },
  };
}

/** Where a served reference server has its fault admin API: outside the SCIM base path, at the root of its origin. */
const ADMIN_PATH = '/_scimulator/faults';

/**
 * The faults of a separately served reference server, through its admin API. Its rules are the
 * whole server's: the runner runs the scenarios that use it one at a time.
 */
export function adminFaults(admin: AdminApi): ScenarioFaults {
  return {
    install: (rules) => admin.send({ api: 'fault', method: 'PUT', path: ADMIN_PATH, expected: 200, body: { rules } }),
    clear: () => admin.send({ api: 'fault', method: 'DELETE', path: ADMIN_PATH, expected: 204 }),
  };
}
