import type { InviteControl } from '../../reference-server/team/team.js';
import { ScimError } from '../../scim/errors.js';
import { fillTemplates, TemplateError, type Vars } from '../steps/template.js';
import type { InviteStep, Scenario } from '../types.js';
import type { StepResult } from '../result.js';
import { AdminApiError, type AdminApi } from './admin-api.js';

/*
 * The team admin a scenario acts as (`target: { invite: … }` steps, docs/scenario-format.md): it
 * accepts or deletes a pending invite of a target whose profile invites existing accounts
 * (docs/profiles.md, `team`). On the embedded reference server through the server's own handle, on a
 * separately served one through its admin API (`scimulator serve --admin-token`). Invites are
 * keyed by email, so scenarios acting on them share their target and run with the others.
 */

/** What the target answered when it would not act: its status and its words. */
export interface InviteRefusal {
  status: number;
  detail: string;
}

/** How a scenario acts on its target's pending invites. */
export interface ScenarioInvites {
  /**
   * Accepts or deletes the invite pending for `key` (its email or id): undefined once done, the
   * target's refusal when it would not (no such invite). Throws an Error in words when it could not ask.
   */
  act(action: InviteStep['invite']['action'], key: string): Promise<InviteRefusal | undefined>;
}

/** Whether a scenario acts as its target's team admin: against `--target` it needs the admin API. */
export function actsAsAdmin(scenario: Scenario): boolean {
  return scenario.steps.some((step) => step.kind === 'target' && 'invite' in step);
}

/** Why a scenario that acts on invites is skipped against a target given without `--admin-token`. */
export const NO_ADMIN_TOKEN_INVITES = 'acts as the team admin: run against the embedded target, or give --admin-token for a scimulator serve --admin-token target';

/** The invites of an embedded server, through its handle; its SCIM errors are its refusals. */
export function embeddedInvites(control: InviteControl): ScenarioInvites {
  return {
    async act(action, key) {
      try {
        await (action === 'accept' ? control.accept(key) : control.delete(key));
        return undefined;
      } catch (error) {
        if (error instanceof ScimError) return { status: error.status, detail: error.detail };
        throw error;
      }
    },
  };
}

const INVITES_PATH = '/_scimulator/invites';

/** The invites of a separately served reference server, through its admin API. */
export function adminInvites(admin: AdminApi): ScenarioInvites {
  return {
    async act(action, key) {
      const path = `${INVITES_PATH}/${encodeURIComponent(key)}`;
      try {
        await admin.send(action === 'accept' ? { api: 'invite', method: 'POST', path: `${path}/accept`, expected: 200 } : { api: 'invite', method: 'DELETE', path, expected: 204 });
        return undefined;
      } catch (error) {
        // The invite API's 404 says, in its detail, that no such invite is pending; a 404 without one is a server without the API.
        if (error instanceof AdminApiError && error.status === 404 && error.detail !== undefined) return { status: error.status, detail: error.detail };
        throw error;
      }
    },
  };
}

/**
 * Performs an invite step, its key's templates filled. It passes when the target did it, fails
 * with the target's words when it would not, or when the target has no invites at all (`invites`
 * absent: an embedded profile without team accounts); it is an error when the target could not be asked.
 */
export async function runInviteStep(step: InviteStep, index: number, name: string, vars: Vars, invites: ScenarioInvites | undefined): Promise<StepResult> {
  const started = performance.now();
  const { action } = step.invite;
  const ended = (result: Pick<StepResult, 'status'> & Partial<StepResult>): StepResult => ({ index, name, checks: [], ...result, durationMs: Math.round(performance.now() - started) });
  const failed = (message: string) => ended({ status: 'failed', checks: [{ what: `invite ${action}`, passed: false, message }] });
  let key: string;
  try {
    key = fillTemplates(step.invite.key, vars, index) as string;
  } catch (error) {
    if (!(error instanceof TemplateError)) throw error;
    return ended({ status: 'error', error: error.message });
  }
  if (!invites) return failed(`the target has no invites to ${action}: its profile has no team accounts (docs/profiles.md, team), so no POST /Users invites one`);
  try {
    const refusal = await invites.act(action, key);
    return refusal ? failed(`the target did not ${action} the invite for ${key}: it answered ${refusal.status}: ${refusal.detail}`) : ended({ status: 'passed' });
  } catch (error) {
    return ended({ status: 'error', error: `could not ${action} the invite for ${key}: ${error instanceof Error ? error.message : String(error)}` });
  }
}
