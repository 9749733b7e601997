import { STATUS_CODES } from 'node:http';
import { getKey, isObject } from '../../../scim/schema/keys.js';

/*
 * What the Okta admin sees: System Log event types of the catalogue (Okta ref §12, S20) and the task messages of
 * Okta ref §12, built from the observed templates. Texts the reference has no capture for are
 * marked UNVERIFIED and follow §12's format: `<Okta message>: <third-party message>`.
 */

export const EVENT = {
  push: 'application.provision.user.push',
  pushProfile: 'application.provision.user.push_profile',
  deactivate: 'application.provision.user.deactivate',
  reactivate: 'application.provision.user.reactivate',
  pushPassword: 'application.provision.user.push_password',
  /** Granular deprovisioning, 2026 (Okta ref §10.5). */
  deleteUser: 'application.provision.user.delete',
  importUsers: 'application.provision.user.import',
  importGroups: 'application.provision.group.import',
  /** A Group Push that succeeded, as S14 logged one; also a membership change and a rename. */
  groupUpdated: 'application.provision.group_push.updated',
  /** A Group Push that failed, as S14 logged one for a 502 (Okta ref §12). */
  groupAdd: 'application.provision.group.add',
  groupPushMemberships: 'application.provision.group_push.push_memberships',
  groupRemoved: 'application.provision.group_push.removed',
} as const;

export type EventType = (typeof EVENT)[keyof typeof EVENT];

/** What came back for a request: an HTTP answer, or no answer at all. */
export type Reply = { status: number; text: string; headers: Record<string, string> } | { error: string };

/** Jackson's wording for the first thing in `text` that is not JSON (Okta ref §2.4, §12). */
export function jacksonError(text: string): string {
  let line = 1;
  let column = 1;
  let at = 0;
  for (; at < text.length && /\s/.test(text[at]!); at++) {
    if (text[at] === '\n') [line, column] = [line + 1, 1];
    else column++;
  }
  const expecting = "(JSON String, Number, Array, Object or token 'null', 'true' or 'false')";
  // Jackson reads an unknown word up to the first character that cannot be part of a Java identifier.
  const token = /^[A-Za-z_$][\w$]*/.exec(text.slice(at))?.[0];
  if (token !== undefined) return `Unrecognized token '${token}': was expecting ${expecting} at [line: ${line}, column: ${column + token.length}]`;
  const c = text[at] ?? '';
  return `Unexpected character ('${c}' (code ${c.codePointAt(0) ?? 0})): expected a valid value ${expecting} at [line: ${line}, column: ${column + 1}]`;
}

/** The body as Jackson would read it, whatever its Content-Type (Okta is not strict about it, Okta ref §2.4). */
export function parseJson(text: string): { json: unknown } | { invalid: string } {
  try {
    return { json: JSON.parse(text) as unknown };
  } catch (error) {
    return { invalid: /^\s*[[{"]/.test(text) ? (error as Error).message : jacksonError(text) };
  }
}

function reasonPhrase(status: number): string {
  return STATUS_CODES[status] ?? `HTTP ${status}`;
}

/**
 * The third-party half of a message: `<HTTP reason phrase>. Errors reported by remote server: <SCIM detail>`
 * (Okta ref §12), `Invalid JSON: …` for a body that is not JSON (S14), the failure itself when there was no answer.
 */
export function remoteError(reply: Reply): string {
  if ('error' in reply) return reply.error;
  let detail = '';
  if (reply.text.trim() !== '') {
    const parsed = parseJson(reply.text);
    if ('invalid' in parsed) detail = `Invalid JSON: ${parsed.invalid}`;
    else if (isObject(parsed.json) && typeof getKey(parsed.json, 'detail') === 'string') detail = getKey(parsed.json, 'detail') as string;
  }
  return `${reasonPhrase(reply.status)}. Errors reported by remote server: ${detail}`.trimEnd();
}

// Task messages. `user` is the person as the console names them (first and last name), `appUser`
// the app username, as in the observed texts (S17, S18, snipe-it#18864, fleetdm#53446).

export const EMPTY_USER = 'Create new user returned empty user.';
export const MATCHING_USER_NOT_FOUND = 'Matching user not found.';

export const message = {
  provisioning: (user: string, app: string, reason: string) => `Automatic provisioning of user ${user} to app ${app} failed: ${reason}`,
  profilePush: (user: string, app: string, reason: string) => `Automatic profile push of user ${user} to app ${app} failed: ${reason}`,
  verifying: (appUser: string, remote: string) => `Error while verifying if user ${appUser} exists: ${remote}`,
  creating: (appUser: string, remote: string) => `Error while creating user ${appUser}: ${remote}`,
  pushingProfile: (appUser: string, remote: string) => `Error while trying to push profile update for ${appUser}: ${remote}`,
  /** UNVERIFIED wording (Okta ref §12 has no capture of a failed deactivation). */
  deprovisioning: (user: string, app: string, reason: string) => `Automatic deprovisioning of user ${user} from app ${app} failed: ${reason}`,
  deactivating: (appUser: string, remote: string) => `Error while deactivating user ${appUser}: ${remote}`,
  /** UNVERIFIED wording, for granular deprovisioning (Okta ref §10.5). */
  deleting: (appUser: string, remote: string) => `Error while deleting user ${appUser}: ${remote}`,
  /** UNVERIFIED wording (S20 has `application.provision.user.password`, "Issue pushing user password"). */
  passwordPush: (user: string, app: string, reason: string) => `Automatic password push of user ${user} to app ${app} failed: ${reason}`,
  pushingPassword: (appUser: string, remote: string) => `Error while pushing password for user ${appUser}: ${remote}`,
  /** Observed for a membership PATCH (scim-for-keycloak#144); used for every Group Push update. */
  groupPush: (group: string, reason: string) => `Unable to update Group Push mapping target App group ${group}: ${reason}`,
  /** As captured: no colon between the group and the remote part. */
  updatingMembership: (group: string, remote: string) => `Error while updating user group membership for group ${group} ${remote}`,
  /** UNVERIFIED wordings for the group lookup, create, rename and delete. */
  findingGroup: (group: string, remote: string) => `Error while verifying if group ${group} exists: ${remote}`,
  noSuchGroup: (group: string) => `No group named ${group} was found in the app to link to`,
  creatingGroup: (group: string, remote: string) => `Error while creating user group ${group}: ${remote}`,
  emptyGroup: (group: string) => `Error while creating user group ${group}: Create new group returned empty group.`,
  renamingGroup: (group: string, remote: string) => `Error while updating user group ${group}: ${remote}`,
  deletingGroup: (group: string, remote: string) => `Error while deleting user group ${group}: ${remote}`,
  /** UNVERIFIED wording for a failed import page. */
  importing: (what: 'users' | 'groups', app: string, remote: string) => `Import of ${what} from app ${app} failed: ${remote}`,
};

/** The fixed part of the dialog after a refused Test API Credentials (Okta support KB "Error authenticating: Unauthorized"). */
const NOT_TESTED = 'The connector configuration could not be tested. Make sure that the URL, Authentication Parameters are correct and that there is an implementation available at the URL provided.';

/**
 * The dialog of a failed Test API Credentials. Okta ref §3 says only that a 401 fails the test;
 * the words come from Okta support articles, not the reference: `Error authenticating:
 * Unauthorized. The connector configuration could not be tested. …` for a 401, and `Error
 * authenticating: <Java's failure>` when nothing answered. Other statuses get the 401's text with
 * their reason phrase (UNVERIFIED).
 */
export function testCredentialsFailed(reply: Reply): string {
  return `Error authenticating: ${'error' in reply ? reply.error : `${reasonPhrase(reply.status)}. ${NOT_TESTED}`}`;
}
