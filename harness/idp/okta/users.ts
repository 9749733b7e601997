import { getKey, type JsonObject } from '../../../scim/schema/keys.js';
import { OKTA_APPS } from './apps.js';
import { firstMatch, listOf, lookup, objectOf, readResource, sendOk, TaskFailed, type OktaContext } from './context.js';
import type { OktaUser } from './directory.js';
import { leavesOf, mergeLeaves, type Leaf, type MappingOptions } from './mapping.js';
import { EMPTY_USER, EVENT, MATCHING_USER_NOT_FOUND, message } from './messages.js';
import type { Task } from './transport.js';
import type { OktaSettings } from './settings.js';
import * as wire from './wire.js';

/* The user flows of Okta ref §4–§8 and §10.5: create or link, profile push, deactivate, reactivate, password. */

/** The app's mappings: an app of the catalogue maps only what apps.ts says (Postman's: the names, Postman ref §7). */
function mappingOptions(ctx: OktaContext): MappingOptions {
  const { app, appUsernameFormat, extendedMappings } = ctx.settings;
  return { appUsername: appUsernameFormat === 'email' ? 'email' : 'login', extended: extendedMappings, ...(app !== undefined && { only: OKTA_APPS[app].maps }) };
}

/** Every mapped attribute that has a value, as pushed on a create or a link: an empty one clears nothing (Okta ref §4.2). */
function allLeaves(ctx: OktaContext, user: OktaUser): Leaf[] {
  return leavesOf(user.profile, mappingOptions(ctx)).filter((leaf) => leaf.value !== undefined);
}

/** The value the existing-user lookup filters on (Okta ref §4.1). */
function lookupValue(ctx: OktaContext, user: OktaUser): string {
  switch (ctx.settings.lookupAttribute) {
    case 'userName':
      return ctx.org.appUsername(user, ctx.settings);
    case 'emails':
      return String(user.profile.email);
    case 'externalId':
      return user.id;
  }
}

/** What a link or a reactivation pushes: the whole mapped profile, and the Okta user id as externalId (Okta ref §4.1 2b, S13). */
function wholeProfile(ctx: OktaContext, user: OktaUser): Leaf[] {
  return [...allLeaves(ctx, user), { path: ['externalId'], value: user.id }];
}

/** A PUT body: the target's GET answer with Okta's leaves and `active` (Okta ref §5.1), and the password where settings want it. */
function putBody(ctx: OktaContext, user: OktaUser, server: JsonObject, leaves: readonly Leaf[], active: boolean, password?: string): JsonObject {
  const body = mergeLeaves(server, leaves, ctx.settings.clearedAttribute, active);
  const carried = password ?? (ctx.settings.putIncludesPassword && ctx.settings.provisioningFeatures.syncPassword ? ctx.org.appUsers.get(user.name)?.password : undefined);
  return carried === undefined ? body : { ...body, password: carried };
}

/**
 * Assignment → the create flow (Okta ref §4.1): the lookup; on a miss the POST, on a match a link
 * that re-activates the remote user if needed and pushes the profile (Okta ref §4.1 2b, §13.6, §13.22).
 * A 404 on the lookup is a miss too. A task that fails before the link waits in the admin's task
 * list for retry-tasks (Okta ref §11, §12).
 */
export async function provision(ctx: OktaContext, user: OktaUser): Promise<void> {
  const { settings, org } = ctx;
  const appUser = org.appUsername(user, settings);
  const task = ctx.task();
  org.failedAssignments.delete(user.name);
  await ctx.perform(task, { eventType: EVENT.push, user: user.name }, (reason) => message.provisioning(org.fullName(user), settings.appName, reason), async () => {
    const body = await lookup(task, wire.findUser(settings.lookupAttribute, lookupValue(ctx, user), settings), (remote) => message.verifying(appUser, remote));
    const match = body ? firstMatch(listOf(body, settings.listKeysIgnoreCase)) : undefined;
    if (match) return link(ctx, task, user, match);
    if (!settings.provisioningFeatures.createUsers) throw new TaskFailed(MATCHING_USER_NOT_FOUND);
    const password = settings.sendPasswordOnCreate ? createPassword(ctx, user) : undefined;
    const created = await sendOk(task, wire.createUser(allLeaves(ctx, user), user.id, password), (remote) => message.creating(appUser, remote));
    const id = getKey(objectOf(created) ?? {}, 'id');
    if (typeof id !== 'string' || id === '') throw new TaskFailed(message.creating(appUser, EMPTY_USER));
    org.link(user.name, id, true);
    org.appUsers.get(user.name)!.password = password;
  });
  if (!org.appUsers.has(user.name)) org.failedAssignments.add(user.name);
}

/** The placeholder, or with Sync Okta Password the Okta password itself (UNVERIFIED; Okta ref §4.2, §8). */
function createPassword(ctx: OktaContext, user: OktaUser): string {
  const { syncOktaPassword, provisioningFeatures } = ctx.settings;
  return syncOktaPassword && provisioningFeatures.syncPassword && user.password !== undefined ? user.password : ctx.passwords.next();
}

/**
 * A lookup match: Okta links the app user to it, re-activates it if it is inactive, and pushes the
 * profile — OIN: GET, PATCH `active: true`, PUT; AIW: GET, then one PUT that does both (Okta ref §4.1 2b, §7).
 */
async function link(ctx: OktaContext, task: Task, user: OktaUser, match: JsonObject): Promise<Record<string, unknown>> {
  const { settings, org } = ctx;
  const remoteId = getKey(match, 'id') as string;
  const inactive = getKey(match, 'active') === false;
  org.link(user.name, remoteId, true);
  const pushProfile = settings.provisioningFeatures.updateUserAttributes;
  if (!inactive && !pushProfile) return { linked: true };
  const describe = (remote: string) => message.pushingProfile(org.appUsername(user, settings), remote);
  const server = await readResource(task, wire.getUser(remoteId), describe);
  const leaves = pushProfile ? wholeProfile(ctx, user) : [];
  if (settings.variant === 'oin') {
    if (inactive) await sendOk(task, wire.setActive(remoteId, true), describe);
    if (pushProfile) await sendOk(task, wire.putUser(remoteId, putBody(ctx, user, server, leaves, true)), describe);
  } else {
    await sendOk(task, wire.putUser(remoteId, putBody(ctx, user, server, leaves, true)), describe);
  }
  return { linked: true, ...(inactive && { reactivated: true }) };
}

/**
 * Unassignment or Okta deactivation → OIN: GET (optional), path-less PATCH `active: false`; AIW: GET
 * and PUT with `active: false`; granular deprovisioning: DELETE (Okta ref §6, §10.5). Nothing
 * without Deactivate Users.
 */
export async function deprovision(ctx: OktaContext, user: OktaUser): Promise<void> {
  const { settings, org } = ctx;
  const appUser = org.appUsers.get(user.name);
  if (!appUser?.active || !settings.provisioningFeatures.deactivateUsers) return;
  const task = ctx.task();
  const name = org.appUsername(user, settings);
  const remoteId = appUser.remoteId;
  const wrap = (reason: string) => message.deprovisioning(org.fullName(user), settings.appName, reason);
  if (settings.granularDeprovisioningDelete) {
    await ctx.perform(task, { eventType: EVENT.deleteUser, user: user.name }, wrap, async () => {
      await sendOk(task, wire.deleteUser(remoteId), (remote) => message.deleting(name, remote));
      appUser.active = false;
    });
    return;
  }
  await ctx.perform(task, { eventType: EVENT.deactivate, user: user.name }, wrap, async () => {
    const describe = (remote: string) => message.deactivating(name, remote);
    if (settings.variant === 'oin') {
      if (settings.getBeforeDeactivate) await sendOk(task, wire.getUser(remoteId), describe);
      await sendOk(task, wire.setActive(remoteId, false), describe);
    } else {
      const server = await readResource(task, wire.getUser(remoteId), describe);
      await sendOk(task, wire.putUser(remoteId, putBody(ctx, user, server, [], false)), describe);
    }
    appUser.active = false;
  });
}

/**
 * The Okta user is reactivated while its app user remains (assigned through a group): OIN: GET,
 * PATCH `active: true`, then the profile PUT; AIW: GET, PUT (Okta ref §7). Okta reports a failure
 * here as a profile push (Okta ref §7.1).
 */
export async function reactivate(ctx: OktaContext, user: OktaUser): Promise<void> {
  const { settings, org } = ctx;
  const appUser = org.appUsers.get(user.name);
  if (!appUser || appUser.active) return;
  const task = ctx.task();
  const describe = (remote: string) => message.pushingProfile(org.appUsername(user, settings), remote);
  await ctx.perform(task, { eventType: EVENT.reactivate, user: user.name }, (reason) => message.provisioning(org.fullName(user), settings.appName, reason), async () => {
    const server = await readResource(task, wire.getUser(appUser.remoteId), describe);
    const leaves = settings.provisioningFeatures.updateUserAttributes ? wholeProfile(ctx, user) : [];
    if (settings.variant === 'oin') {
      await sendOk(task, wire.setActive(appUser.remoteId, true), describe);
      appUser.active = true;
      if (leaves.length > 0) await sendOk(task, wire.putUser(appUser.remoteId, putBody(ctx, user, server, leaves, true)), describe);
    } else {
      await sendOk(task, wire.putUser(appUser.remoteId, putBody(ctx, user, server, leaves, true)), describe);
      appUser.active = true;
    }
  });
}

/**
 * A profile change → GET, then the PUT of the whole user as Okta knows it — every mapped attribute,
 * externalId, `groups: []` and `active` over the target's copy, a cleared attribute as
 * `clearedAttribute` says (Okta ref §5.1, S1's example, S13). With `userUpdateMethod: PATCH`
 * (UNVERIFIED, §1, §15): GET, as the PATCH flow diagram shows (S10), then a PATCH of the changed
 * attributes only. Only mapped attributes count.
 */
export async function pushProfile(ctx: OktaContext, user: OktaUser, changed: ReadonlySet<string>): Promise<void> {
  const { settings, org } = ctx;
  const appUser = org.appUsers.get(user.name);
  if (!appUser?.active || !settings.provisioningFeatures.updateUserAttributes) return;
  const pushed = (leaf: Leaf) => !(settings.excludeUsernameUpdates && leaf.path[0] === 'userName');
  const changes = leavesOf(user.profile, mappingOptions(ctx), changed).filter(pushed);
  const patched = settings.userUpdateMethod === 'PATCH' ? patchValues(changes, settings.clearedAttribute) : undefined;
  if (changes.length === 0 || patched?.length === 0) return;
  const task = ctx.task();
  const describe = (remote: string) => message.pushingProfile(org.appUsername(user, settings), remote);
  await ctx.perform(task, { eventType: EVENT.pushProfile, user: user.name }, (reason) => message.profilePush(org.fullName(user), settings.appName, reason), async () => {
    const server = await readResource(task, wire.getUser(appUser.remoteId), describe);
    if (patched) {
      await sendOk(task, wire.patchProfile(appUser.remoteId, patched), describe);
      return;
    }
    const cleared = changes.filter((leaf) => leaf.value === undefined);
    const leaves = [...wholeProfile(ctx, user).filter(pushed), ...cleared];
    await sendOk(task, wire.putUser(appUser.remoteId, putBody(ctx, user, server, leaves, appUser.active)), describe);
  });
}

/** The changed values of a PATCH update, a cleared one as null or "" or left out (UNVERIFIED, Okta ref §5.1, §15). */
function patchValues(changes: readonly Leaf[], cleared: OktaSettings['clearedAttribute']): Leaf[] {
  if (cleared === 'omit') return changes.filter((leaf) => leaf.value !== undefined);
  return changes.map((leaf) => (leaf.value === undefined ? { path: leaf.path, value: cleared === 'null' ? null : '' } : leaf));
}

/** A password change → OIN: GET, PATCH (shape UNVERIFIED); AIW: GET, PUT with the password (Okta ref §8). */
export async function pushPassword(ctx: OktaContext, user: OktaUser, password: string): Promise<void> {
  const { settings, org } = ctx;
  const appUser = org.appUsers.get(user.name);
  if (!appUser?.active || !settings.provisioningFeatures.syncPassword) return;
  const task = ctx.task();
  const describe = (remote: string) => message.pushingPassword(org.appUsername(user, settings), remote);
  await ctx.perform(task, { eventType: EVENT.pushPassword, user: user.name }, (reason) => message.passwordPush(org.fullName(user), settings.appName, reason), async () => {
    const server = await readResource(task, wire.getUser(appUser.remoteId), describe);
    if (settings.variant === 'oin') await sendOk(task, wire.setPassword(appUser.remoteId, password, settings.passwordPatchShape), describe);
    else await sendOk(task, wire.putUser(appUser.remoteId, putBody(ctx, user, server, [], appUser.active, password)), describe);
    appUser.password = password;
  });
}
