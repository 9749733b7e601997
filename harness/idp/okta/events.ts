import { parseDuration } from '../clock.js';
import { isMapping } from '../../scenario/shapes.js';
import { eventFields, noEventArgument } from '../event-arguments.js';
import type { OktaContext } from './context.js';
import type { OktaGroup, OktaUser } from './directory.js';
import * as groups from './groups.js';
import { enableProvisioning, forceSync, provisionUser, retryTasks } from './admin-actions.js';
import { importGroups, importUsers, testCredentials } from './imports.js';
import { advanceWithImports } from './schedule.js';
import * as users from './users.js';

/*
 * The scenario events (docs/okta.md): each changes the simulated org as the Okta admin would, then
 * runs the provisioning the change triggers. An argument that does not fit throws, and the runner
 * shows the message as the step's error.
 */

type Handler = (ctx: OktaContext, args: unknown) => Promise<void>;

/**
 * Provisions a user who just became assigned; suspended and deactivated users get nothing (Okta ref
 * §13.16), nor does anyone while provisioning is off (Okta ref §4).
 */
async function provisionNew(ctx: OktaContext, user: OktaUser): Promise<void> {
  if (user.status !== 'ACTIVE' || ctx.org.appUsers.has(user.name) || !ctx.org.provisioningEnabled) return;
  await users.provision(ctx, user);
}

/** The user lost their last assignment: deprovisioned, and Okta removes the app user (Okta ref §6.2). */
async function removeAppUser(ctx: OktaContext, user: OktaUser): Promise<void> {
  await users.deprovision(ctx, user);
  ctx.org.appUsers.delete(user.name);
}

async function assignGroup(ctx: OktaContext, group: OktaGroup): Promise<void> {
  const { org } = ctx;
  if (org.assignedGroups.has(group.name)) throw new Error(`${group.name} is already assigned to the app`);
  const before = new Set(group.members.filter((m) => org.isAssigned(m)));
  org.assignedGroups.add(group.name);
  for (const member of group.members) if (!before.has(member)) await provisionNew(ctx, org.user(member));
}

const assign: Handler = async (ctx, args) => {
  const { org } = ctx;
  const { user, group, via } = eventFields('assign', args, ['user', 'group', 'via'], [], 'user');
  if (group !== undefined) {
    if (user !== undefined || via !== undefined) throw new Error('assign takes a user (with via: a group it belongs to), or a group, not both');
    return assignGroup(ctx, org.group(group));
  }
  const oktaUser = org.user(user);
  if (via !== undefined) {
    const through = org.group(via);
    if (!through.members.includes(oktaUser.name)) throw new Error(`${oktaUser.name} is not a member of ${through.name}: list them in directory.groups.${through.name}.members, or use add-member`);
    return assignGroup(ctx, through);
  }
  if (org.direct.has(oktaUser.name)) throw new Error(`${oktaUser.name} is already assigned to the app`);
  const was = org.isAssigned(oktaUser.name);
  org.direct.add(oktaUser.name);
  if (!was) await provisionNew(ctx, oktaUser);
};

const unassign: Handler = async (ctx, args) => {
  const { org } = ctx;
  const { user, group } = eventFields('unassign', args, ['user', 'group'], [], 'user');
  if (group !== undefined) {
    const unassigned = org.group(group);
    if (!org.assignedGroups.delete(unassigned.name)) throw new Error(`${unassigned.name} is not assigned to the app`);
    for (const member of unassigned.members) if (!org.isAssigned(member) && org.appUsers.has(member)) await removeAppUser(ctx, org.user(member));
    return;
  }
  const oktaUser = org.user(user);
  if (!org.direct.delete(oktaUser.name)) throw new Error(`${oktaUser.name} is not assigned to the app directly`);
  if (!org.isAssigned(oktaUser.name)) await removeAppUser(ctx, oktaUser);
};

const update: Handler = async (ctx, args) => {
  const { user, set } = eventFields('update', args, ['user', 'set'], ['user', 'set']);
  const oktaUser = ctx.org.user(user);
  if (!isMapping(set) || Object.keys(set).length === 0) throw new Error('update needs set: a mapping of Okta profile attributes to new values (null clears one)');
  const changed = new Set<string>();
  for (const [attribute, value] of Object.entries(set)) {
    if (attribute === 'id' || attribute === 'status') throw new Error(`update cannot set ${attribute}: use the ${attribute === 'status' ? 'deactivate, suspend and reactivate events' : 'directory'}`);
    if (JSON.stringify(oktaUser.profile[attribute] ?? null) === JSON.stringify(value)) continue;
    if (value === null) delete oktaUser.profile[attribute];
    else oktaUser.profile[attribute] = value;
    changed.add(attribute);
  }
  if (oktaUser.status === 'ACTIVE' && changed.size > 0) await users.pushProfile(ctx, oktaUser, changed);
};

/** Deactivating an Okta user removes its direct assignment and deprovisions its app user (Okta ref §6). */
async function deactivateUser(ctx: OktaContext, user: OktaUser): Promise<void> {
  const { org } = ctx;
  user.status = 'DEPROVISIONED';
  org.direct.delete(user.name);
  await users.deprovision(ctx, user);
  // An app user assigned through a group remains, to be reactivated with the Okta user (Okta ref §7, S22 C9293).
  if (!org.isAssigned(user.name)) org.appUsers.delete(user.name);
}

function withStatus(event: string, args: unknown, ctx: OktaContext, wanted: OktaUser['status'][]): OktaUser {
  const { user } = eventFields(event, args, ['user'], ['user'], 'user');
  const oktaUser = ctx.org.user(user);
  if (!wanted.includes(oktaUser.status)) throw new Error(`${event} needs a user whose status is ${wanted.join(' or ')}; ${oktaUser.name} is ${oktaUser.status}`);
  return oktaUser;
}

const deactivate: Handler = (ctx, args) => deactivateUser(ctx, withStatus('deactivate', args, ctx, ['ACTIVE', 'SUSPENDED']));

const reactivate: Handler = async (ctx, args) => {
  const user = withStatus('reactivate', args, ctx, ['DEPROVISIONED']);
  user.status = 'ACTIVE';
  // Only users still assigned (through a group) come back by themselves (Okta ref §7, S22 C9293).
  if (ctx.org.appUsers.has(user.name)) await users.reactivate(ctx, user);
};

/** Suspension and unsuspension send nothing (Okta ref §6, §13.16). */
const suspend: Handler = async (ctx, args) => {
  withStatus('suspend', args, ctx, ['ACTIVE']).status = 'SUSPENDED';
};

const unsuspend: Handler = async (ctx, args) => {
  withStatus('unsuspend', args, ctx, ['SUSPENDED']).status = 'ACTIVE';
};

/** Okta deletes only deactivated users: an active one is deactivated first; a deactivated one sends nothing (Okta ref §6). */
const remove: Handler = async (ctx, args) => {
  const { org } = ctx;
  const user = withStatus('delete', args, ctx, ['ACTIVE', 'SUSPENDED', 'DEPROVISIONED']);
  if (user.status !== 'DEPROVISIONED') await deactivateUser(ctx, user);
  for (const group of org.groups.values()) group.members = group.members.filter((m) => m !== user.name);
  org.appUsers.delete(user.name);
  org.users.delete(user.name);
};

const password: Handler = async (ctx, args) => {
  const { user, value } = eventFields('password', args, ['user', 'value'], ['user'], 'user');
  if (value !== undefined && (typeof value !== 'string' || value === '')) throw new Error('password: value must be the new password, as text');
  const oktaUser = ctx.org.user(user);
  oktaUser.password = (value as string | undefined) ?? ctx.passwords.next();
  if (oktaUser.status === 'ACTIVE') await users.pushPassword(ctx, oktaUser, oktaUser.password);
};

function groupPush(ctx: OktaContext, event: string): void {
  if (!ctx.settings.provisioningFeatures.pushGroups) throw new Error(`${event} needs settings.provisioningFeatures.pushGroups: true`);
  if (!ctx.org.provisioningEnabled) throw new Error(`${event} needs provisioning enabled: add an enable-provisioning step first`);
}

const pushGroup: Handler = async (ctx, args) => {
  groupPush(ctx, 'push-group');
  const { group, match = 'create' } = eventFields('push-group', args, ['group', 'match'], ['group'], 'group');
  const pushed = ctx.org.group(group);
  if (match !== 'create' && match !== 'link') throw new Error(`push-group: match must be create or link, got ${JSON.stringify(match)}`);
  if (ctx.org.pushed.has(pushed.name)) throw new Error(`${pushed.name} is already pushed`);
  await groups.pushGroup(ctx, pushed, match);
};

function membership(ctx: OktaContext, event: string, args: unknown): { group: OktaGroup; user: OktaUser } {
  const { group, user } = eventFields(event, args, ['group', 'user'], ['group', 'user']);
  return { group: ctx.org.group(group), user: ctx.org.user(user) };
}

/** Joining a group assigns the app through it, and a pushed group pushes the membership (Okta ref §4, §10.3). */
const addMember: Handler = async (ctx, args) => {
  const { org } = ctx;
  const { group, user } = membership(ctx, 'add-member', args);
  if (group.members.includes(user.name)) throw new Error(`${user.name} is already a member of ${group.name}`);
  const wasAssigned = org.isAssigned(user.name);
  group.members.push(user.name);
  if (org.assignedGroups.has(group.name) && !wasAssigned) await provisionNew(ctx, user);
  const appUser = org.appUsers.get(user.name);
  if (org.pushed.has(group.name) && appUser) await groups.updateMembership(ctx, group, [], [{ value: appUser.remoteId, display: org.appUsername(user, ctx.settings) }]);
};

/** Leaving a pushed group removes the membership; leaving the last assigning group deprovisions (Okta ref §6, §10.3). */
const removeMember: Handler = async (ctx, args) => {
  const { org } = ctx;
  const { group, user } = membership(ctx, 'remove-member', args);
  if (!group.members.includes(user.name)) throw new Error(`${user.name} is not a member of ${group.name}`);
  group.members = group.members.filter((m) => m !== user.name);
  const appUser = org.appUsers.get(user.name);
  if (org.pushed.has(group.name) && appUser) await groups.updateMembership(ctx, group, [appUser.remoteId], []);
  if (org.assignedGroups.has(group.name) && !org.isAssigned(user.name) && appUser) await removeAppUser(ctx, user);
};

const renameGroup: Handler = async (ctx, args) => {
  const { group, name } = eventFields('rename-group', args, ['group', 'name'], ['group', 'name']);
  if (typeof name !== 'string' || name === '') throw new Error('rename-group: name must be the new group name');
  const renamed = ctx.org.group(group);
  renamed.displayName = name;
  if (ctx.org.pushed.has(renamed.name)) await groups.renameGroup(ctx, renamed);
};

const pushNow: Handler = async (ctx, args) => {
  groupPush(ctx, 'push-now');
  const { group } = eventFields('push-now', args, ['group'], ['group'], 'group');
  await groups.pushNow(ctx, ctx.org.group(group));
};

const unlinkGroup: Handler = async (ctx, args) => {
  const { group, delete: remove = false } = eventFields('unlink-group', args, ['group', 'delete'], ['group'], 'group');
  if (typeof remove !== 'boolean') throw new Error('unlink-group: delete must be true (delete the group in the app) or false (leave it)');
  await groups.unlinkGroup(ctx, ctx.org.group(group), remove);
};

const advance: Handler = async (ctx, args) => {
  const ms = typeof args === 'string' || typeof args === 'number' ? parseDuration(args) : undefined;
  if (ms === undefined) throw new Error(`advance takes a duration such as 90s, 5m, 1h30m, got ${JSON.stringify(args)}`);
  await advanceWithImports(ctx, ms);
};

export const EVENTS: Record<string, Handler> = {
  assign,
  unassign,
  update,
  deactivate,
  reactivate,
  suspend,
  unsuspend,
  delete: remove,
  password,
  'push-group': pushGroup,
  'add-member': addMember,
  'remove-member': removeMember,
  'rename-group': renameGroup,
  'push-now': pushNow,
  'unlink-group': unlinkGroup,
  'import-users': async (ctx, args) => {
    noEventArgument('import-users', args);
    await importUsers(ctx);
  },
  'import-groups': async (ctx, args) => {
    noEventArgument('import-groups', args);
    await importGroups(ctx);
  },
  'enable-provisioning': enableProvisioning,
  'force-sync': forceSync,
  'provision-user': provisionUser,
  'retry-tasks': retryTasks,
  'test-credentials': async (ctx, args) => {
    noEventArgument('test-credentials', args);
    await testCredentials(ctx);
  },
  advance,
};
