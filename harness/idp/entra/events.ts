import { parseDuration, type VirtualClock } from '../clock.js';
import type { EntraGroup, EntraTenant, EntraUser } from './directory.js';
import { RESET_SCOPES, type EntraJob, type ResetScope } from './job.js';
import { isMapping, shown } from '../../scenario/shapes.js';
import { eventFields, noEventArgument } from '../event-arguments.js';
import { RESERVED } from './description.js';
import type { EntraTransport } from './transport.js';

/*
 * The scenario events (docs/entra.md). Directory events only change the tenant and mark what
 * changed: Entra sends nothing until a cycle runs (Entra ref §5.3). Clock and job events run
 * cycles. An argument that does not fit throws, and the runner shows the message as the step's error.
 */

export interface EntraContext {
  tenant: EntraTenant;
  job: EntraJob;
  transport: EntraTransport;
  clock: VirtualClock;
}

type Handler = (ctx: EntraContext, args: unknown) => Promise<void>;

/** A user or group by bare name (names are unique across both), or `{ user }` / `{ group }`. */
function object(ctx: EntraContext, event: string, args: unknown): { user: EntraUser } | { group: EntraGroup } {
  const { user, group } = eventFields(event, args, ['user', 'group'], [], 'user');
  if ((user === undefined) === (group === undefined)) throw new Error(`${event} takes a user or a group: write ${event}: { user: adele } or ${event}: { group: sales }`);
  if (group !== undefined) return { group: ctx.tenant.group(group) };
  return typeof user === 'string' && ctx.tenant.groups.has(user) ? { group: ctx.tenant.group(user) } : { user: ctx.tenant.user(user) };
}

function user(ctx: EntraContext, event: string, args: unknown): EntraUser {
  return ctx.tenant.user(eventFields(event, args, ['user'], ['user'], 'user').user);
}

/** Every user a group assignment brings into (or takes out of) scope changes with it; nested groups' users are not in scope through it (Entra ref §7.4). */
function touchGroupAndMembers(ctx: EntraContext, group: EntraGroup): void {
  ctx.tenant.touch(group);
  for (const member of ctx.tenant.userMembers(group)) ctx.tenant.touch(member);
}

const assign: Handler = async (ctx, args) => {
  const target = object(ctx, 'assign', args);
  const name = 'user' in target ? target.user.name : target.group.name;
  if (ctx.tenant.assigned.has(name)) throw new Error(`${name} is already assigned to the app`);
  ctx.tenant.assigned.add(name);
  if ('user' in target) ctx.tenant.touch(target.user);
  else touchGroupAndMembers(ctx, target.group);
};

const unassign: Handler = async (ctx, args) => {
  const target = object(ctx, 'unassign', args);
  const name = 'user' in target ? target.user.name : target.group.name;
  if (!ctx.tenant.assigned.delete(name)) throw new Error(`${name} is not assigned to the app directly`);
  if ('user' in target) ctx.tenant.touch(target.user);
  else touchGroupAndMembers(ctx, target.group);
};

/** Changes source properties; null clears one, and a cleared value is never sent (Entra ref §1.2, §10.14). */
const update: Handler = async (ctx, args) => {
  const { user: userName, group: groupName, set } = eventFields('update', args, ['user', 'group', 'set'], ['set']);
  if ((userName === undefined) === (groupName === undefined)) throw new Error('update takes a user or a group: write update: { user: adele, set: { jobTitle: CEO } }');
  if (!isMapping(set) || Object.keys(set).length === 0) throw new Error('update needs set: a mapping of source properties to new values (null clears one)');
  const changed = userName !== undefined ? ctx.tenant.user(userName) : ctx.tenant.group(groupName);
  for (const [property, value] of Object.entries(set)) {
    if (RESERVED[property]) throw new Error(`update cannot set ${property}: ${RESERVED[property]}`);
    if (value !== null && typeof value !== 'string' && typeof value !== 'number') throw new Error(`update: ${property} must be text or null, got ${shown(value)}`);
    if (property === 'manager' && value !== null && (!ctx.tenant.users.has(String(value)) || value === changed.name || userName === undefined)) {
      throw new Error(`update: manager must name another user of directory.users, got ${shown(value)}`);
    }
    if (property === 'displayName' && groupName !== undefined && (value === null || value === '')) throw new Error('update: a group keeps a displayName');
    if (value === null) delete changed.properties[property];
    else changed.properties[property] = String(value);
  }
  ctx.tenant.touch(changed);
};

function setEnabled(enabled: boolean): Handler {
  return async (ctx, args) => {
    const changed = user(ctx, enabled ? 'enable' : 'disable', args);
    if (changed.properties.accountEnabled === enabled) throw new Error(`${changed.name} is already ${enabled ? 'enabled' : 'disabled'} (accountEnabled: ${enabled})`);
    changed.properties.accountEnabled = enabled;
    ctx.tenant.touch(changed);
  };
}

const softDelete: Handler = async (ctx, args) => {
  const deleted = user(ctx, 'soft-delete', args);
  if (deleted.state !== 'active') throw new Error(`${deleted.name} is ${deleted.state}; only an active user can be soft-deleted`);
  deleted.state = 'soft-deleted';
  deleted.softDeletedAt = ctx.clock.now().getTime();
  ctx.tenant.touch(deleted);
};

const restore: Handler = async (ctx, args) => {
  const restored = user(ctx, 'restore', args);
  if (restored.state !== 'soft-deleted') throw new Error(`${restored.name} is ${restored.state}; only a soft-deleted user can be restored`);
  restored.state = 'active';
  restored.softDeletedAt = undefined;
  ctx.tenant.touch(restored);
};

/** A permanent delete now; a soft-deleted user is also deleted for good by itself 30 days on (EntraTenant.purge, Entra ref §5.3 step 8). */
const hardDelete: Handler = async (ctx, args) => {
  const target = object(ctx, 'hard-delete', args);
  if ('group' in target) {
    if (target.group.deleted) throw new Error(`${target.group.name} is already deleted`);
    ctx.tenant.deleteGroup(target.group);
    return;
  }
  if (target.user.state === 'hard-deleted') throw new Error(`${target.user.name} is already hard-deleted`);
  ctx.tenant.hardDelete(target.user);
};

function membership(ctx: EntraContext, event: string, args: unknown): { group: EntraGroup; user: EntraUser } {
  const { group, user: member } = eventFields(event, args, ['group', 'user'], ['group', 'user']);
  return { group: ctx.tenant.group(group), user: ctx.tenant.user(member) };
}

/**
 * A member who comes back into scope is not noticed until a restart (Entra ref §5.3 "Known gaps"):
 * joining an assigned group changes the group, and the user only when Entra still manages them.
 */
const addMember: Handler = async (ctx, args) => {
  const { group, user: member } = membership(ctx, 'add-member', args);
  if (group.members.includes(member.name)) throw new Error(`${member.name} is already a member of ${group.name}`);
  group.members.push(member.name);
  ctx.tenant.touch(group);
  if (ctx.job.state.users.get(member.name)?.managed !== false) ctx.tenant.touch(member);
};

const removeMember: Handler = async (ctx, args) => {
  const { group, user: member } = membership(ctx, 'remove-member', args);
  if (!group.members.includes(member.name)) throw new Error(`${member.name} is not a member of ${group.name}`);
  group.members = group.members.filter((m) => m !== member.name);
  ctx.tenant.touch(group);
  ctx.tenant.touch(member);
};

const cycle: Handler = async (ctx, args) => {
  const { job } = ctx;
  if (args !== 'initial' && args !== 'incremental') throw new Error(`cycle takes initial or incremental, got ${shown(args)}`);
  if (job.state.code === 'Paused') throw new Error('the job is paused (stopped, disabled after four weeks in quarantine, or after an initial cycle that pruned its escrows); start or restart it');
  if (args === 'initial' && job.state.watermark !== undefined) throw new Error('the initial cycle has run; restart runs a new one');
  if (args === 'incremental' && job.state.watermark === undefined) throw new Error('no initial cycle has completed yet: run cycle: initial first');
  await job.cycle(args);
};

const advance: Handler = async (ctx, args) => {
  const ms = typeof args === 'string' || typeof args === 'number' ? parseDuration(args) : undefined;
  if (ms === undefined) throw new Error(`advance takes a duration such as 40m, 6h, 30d, 1h30m, got ${shown(args)}`);
  await ctx.job.advance(ms);
};

/** Restart provisioning, as the portal does, or with Graph's `resetScope` (Entra ref §5.7). */
const restart: Handler = async (ctx, args) => {
  if (args === null || args === true || (isMapping(args) && Object.keys(args).length === 0)) return ctx.job.restart();
  if (!isMapping(args)) throw new Error(`restart takes no argument, or { resetScope: [Full] } with Graph's scopes, got ${shown(args)}`);
  const { resetScope } = eventFields('restart', args, ['resetScope'], ['resetScope']);
  const scopes = [resetScope].flat();
  const wrong = scopes.find((scope) => !RESET_SCOPES.includes(scope as ResetScope));
  if (scopes.length === 0 || wrong !== undefined) throw new Error(`restart: resetScope takes ${RESET_SCOPES.join(', ')} (one or a list), got ${shown(wrong ?? resetScope)}`);
  await ctx.job.restart(scopes as ResetScope[]);
};

/** The most members a group takes with it on demand (Entra ref §5.9). */
const ON_DEMAND_MEMBERS = 5;

/**
 * Provision on demand (Entra ref §5.9): "One user (or one group with up to 5 members) at a time".
 * A group takes the members named in `members`, by default its user members when they are 5 or fewer.
 */
const provisionOnDemand: Handler = async (ctx, args) => {
  const { user: userName, group: groupName, members } = eventFields('provision-on-demand', args, ['user', 'group', 'members'], [], 'user');
  if ((userName === undefined) === (groupName === undefined)) throw new Error('provision-on-demand takes a user or a group: write provision-on-demand: adele or provision-on-demand: { group: sales, members: [adele] }');
  // A bare name finds a group before a user, as in every event.
  const named = groupName ?? (typeof userName === 'string' && ctx.tenant.groups.has(userName) ? userName : undefined);
  if (named === undefined) {
    if (members !== undefined) throw new Error('provision-on-demand: members goes with a group');
    return ctx.job.provisionOnDemand({ user: ctx.tenant.user(userName) });
  }
  const group = ctx.tenant.group(named);
  if (members !== undefined && (!Array.isArray(members) || members.length === 0)) throw new Error(`provision-on-demand: members lists users of ${group.name}, got ${shown(members)}`);
  const chosen = members === undefined ? ctx.tenant.userMembers(group) : (members as unknown[]).map((name) => ctx.tenant.user(name));
  const outsider = chosen.find((member) => !group.members.includes(member.name));
  if (outsider) throw new Error(`provision-on-demand: ${outsider.name} is not a member of ${group.name}`);
  if (chosen.length > ON_DEMAND_MEMBERS) {
    throw new Error(`provision-on-demand takes a group with up to ${ON_DEMAND_MEMBERS} members (Entra ref §5.9); ${group.name} has ${chosen.length}: choose them with members: [...]`);
  }
  await ctx.job.provisionOnDemand({ group, members: [...new Set(chosen)] });
};

/** Changes the Secret Token Entra sends; null goes back to the run's credentials (Entra ref §1.1). */
const setSecretToken: Handler = async (ctx, args) => {
  if (args !== null && (typeof args !== 'string' || args === '')) throw new Error(`set-secret-token takes a token, or null for the run's credentials, got ${shown(args)}`);
  ctx.transport.secretToken = args ?? undefined;
};

export const EVENTS: Record<string, Handler> = {
  assign,
  unassign,
  update,
  disable: setEnabled(false),
  enable: setEnabled(true),
  'soft-delete': softDelete,
  restore,
  'hard-delete': hardDelete,
  'add-member': addMember,
  'remove-member': removeMember,
  cycle,
  advance,
  restart,
  'provision-on-demand': provisionOnDemand,
  'allow-deletes': async (ctx, args) => {
    noEventArgument('allow-deletes', args);
    await ctx.job.allowDeletes();
  },
  'set-secret-token': setSecretToken,
  stop: async (ctx, args) => {
    noEventArgument('stop', args);
    ctx.job.stop();
  },
  start: async (ctx, args) => {
    noEventArgument('start', args);
    await ctx.job.start();
  },
  'test-connection': async (ctx, args) => {
    noEventArgument('test-connection', args);
    await ctx.job.testConnection();
  },
};
