import { randomBytes } from 'node:crypto';
import type { ScimClient } from '../http/client.js';
import type { Vars } from '../steps/template.js';
import type { RotateTokenStep, Scenario } from '../types.js';
import type { StepResult } from '../result.js';
import type { AdminApi } from './admin-api.js';

/*
 * The team admin regenerating the target's SCIM key (`target: { rotateToken }` steps, Postman ref
 * §6): on the embedded reference server through its handle, on a served one through its admin API
 * (`scimulator serve --admin-token`). The old key's grace ends on the target's clock (clock.ts).
 */

/** How a scenario rotates its target's key. Each throws an Error in words when it cannot. */
export interface ScenarioKey {
  /** The bearer token the scenario starts with: the key a rotation replaces. */
  readonly initial: string;
  /** Makes `token` the target's key; the keys before it stay valid for the target's grace. */
  rotate(token: string): Promise<void>;
  /** A client like the scenario's, sending `token`: the harness's requests after a rotation. Close it. */
  connect(token: string): ScimClient;
  /** Gives the run's key back to a target the run shares, once the scenario is done; absent when the target is the scenario's own. */
  restore?(): Promise<void>;
}

/** Whether a scenario regenerates its target's key: it then needs a target of its own, or the admin API to itself. */
export function rotatesKey(scenario: Scenario): boolean {
  return scenario.steps.some((step) => step.kind === 'target' && 'rotateToken' in step);
}

/** Why a scenario that regenerates the key is skipped against a target given without `--admin-token`. */
export const NO_ADMIN_TOKEN_KEY = 'regenerates the SCIM key as the team admin: run against the embedded target, or give --admin-token for a scimulator serve --admin-token target';

/** A new key, as the service would generate one: random, never written in a scenario. */
function newKey(): string {
  return randomBytes(24).toString('base64url');
}

const TOKEN_PATH = '/_scimulator/token';

/** The key of a separately served reference server, through its admin API; `restore` gives the run's key back. */
export function adminKey(admin: AdminApi, initial: string, connect: (token: string) => ScimClient): ScenarioKey {
  const rotate = (token: string) => admin.send({ api: 'token', method: 'POST', path: TOKEN_PATH, expected: 204, body: { token } });
  return { initial, rotate, connect, restore: () => rotate(initial) };
}

/** A step's result, timed from `started`. */
export function ended(index: number, name: string, started: number, error?: string): StepResult {
  return { index, name, status: error === undefined ? 'passed' : 'error', checks: [], ...(error !== undefined && { error }), durationMs: Math.round(performance.now() - started) };
}

/**
 * Regenerates the target's key as a `rotateToken` step says: the new key goes into `secrets`
 * before the target hears of it, the key it replaces is saved as `saveOld` asks, and the answer
 * holds the client that sends the new key. A target that cannot is the step's error.
 */
export async function runRotateStep(
  step: RotateTokenStep,
  index: number,
  name: string,
  vars: Vars,
  key: ScenarioKey | undefined,
  current: string | undefined,
  secrets: string[],
): Promise<{ result: StepResult; token?: string; client?: ScimClient }> {
  const started = performance.now();
  if (!key || current === undefined) return { result: ended(index, name, started, "the target's key cannot be regenerated: the run sends no bearer token (--token) for a rotation to replace") };
  const token = newKey();
  // Both keys are kept out of the scenario's result: the old one may now be a saved value.
  secrets.push(token, current);
  try {
    await key.rotate(token);
  } catch (error) {
    return { result: ended(index, name, started, `could not regenerate the target's key: ${error instanceof Error ? error.message : String(error)}`) };
  }
  if (step.rotateToken.saveOld !== undefined) vars.set(step.rotateToken.saveOld, current);
  return { result: ended(index, name, started), token, client: key.connect(token) };
}
