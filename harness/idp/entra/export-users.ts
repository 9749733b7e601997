/**
 * User export (Entra ref §5.2 steps 3–6, §5.3 steps 3–8, §6): import and scoping, the match, then a
 * create, a PATCH of what differs (a disable among them) or a delete; and, in a second pass once
 * every user exists in the target, the manager reference.
 */
import { getKey, type JsonObject } from '../../../scim/schema/keys.js';
import type { EntraUser } from './directory.js';
import { createLeaves, diff, INCOMPATIBLE, ObjectFailed, resourceOf, type CycleContext, type Linked } from './export-common.js';
import { errors, skips, type LogEntry } from './logs.js';
import { MANAGER, managerOf, matchingOrder, readTarget, sameValue } from './mapping.js';
import type { UserLink } from './state.js';
import * as wire from './wire.js';

const bool = (value: boolean) => (value ? 'True' : 'False');

export function userEntry(ctx: CycleContext, user: EntraUser): LogEntry {
  const display = String(ctx.env.tenant.view(user).property('userPrincipalName'));
  return ctx.entry({ type: 'User', display, name: user.name, objectId: user.objectId });
}

function hasActiveMapping(ctx: CycleContext): boolean {
  return ctx.env.userMappings.some((m) => m.target === 'active');
}

/** Whether exporting the user would disable or delete it in the target (Entra ref §5.8 counts both). */
export function deprovisionsUser(ctx: CycleContext, user: EntraUser): boolean {
  const { tenant, state, settings } = ctx.env;
  const link = state.users.get(user.name);
  if (!link?.managed) return false;
  if (user.state === 'hard-deleted') return settings.targetObjectActions.users.delete;
  const inScope = tenant.inScope(user, settings);
  if (tenant.entitled(user, settings) || !link.active || !hasActiveMapping(ctx) || !settings.targetObjectActions.users.update) return false;
  return inScope || !settings.skipOutOfScopeDeletions;
}

/** A user as Entra reads it: a bare-string manager cannot be deserialised (Entra ref §4, §10.6). */
function readableUser(resource: JsonObject): JsonObject {
  if (managerOf(resource).bare) throw new ObjectFailed('match', INCOMPATIBLE, { error: errors.cannotDeserialize });
  return resource;
}

function sourceDetails(user: EntraUser, isSoftDeleted: boolean): Record<string, string> {
  const details: Record<string, string> = {};
  for (const [key, value] of Object.entries(user.properties)) details[key] = typeof value === 'boolean' ? bool(value) : String(value);
  details.IsSoftDeleted = bool(isSoftDeleted);
  return details;
}

/** The target id of the user's manager, once the manager is provisioned (Entra ref §6.6). */
function managerId(ctx: CycleContext, user: EntraUser): string | undefined {
  const mapping = ctx.env.userMappings.find((m) => m.target === MANAGER);
  const manager = mapping?.source === undefined ? undefined : user.properties[mapping.source];
  return typeof manager === 'string' ? ctx.env.state.users.get(manager)?.id : undefined;
}

/** The first pass for one user (Entra ref §5.2 steps 3–5; §5.3 steps 3–8). */
export async function exportUser(ctx: CycleContext, user: EntraUser): Promise<void> {
  const { tenant, state, settings, userMappings } = ctx.env;
  const key = `user:${user.name}`;
  const entry = userEntry(ctx, user);
  let link = state.users.get(user.name);
  if (user.state === 'hard-deleted') return deleteUser(ctx, user, link!, entry, key);
  const inScope = tenant.inScope(user, settings);
  const entitled = tenant.entitled(user, settings);
  entry.step('EntryImport', 'Import', 'Success', `Retrieved User '${entry.subject.display}' from Azure Active Directory`, sourceDetails(user, !entitled));
  entry.step('EntrySynchronizationScoping', 'Scoping', inScope ? 'Success' : 'Skipped', 'Determine if User in scope by evaluating against each scoping filter', {
    IsActive: bool(user.state === 'active' && user.properties.accountEnabled === true),
    Assigned: bool(tenant.isAssigned(user)),
    IsEffectivelyEntitledForProvisioning: bool(entitled),
    IsInProvisioningScopeDisplayName: bool(inScope),
    ScopeEvaluationResult: inScope ? 'Passed' : 'Failed',
  });
  if (!link && !inScope) return ctx.recordSkip(entry, skips.outOfScope);
  if (!link && !entitled) return ctx.recordSkip(entry, skips.disabledNeverCreated);
  if (link && inScope) link.managed = true;
  // Without the active mapping nothing deprovisions: the user is just skipped (Entra ref §6.4, azure-docs#22948).
  if (link && !entitled && !hasActiveMapping(ctx)) {
    if (!inScope) link.managed = false;
    return ctx.recordSkip(entry, skips.notEntitled);
  }
  if (link && !inScope && settings.skipOutOfScopeDeletions) {
    link.managed = false;
    return ctx.recordSkip(entry, skips.skipOutOfScopeDeletions);
  }
  const action = (failure: ObjectFailed) => (failure.phase === 'create' ? 'Create' : failure.phase === 'update' ? (entitled ? 'Update' : 'Disable') : 'Other');
  await ctx.attempt(entry, key, action, async () => {
    let resource: JsonObject | undefined;
    if (!link || settings.incrementalLookup === 'filter') {
      const found = await ctx.findMatch(userMappings, tenant.view(user), (a, v) => wire.findUsers(a, v, settings), entry);
      if (found === 'missing') return ctx.recordSkip(entry, skips.matchingValueMissing(matchingOrder(userMappings)[0]!.target));
      if (found !== undefined) {
        resource = readableUser(found);
        const id = String(getKey(found, 'id'));
        if (link?.id !== id) link = state.linkUser(user.name, id, !sameValue(false, readTarget(found, 'active')));
      }
    } else {
      resource = readableUser(await ctx.readResource(wire.getUser(link.id), entry));
    }
    if (resource === undefined) {
      if (!entitled) return ctx.recordSkip(entry, skips.disabledNeverCreated);
      return createUser(ctx, user, entry, key);
    }
    entry.targetId = link!.id;
    await updateUser(ctx, user, link!, resource, { inScope, entitled }, entry, key);
  });
}

async function createUser(ctx: CycleContext, user: EntraUser, entry: LogEntry, key: string): Promise<void> {
  const { settings, state, tenant, userMappings } = ctx.env;
  if (!settings.targetObjectActions.users.create) return ctx.recordSkip(entry, skips.actionOff('create'));
  // The manager goes in the POST only when managerInCreate says so; otherwise in the reference pass.
  const manager = settings.managerInCreate ? managerId(ctx, user) : undefined;
  const leaves = createLeaves(userMappings, tenant.view(user, false), { target: MANAGER, value: manager });
  const request = wire.createUser(leaves, { primaryOnAddressesAndPhones: settings.primaryOnAddressesAndPhones, activeString: settings.activeStringInCreate });
  const created = resourceOf(await ctx.send(request, 'create'), 'create');
  const link = state.linkUser(user.name, String(getKey(created, 'id')), true);
  for (const leaf of leaves) {
    link.exported.set(leaf.target, leaf.value);
    entry.modify(leaf.target, null, leaf.value);
  }
  entry.targetId = link.id;
  ctx.recordSuccess(entry, key, 'Create', 'create');
  ctx.linked.push({ user, link, managerInTarget: leaves.find((l) => l.target === MANAGER)?.value as string | undefined });
}

/** PATCH only what differs; a user no longer entitled gets `active` False with it (Entra ref §6.3–§6.4). */
async function updateUser(ctx: CycleContext, user: EntraUser, link: UserLink, resource: JsonObject, scope: { inScope: boolean; entitled: boolean }, entry: LogEntry, key: string): Promise<void> {
  const { settings, tenant, userMappings } = ctx.env;
  link.active = !sameValue(false, readTarget(resource, 'active'));
  const { changes, nonConverging } = diff(userMappings, tenant.view(user, !scope.entitled), resource, {
    own: MANAGER,
    exported: link.exported,
    removeCleared: settings.clearedValues === 'remove-with-value',
  });
  const extra = nonConverging.length > 0 ? { nonConverging } : {};
  const managerInTarget = managerOf(resource).id;
  if (changes.length === 0) {
    if (!scope.inScope) link.managed = false;
    ctx.settle(key);
    if (scope.entitled) ctx.linked.push({ user, link, managerInTarget });
    return ctx.recordSkip(entry, skips.redundant('user'), 'Other', extra);
  }
  if (!settings.targetObjectActions.users.update) return ctx.recordSkip(entry, skips.actionOff('update'));
  const disabling = changes.some((c) => c.target === 'active' && c.value === false);
  await ctx.send(wire.patchUser(link.id, changes, ctx.dialect), 'update');
  for (const change of changes) {
    entry.modify(change.target, readTarget(resource, change.target) ?? null, change.op === 'Remove' ? null : change.value);
    if (change.op === 'Remove') link.exported.delete(change.target);
    else link.exported.set(change.target, change.value);
    if (change.target === 'active') link.active = change.value === true;
  }
  // Disabled for leaving scope: "the service doesn't manage the user" any more (Entra ref §6.5).
  if (disabling && !scope.inScope) link.managed = false;
  ctx.recordSuccess(entry, key, disabling ? 'Disable' : 'Update', 'update', extra);
  if (scope.entitled) ctx.linked.push({ user, link, managerInTarget });
}

/** A hard delete sends DELETE when Delete is a target object action (Entra ref §5.3 step 8, §6.5). */
function deleteUser(ctx: CycleContext, user: EntraUser, link: UserLink, entry: LogEntry, key: string): Promise<void> {
  const { settings, state } = ctx.env;
  return ctx.deleteResource(entry, key, {
    targetId: link.id,
    request: wire.deleteUser(link.id),
    why: `User '${entry.subject.display}' was deleted from Azure Active Directory`,
    allowed: settings.targetObjectActions.users.delete,
    unmanage: () => {
      link.managed = false;
    },
    forget: () => {
      state.users.delete(user.name);
      for (const group of state.groups.values()) group.members.delete(user.name);
    },
  });
}

/** The manager in its own PATCH, once both users exist in the target (Entra ref §5.2 step 6, §6.6). */
export async function exportManager(ctx: CycleContext, { user, link, managerInTarget }: Linked): Promise<void> {
  const { settings, tenant, userMappings } = ctx.env;
  if (!userMappings.some((m) => m.target === MANAGER)) return;
  const key = `manager:${user.name}`;
  const wanted = managerId(ctx, user);
  let request: wire.WireRequest;
  if (wanted !== undefined && wanted !== managerInTarget) {
    request = wire.setManager(link.id, wanted, managerInTarget === undefined ? 'Add' : 'Replace', ctx.dialect);
  } else if (wanted === undefined && user.properties.manager === undefined && managerInTarget !== undefined && settings.managerRemoval === 'filtered-remove') {
    request = wire.removeManager(link.id, managerInTarget, ctx.dialect);
  } else {
    return ctx.settle(key);
  }
  const entry = userEntry(ctx, user);
  entry.targetId = link.id;
  const manager = typeof user.properties.manager === 'string' ? tenant.users.get(user.properties.manager) : undefined;
  entry.step('EntryReferenceResolution', 'ReferenceResolution', 'Success', manager ? `Resolved the manager '${tenant.view(manager).property('userPrincipalName')}' to '${wanted}' in customappsso` : 'The manager was removed in Azure Active Directory');
  await ctx.attempt(entry, key, 'Update', async () => {
    await ctx.send(request, 'update');
    entry.modify(MANAGER, managerInTarget ?? null, wanted ?? null);
    ctx.recordSuccess(entry, key, 'Update', 'update');
  });
}
