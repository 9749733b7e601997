import { GUID, guid } from './ids.js';
import type { SourceView } from './mapping.js';
import { isMapping, shown } from '../../scenario/shapes.js';
import type { EntraSettings, ScopingClause } from './settings.js';

/*
 * The simulated Entra tenant: users with the source properties of the default mappings
 * (Entra ref §1.2), groups with members, the app's assignments, and a change counter that stands
 * for Entra's delta query (§5.3: incremental cycles see only what changed since the watermark).
 */

export type UserState = 'active' | 'soft-deleted' | 'hard-deleted';

export interface EntraUser {
  /** The scenario's name for the user. */
  name: string;
  objectId: string;
  /** Source properties: userPrincipalName, givenName, surname, mail, …; `manager` is another user's name. */
  properties: Record<string, unknown>;
  state: UserState;
  /** When it went to the recycle bin, in ms on the virtual clock; Entra deletes it for good 30 days later (Entra ref §5.3 step 8). */
  softDeletedAt?: number;
  /** The change number of the last change (see `EntraTenant.touch`). */
  changed: number;
}

/** "Entra hard-deletes 30 days after soft delete" (Entra ref §5.3 step 8, §6.5). */
export const PURGE_AFTER = 30 * 24 * 3_600_000;

export interface EntraGroup {
  name: string;
  objectId: string;
  /** Source properties: displayName, mailNickname, description, …. */
  properties: Record<string, unknown>;
  /** Names of users and of nested groups (Entra ref §7.4). */
  members: string[];
  deleted: boolean;
  changed: number;
}

/** Keys of a directory user that are not plain text properties. */
const SPECIAL = new Set(['objectId', 'softDeleted', 'accountEnabled', 'manager']);

function entries(value: unknown, where: string): [string, Record<string, unknown>][] {
  if (value === undefined || value === null) return [];
  if (!isMapping(value)) throw new Error(`directory.${where} must be a mapping of names to ${where === 'users' ? 'users' : 'groups'}`);
  return Object.entries(value).map(([name, item]) => {
    if (!isMapping(item)) throw new Error(`directory.${where}.${name} must be a mapping`);
    return [name, item];
  });
}

function objectId(where: string, raw: unknown, seed: string, name: string): string {
  const id = raw ?? guid(seed, 'object', name);
  if (typeof id !== 'string' || !GUID.test(id)) throw new Error(`${where}.objectId must be a GUID, got ${shown(id)}`);
  return id;
}

function readUser(name: string, raw: Record<string, unknown>, seed: string): EntraUser {
  const where = `directory.users.${name}`;
  if (typeof raw.userPrincipalName !== 'string' || raw.userPrincipalName === '') {
    const hint = 'userName' in raw ? ' (Entra calls it userPrincipalName; userName is what the target gets)' : '';
    throw new Error(`${where} needs userPrincipalName (adele@contoso.com)${hint}`);
  }
  if (raw.accountEnabled !== undefined && typeof raw.accountEnabled !== 'boolean') throw new Error(`${where}.accountEnabled must be true or false`);
  if (raw.softDeleted !== undefined && typeof raw.softDeleted !== 'boolean') throw new Error(`${where}.softDeleted must be true or false`);
  const properties: Record<string, unknown> = { accountEnabled: raw.accountEnabled ?? true };
  for (const [key, value] of Object.entries(raw)) {
    if (SPECIAL.has(key)) continue;
    if (value !== null && typeof value !== 'string' && typeof value !== 'number') throw new Error(`${where}.${key} must be text (a source property), got ${shown(value)}`);
    if (value !== null) properties[key] = String(value);
  }
  // mailNickname is required in Entra; it defaults to the UPN's local part, as the portal fills it.
  properties.mailNickname ??= raw.userPrincipalName.split('@')[0];
  if (raw.manager !== undefined) properties.manager = raw.manager;
  const id = objectId(where, raw.objectId, seed, name);
  properties.objectId = id;
  return { name, objectId: id, properties, state: raw.softDeleted === true ? 'soft-deleted' : 'active', changed: 0 };
}

const GROUP_KEYS = ['objectId', 'displayName', 'mailNickname', 'description', 'members'];

/** A group's members name users, or other groups (nesting, Entra ref §7.4), never the group itself. */
function readGroup(name: string, raw: Record<string, unknown>, seed: string, names: Set<string>): EntraGroup {
  const where = `directory.groups.${name}`;
  const unknown = Object.keys(raw).find((key) => !GROUP_KEYS.includes(key));
  if (unknown) throw new Error(`unknown key ${unknown} in ${where}: an Entra group has ${GROUP_KEYS.join(', ')}`);
  const members = raw.members ?? [];
  if (!Array.isArray(members) || members.some((m) => typeof m !== 'string' || !names.has(m) || m === name)) {
    throw new Error(`${where}.members must list names of other users and groups of the directory (${[...names].filter((n) => n !== name).join(', ') || 'none'}), got ${shown(members)}`);
  }
  const id = objectId(where, raw.objectId, seed, name);
  const properties: Record<string, unknown> = { objectId: id, displayName: raw.displayName ?? name };
  for (const key of ['displayName', 'mailNickname', 'description']) {
    if (raw[key] !== undefined && (typeof raw[key] !== 'string' || raw[key] === '')) throw new Error(`${where}.${key} must be text`);
    if (raw[key] !== undefined) properties[key] = raw[key];
  }
  return { name, objectId: id, properties, members: [...new Set(members as string[])], deleted: false, changed: 0 };
}

export class EntraTenant {
  readonly users = new Map<string, EntraUser>();
  readonly groups = new Map<string, EntraGroup>();
  /** Users and groups assigned to the app, by name. */
  readonly assigned = new Set<string>();
  /** The change counter: each source change takes the next number. */
  private changes = 0;

  constructor(directory: unknown, seed: string) {
    if (directory !== undefined && directory !== null && !isMapping(directory)) throw new Error('directory must be a mapping with users, groups and assignments');
    const raw = (directory ?? {}) as Record<string, unknown>;
    const unknown = Object.keys(raw).find((key) => !['users', 'groups', 'assignments'].includes(key));
    if (unknown) throw new Error(`unknown key ${unknown} in directory: the Entra directory has users, groups and assignments (see docs/entra.md)`);
    for (const [name, item] of entries(raw.users, 'users')) this.users.set(name, readUser(name, item, seed));
    const groups = entries(raw.groups, 'groups');
    const names = new Set([...this.users.keys(), ...groups.map(([name]) => name)]);
    for (const [name, item] of groups) {
      if (this.users.has(name)) throw new Error(`directory: ${name} is both a user and a group; give them different names`);
      this.groups.set(name, readGroup(name, item, seed, names));
    }
    for (const user of this.users.values()) {
      const manager = user.properties.manager;
      if (manager !== undefined && (typeof manager !== 'string' || !this.users.has(manager) || manager === user.name)) {
        throw new Error(`directory.users.${user.name}.manager must name another user of directory.users, got ${shown(manager)}`);
      }
    }
    const taken = new Map<string, string>();
    for (const object of [...this.users.values(), ...this.groups.values()]) {
      if (taken.has(object.objectId)) throw new Error(`directory: ${object.name} and ${taken.get(object.objectId)} have the same objectId ${object.objectId}`);
      taken.set(object.objectId, object.name);
    }
    const assignments = raw.assignments ?? [];
    if (!Array.isArray(assignments)) throw new Error('directory.assignments must list the users and groups assigned to the app');
    for (const name of assignments) {
      if (typeof name !== 'string' || (!this.users.has(name) && !this.groups.has(name))) {
        throw new Error(`directory.assignments: ${shown(name)} is not a user or group of the directory`);
      }
      this.assigned.add(name);
    }
  }

  user(name: unknown): EntraUser {
    const user = typeof name === 'string' ? this.users.get(name) : undefined;
    if (!user) throw new Error(`${shown(name)} is not a user in directory.users (${[...this.users.keys()].join(', ') || 'none'})`);
    return user;
  }

  group(name: unknown): EntraGroup {
    const group = typeof name === 'string' ? this.groups.get(name) : undefined;
    if (!group) throw new Error(`${shown(name)} is not a group in directory.groups (${[...this.groups.keys()].join(', ') || 'none'})`);
    return group;
  }

  /** The current change number: a watermark taken now covers every change so far. */
  get changeNumber(): number {
    return this.changes;
  }

  /** Records a change to the object, for the next incremental cycle's delta (Entra ref §5.3). */
  touch(object: EntraUser | EntraGroup): void {
    object.changed = ++this.changes;
  }

  /** Deletes a user for good: out of every group, and a change for the next cycle (Entra ref §6.5). */
  hardDelete(user: EntraUser): void {
    user.state = 'hard-deleted';
    user.softDeletedAt = undefined;
    for (const group of this.groups.values()) group.members = group.members.filter((m) => m !== user.name);
    this.touch(user);
  }

  /** Deletes a group: out of every group it was nested in, as a deleted user is (Entra ref §7.6). */
  deleteGroup(group: EntraGroup): void {
    group.deleted = true;
    for (const parent of this.groups.values()) parent.members = parent.members.filter((m) => m !== group.name);
    this.touch(group);
  }

  /** Every group, each after the groups nested in it, so that a nested group has its target id before its parent's members are sent (Entra ref §7.4). */
  groupsMembersFirst(): EntraGroup[] {
    const ordered = new Set<EntraGroup>();
    const visit = (group: EntraGroup, path: Set<EntraGroup>) => {
      if (ordered.has(group) || path.has(group)) return;
      path.add(group);
      for (const member of group.members) {
        const nested = this.groups.get(member);
        if (nested) visit(nested, path);
      }
      ordered.add(group);
    };
    for (const group of this.groups.values()) visit(group, new Set());
    return [...ordered];
  }

  /** Users among a group's members; nested groups are members too (Entra ref §7.4). */
  userMembers(group: EntraGroup): EntraUser[] {
    return group.members.flatMap((name) => this.users.get(name) ?? []);
  }

  /** Deletes for good every user in the recycle bin for 30 days by `now` (Entra ref §5.3 step 8). */
  purge(now: number): void {
    for (const user of this.users.values()) {
      if (user.state === 'soft-deleted' && user.softDeletedAt !== undefined && user.softDeletedAt + PURGE_AFTER <= now) this.hardDelete(user);
    }
  }

  /**
   * Assigned directly or through an assigned group (Entra ref §6.4: leaving that group unassigns).
   * Only its direct members: provisioning beyond the first level of nesting is unsupported (§7.4).
   */
  isAssigned(user: EntraUser): boolean {
    if (this.assigned.has(user.name)) return true;
    return [...this.groups.values()].some((g) => !g.deleted && this.assigned.has(g.name) && g.members.includes(user.name));
  }

  /** In the job's scope: assigned (or "Sync all") and through the scoping filter (Entra ref §5.2 step 2). */
  inScope(user: EntraUser, settings: Pick<EntraSettings, 'scope' | 'scopingFilter'>): boolean {
    if (user.state === 'hard-deleted') return false;
    if (settings.scope === 'assigned' && !this.isAssigned(user)) return false;
    return settings.scopingFilter.every((clause) => passes(clause, this.view(user).property(clause.attribute)));
  }

  groupInScope(group: EntraGroup, settings: Pick<EntraSettings, 'scope'>): boolean {
    return !group.deleted && (settings.scope === 'all' || this.assigned.has(group.name));
  }

  /** Effectively entitled: in scope, enabled and not soft-deleted; the opposite is IsSoftDeleted (Entra ref §1.2). */
  entitled(user: EntraUser, settings: Pick<EntraSettings, 'scope' | 'scopingFilter'>): boolean {
    return this.inScope(user, settings) && user.state === 'active' && user.properties.accountEnabled === true;
  }

  /** A user's source as the mappings read it. */
  view(user: EntraUser, isSoftDeleted = false): SourceView {
    return {
      isSoftDeleted,
      property(name) {
        const value = user.properties[name === 'originalUserPrincipalName' ? 'userPrincipalName' : name];
        // B2B guests: "#EXT#" and the tenant domain are stripped before matching and provisioning (Entra ref §1.2).
        if (name === 'userPrincipalName' && typeof value === 'string' && value.includes('#EXT#')) return value.slice(0, value.indexOf('#EXT#'));
        return value;
      },
    };
  }

  groupView(group: EntraGroup): SourceView {
    return { isSoftDeleted: false, property: (name) => group.properties[name] };
  }
}

/** One scoping clause on a source value; booleans read as "True"/"False" like every source value. */
function passes(clause: ScopingClause, raw: unknown): boolean {
  const value = raw === undefined || raw === null || raw === '' ? undefined : typeof raw === 'boolean' ? (raw ? 'True' : 'False') : String(raw);
  switch (clause.operator) {
    case 'EQUALS':
      return value === clause.value;
    case 'NOT EQUALS':
      return value !== clause.value;
    case 'IS TRUE':
      return value?.toLowerCase() === 'true';
    case 'IS FALSE':
      return value?.toLowerCase() === 'false';
    case 'IS NULL':
      return value === undefined;
    case 'IS NOT NULL':
      return value !== undefined;
    case 'REGEX MATCH':
      return value !== undefined && new RegExp(clause.value!).test(value);
    case 'NOT REGEX MATCH':
      return value === undefined || !new RegExp(clause.value!).test(value);
  }
}
