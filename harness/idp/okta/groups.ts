import { getKey } from '../../../scim/schema/keys.js';
import { firstMatch, listOf, lookup, objectOf, sendOk, TaskFailed, type OktaContext } from './context.js';
import type { OktaGroup } from './directory.js';
import { EVENT, message } from './messages.js';
import type { Task } from './transport.js';
import * as wire from './wire.js';

/* Group Push (Okta ref §10): create or link, membership updates, Push Now, rename, unlink. */

/**
 * The members Okta pushes: those with an app user on the target, the only ones whose membership
 * can be pushed (Okta ref §10: the user must be assigned and provisioned).
 */
export function pushableMembers(ctx: OktaContext, group: OktaGroup): wire.Member[] {
  return group.members.flatMap((name) => {
    const appUser = ctx.org.appUsers.get(name);
    const user = ctx.org.users.get(name);
    return appUser && user ? [{ value: appUser.remoteId, display: ctx.org.appUsername(user, ctx.settings) }] : [];
  });
}

function remoteIdOf(ctx: OktaContext, group: OktaGroup): string {
  const remoteId = ctx.org.pushed.get(group.name);
  if (remoteId === undefined) throw new Error(`${group.name} is not pushed: push it first (push-group: ${group.name})`);
  return remoteId;
}

/** The name Okta sends for a pushed group: its Okta name, unless the app kept its own (Okta ref §10.2). */
function appNameOf(ctx: OktaContext, group: OktaGroup): string {
  return ctx.org.appGroupNames.get(group.name) ?? group.displayName;
}

const wrapFor = (group: OktaGroup) => (reason: string) => message.groupPush(group.displayName, reason);

/** AIW sends every group change as GET then PUT of the whole group (Okta ref §10.1, §10.3). */
async function putWholeGroup(ctx: OktaContext, task: Task, group: OktaGroup, remoteId: string, describe: (remote: string) => string): Promise<void> {
  await sendOk(task, wire.getGroup(remoteId), describe);
  await sendOk(task, wire.putGroup(remoteId, appNameOf(ctx, group), pushableMembers(ctx, group)), describe);
}

/**
 * OIN membership changes: the reconciliation `replace {id, displayName}` first (Okta ref §10.3:
 * "triggered each time there's a group membership update"; separate and first is the UNVERIFIED
 * default), then the membership PATCHes.
 */
async function patchMembership(ctx: OktaContext, task: Task, group: OktaGroup, remoteId: string, requests: wire.WireRequest[]): Promise<void> {
  const describe = (remote: string) => message.updatingMembership(group.displayName, remote);
  if (ctx.settings.groupRenameOnMembershipUpdate) await sendOk(task, wire.renameGroup(remoteId, appNameOf(ctx, group)), describe);
  for (const request of requests) await sendOk(task, request, describe);
}

/**
 * Push Groups → Create Group: the displayName lookup, the POST, then OIN's reconciliation PATCH and a
 * PATCH add of the members, or AIW's GET and PUT (Okta ref §10.1). Link Group: the lookup, then the
 * members (Okta ref §10.2, calls UNVERIFIED). What a Create does when its lookup finds the group is
 * UNVERIFIED (`groupCreateOnMatch`). Logged as S14 logged a push: group_push.updated, and
 * group.add for a failure (Okta ref §12).
 */
export async function pushGroup(ctx: OktaContext, group: OktaGroup, match: 'create' | 'link'): Promise<void> {
  const { settings, org } = ctx;
  const task = ctx.task();
  await ctx.perform(task, { eventType: EVENT.groupUpdated, failedAs: EVENT.groupAdd, group: group.name }, wrapFor(group), async () => {
    const body = await lookup(task, wire.findGroup(group.displayName, settings), (remote) => message.findingGroup(group.displayName, remote));
    const found = body ? firstMatch(listOf(body, settings.listKeysIgnoreCase)) : undefined;
    const existing = match === 'link' || settings.groupCreateOnMatch === 'link' ? found : undefined;
    if (!existing && match === 'link') throw new TaskFailed(message.noSuchGroup(group.displayName));
    const members = pushableMembers(ctx, group);
    let remoteId: string;
    if (existing) {
      remoteId = getKey(existing, 'id') as string;
    } else {
      const created = await sendOk(task, wire.createGroup(group.displayName, settings.groupCreateIncludesMembers ? members : []), (remote) =>
        message.creatingGroup(group.displayName, remote),
      );
      const id = getKey(objectOf(created) ?? {}, 'id');
      if (typeof id !== 'string' || id === '') throw new TaskFailed(message.emptyGroup(group.displayName));
      remoteId = id;
    }
    const remoteName = existing ? getKey(existing, 'displayName') : undefined;
    const keepsItsName = existing && !settings.renameAppGroups && typeof remoteName === 'string';
    org.linkGroup(group.name, remoteId, keepsItsName ? remoteName : group.displayName);
    const describe = (remote: string) => message.updatingMembership(group.displayName, remote);
    if (settings.variant === 'aiw') {
      await putWholeGroup(ctx, task, group, remoteId, describe);
    } else if (existing) {
      if (members.length > 0) await patchMembership(ctx, task, group, remoteId, wire.changeMembers(remoteId, [], members, settings.groupPatchBatchSize));
    } else {
      // Reconciliation right after each create; a 400 here stops the membership push (Okta ref §10.1, I-Metatavu PR#113).
      if (settings.groupRenameOnMembershipUpdate) await sendOk(task, wire.renameGroup(remoteId, group.displayName), describe);
      for (const request of wire.changeMembers(remoteId, [], members, settings.groupPatchBatchSize)) await sendOk(task, request, describe);
    }
    return existing ? { linked: true } : {};
  });
}

/** A member joined or left a pushed group (Okta ref §10.3): OIN PATCHes, AIW GET and PUT. */
export async function updateMembership(ctx: OktaContext, group: OktaGroup, removes: readonly string[], adds: readonly wire.Member[]): Promise<void> {
  const remoteId = remoteIdOf(ctx, group);
  const task = ctx.task();
  await ctx.perform(task, { eventType: EVENT.groupUpdated, group: group.name }, wrapFor(group), async () => {
    if (ctx.settings.variant === 'aiw') await putWholeGroup(ctx, task, group, remoteId, (remote) => message.updatingMembership(group.displayName, remote));
    else await patchMembership(ctx, task, group, remoteId, wire.changeMembers(remoteId, removes, adds, ctx.settings.groupPatchBatchSize));
  });
}

/**
 * Push Now: Okta becomes the master of the membership — OIN `replace` of all members, `[]` when
 * none (Okta ref §10.3, §13.10), or adds when `fullPushUsesReplace` is off; AIW GET and PUT.
 */
export async function pushNow(ctx: OktaContext, group: OktaGroup): Promise<void> {
  const { settings } = ctx;
  const remoteId = remoteIdOf(ctx, group);
  const task = ctx.task();
  await ctx.perform(task, { eventType: EVENT.groupPushMemberships, group: group.name }, wrapFor(group), async () => {
    const members = pushableMembers(ctx, group);
    if (settings.variant === 'aiw') {
      await putWholeGroup(ctx, task, group, remoteId, (remote) => message.updatingMembership(group.displayName, remote));
      return;
    }
    const requests = settings.fullPushUsesReplace
      ? [wire.replaceMembers(remoteId, members, settings.pathlessMembersReplace)]
      : wire.changeMembers(remoteId, [], members, settings.groupPatchBatchSize);
    await patchMembership(ctx, task, group, remoteId, requests);
  });
}

/** The Okta group was renamed: with "Rename app groups" on, OIN PATCH `replace {id, displayName}`, AIW GET and PUT (Okta ref §10.4). */
export async function renameGroup(ctx: OktaContext, group: OktaGroup): Promise<void> {
  if (!ctx.settings.renameAppGroups) return;
  const remoteId = remoteIdOf(ctx, group);
  const task = ctx.task();
  const describe = (remote: string) => message.renamingGroup(group.displayName, remote);
  await ctx.perform(task, { eventType: EVENT.groupUpdated, group: group.name }, wrapFor(group), async () => {
    ctx.org.appGroupNames.set(group.name, group.displayName);
    if (ctx.settings.variant === 'aiw') await putWholeGroup(ctx, task, group, remoteId, describe);
    else await sendOk(task, wire.renameGroup(remoteId, group.displayName), describe);
  });
}

/** Unlink pushed group: "Delete the group in the target app" sends DELETE, "Leave the group" nothing (Okta ref §10.5). */
export async function unlinkGroup(ctx: OktaContext, group: OktaGroup, remove: boolean): Promise<void> {
  const remoteId = remoteIdOf(ctx, group);
  ctx.org.pushed.delete(group.name);
  ctx.org.appGroupNames.delete(group.name);
  if (!remove) return;
  const task = ctx.task();
  await ctx.perform(task, { eventType: EVENT.groupRemoved, group: group.name }, wrapFor(group), async () => {
    await sendOk(task, wire.deleteGroup(remoteId), (remote) => message.deletingGroup(group.displayName, remote));
  });
}
