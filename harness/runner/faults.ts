import { Pool, request } from 'undici';
import type { FaultControl } from '../../reference-server/faults/injector.js';
import type { FaultRule, Scenario } from '../types.js';

/*
 * The faults a scenario injects into its target (`target.faults`, `target:` steps): on the
 * embedded reference server through its own control, on a separately served one through its
 * admin API (`scimulator serve --admin-token`, docs/faults.md).
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
  return scenario.target?.faults !== undefined || scenario.steps.some((step) => step.kind === 'target');
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

/** Where a served reference server has its admin API: outside the SCIM base path, at the root of its origin. */
const ADMIN_PATH = '/_scimulator/faults';

/**
 * What an admin API answer means for the user, past the status: the token or the server to fix.
 * A server without the admin API answers its path like any unknown one: 404, or a SCIM 401 to a
 * token that is no SCIM credential; the admin API's own 401 names its realm.
 */
function adminAdvice(status: number, authenticate: string | undefined, detail: string | undefined): string {
  if (status === 401 && authenticate?.includes('scimulator-admin')) return 'the target refused the admin token: give run --admin-token the token given to scimulator serve --admin-token';
  if (status === 404 || status === 401) return 'the target has no fault admin API: start it with scimulator serve --admin-token TOKEN and give run --admin-token the same token';
  return detail ?? 'unexpected answer';
}

/**
 * The admin API of a separately served reference server at `targetUrl`'s origin, with the admin
 * token (sent to that API only, never recorded). Its rules are the whole server's: the runner runs
 * the scenarios that use it one at a time. `close` ends its connection.
 */
export function adminFaults(targetUrl: string, token: string, timeoutMs: number): ScenarioFaults & { close(): Promise<void> } {
  const origin = new URL(targetUrl).origin;
  const url = `${origin}${ADMIN_PATH}`;
  const pool = new Pool(origin, { connections: 1, headersTimeout: timeoutMs, bodyTimeout: timeoutMs, connect: { timeout: timeoutMs } });
  const send = async (method: 'PUT' | 'DELETE', expected: number, body?: unknown): Promise<void> => {
    let answer: { status: number; authenticate?: string; text: string };
    try {
      const response = await request(url, {
        dispatcher: pool,
        method,
        headers: { authorization: `Bearer ${token}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });
      const authenticate = response.headers['www-authenticate'];
      answer = { status: response.statusCode, authenticate: [authenticate ?? []].flat().join(', '), text: await response.body.text() };
    } catch (error) {
      throw new Error(`${method} ${url} got no answer: ${(error as Error).message}`);
    }
    if (answer.status === expected) return;
    let detail: string | undefined;
    try {
      const parsed = JSON.parse(answer.text) as { detail?: unknown };
      if (typeof parsed.detail === 'string') detail = parsed.detail;
    } catch {
      // Not JSON: the status says enough.
    }
    throw new Error(`${method} ${url} answered ${answer.status}: ${adminAdvice(answer.status, answer.authenticate, detail)}`);
  };
  return {
    install: (rules) => send('PUT', 200, { rules }),
    clear: () => send('DELETE', 204),
    close: () => pool.close(),
  };
}
