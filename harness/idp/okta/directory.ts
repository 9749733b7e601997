import { isMapping } from '../../scenario/shapes.js';
import { OKTA_ID, oktaId } from './ids.js';
import type { OktaSettings } from './settings.js';

/*
 * The simulated Okta org: users and groups from the scenario's `directory:` (docs/okta.md), the
 * app's assignments and Group Push mappings, and what Okta knows of each app user on the target.
 */

export type OktaUserStatus = 'ACTIVE' | 'SUSPENDED' | 'DEPROVISIONED';

export interface OktaUser {
  /** The scenario's name for the user (`ada`). */
  name: string;
  /** `00u…`, 20 characters; Okta sends it as externalId (Okta ref §4.2). */
  id: string;
  status: OktaUserStatus;
  /** Okta profile attributes: login, email, firstName, lastName, displayName, locale, and any other. */
  profile: Record<string, unknown>;
  /** The Okta password, pushed when Sync Password sends the Okta password (Okta ref §8). */
  password?: string;
}

export interface OktaGroup {
  name: string;
  /** `00g…`, 20 characters. */
  id: string;
  /** The group's name in Okta, pushed as displayName. */
  displayName: string;
  /** Member user names, in order. */
  members: string[];
}

/** What Okta knows of a user's account in the app (the "app user"). */
export interface AppUser {
  /** The target's id, from the POST answer or the lookup match. */
  remoteId: string;
  /** Okta's view of the remote `active`; it can be stale (Okta ref §5.1). */
  active: boolean;
  /** The password Okta last set: the create placeholder or a synced one (Okta ref §4.2, §8). */
  password?: string;
}

const USER_KEYS = ['id', 'status', 'password'];
const GROUP_KEYS = ['id', 'name', 'members'];
const STATUSES: OktaUserStatus[] = ['ACTIVE', 'SUSPENDED', 'DEPROVISIONED'];

function entries(value: unknown, where: string): [string, Record<string, unknown>][] {
  if (value === undefined || value === null) return [];
  if (!isMapping(value)) throw new Error(`directory.${where} must be a mapping of names to ${where === 'users' ? 'profiles' : 'groups'}`);
  return Object.entries(value).map(([name, item]) => {
    if (!isMapping(item)) throw new Error(`directory.${where}.${name} must be a mapping`);
    return [name, item];
  });
}

function readUser(name: string, raw: Record<string, unknown>, seed: string): OktaUser {
  const where = `directory.users.${name}`;
  if (typeof raw.login !== 'string' || raw.login === '') {
    const hint = 'userName' in raw ? ' (Okta calls the username login; userName is what the target gets)' : '';
    throw new Error(`${where} needs login, the Okta username (ada@example.com)${hint}`);
  }
  const id = raw.id ?? oktaId('00u', seed, name);
  if (typeof id !== 'string' || !OKTA_ID['00u'].test(id)) throw new Error(`${where}.id must be an Okta user id: 00u and 17 letters or digits, got ${JSON.stringify(id)}`);
  const status = raw.status ?? 'ACTIVE';
  if (!STATUSES.includes(status as OktaUserStatus)) throw new Error(`${where}.status must be one of ${STATUSES.join(', ')}, got ${JSON.stringify(status)}`);
  if (raw.password !== undefined && typeof raw.password !== 'string') throw new Error(`${where}.password must be text`);
  const profile: Record<string, unknown> = { login: raw.login, email: raw.email ?? raw.login };
  const fullName = [raw.firstName, raw.lastName].filter((part) => typeof part === 'string' && part !== '').join(' ');
  if (fullName !== '') profile.displayName = fullName;
  profile.locale = 'en-US';
  for (const [key, value] of Object.entries(raw)) if (!USER_KEYS.includes(key)) profile[key] = value;
  return { name, id, status: status as OktaUserStatus, profile, ...(raw.password !== undefined && { password: raw.password as string }) };
}

function readGroup(name: string, raw: Record<string, unknown>, seed: string, users: Map<string, OktaUser>): OktaGroup {
  const where = `directory.groups.${name}`;
  const unknown = Object.keys(raw).find((key) => !GROUP_KEYS.includes(key));
  if (unknown) throw new Error(`unknown key ${unknown} in ${where}: an Okta group has ${GROUP_KEYS.join(', ')} (its name in Okta is pushed as displayName)`);
  const id = raw.id ?? oktaId('00g', seed, name);
  if (typeof id !== 'string' || !OKTA_ID['00g'].test(id)) throw new Error(`${where}.id must be an Okta group id: 00g and 17 letters or digits, got ${JSON.stringify(id)}`);
  const displayName = raw.name ?? name;
  if (typeof displayName !== 'string' || displayName === '') throw new Error(`${where}.name must be text`);
  const members = raw.members ?? [];
  if (!Array.isArray(members) || members.some((m) => typeof m !== 'string' || !users.has(m))) {
    throw new Error(`${where}.members must list user names from directory.users (${[...users.keys()].join(', ') || 'none'}), got ${JSON.stringify(members)}`);
  }
  return { name, id, displayName, members: [...new Set(members as string[])] };
}

export class OktaOrg {
  readonly users = new Map<string, OktaUser>();
  readonly groups = new Map<string, OktaGroup>();
  /** Users assigned to the app directly. */
  readonly direct = new Set<string>();
  /** Groups assigned to the app: their members are assigned through them. */
  readonly assignedGroups = new Set<string>();
  /** App users Okta has linked to a target resource, by user name. */
  readonly appUsers = new Map<string, AppUser>();
  /** Group Push mappings: the target group's id, by group name. */
  readonly pushed = new Map<string, string>();
  /** The name each pushed group has in the app, which stays the app's own when "Rename app groups" is off (Okta ref §10.2). */
  readonly appGroupNames = new Map<string, string>();
  /** Users whose assignment task failed before Okta linked them: Retry Selected runs it again (Okta ref §11, §12). */
  readonly failedAssignments = new Set<string>();
  /** Every target path a name was provisioned as, kept after unassignment so expect steps can read it back. */
  readonly targets = new Map<string, string>();
  /** Provisioning is on: assignments provision. Off, they send nothing (Okta ref §4); settings.provisioningEnabled sets it. */
  provisioningEnabled = true;

  constructor(directory: unknown, seed: string) {
    if (directory !== undefined && directory !== null && !isMapping(directory)) throw new Error('directory must be a mapping with users and groups');
    const raw = (directory ?? {}) as Record<string, unknown>;
    const unknown = Object.keys(raw).find((key) => key !== 'users' && key !== 'groups');
    if (unknown) throw new Error(`unknown key ${unknown} in directory: the Okta directory has users and groups; assignments and pushes are steps (see docs/okta.md)`);
    for (const [name, item] of entries(raw.users, 'users')) this.users.set(name, readUser(name, item, seed));
    for (const [name, item] of entries(raw.groups, 'groups')) this.groups.set(name, readGroup(name, item, seed, this.users));
    const taken = new Map<string, string>();
    for (const object of [...this.users.values(), ...this.groups.values()]) {
      if (taken.has(object.id)) throw new Error(`directory: ${object.name} and ${taken.get(object.id)} have the same id ${object.id}`);
      taken.set(object.id, object.name);
    }
  }

  user(name: unknown): OktaUser {
    const user = typeof name === 'string' ? this.users.get(name) : undefined;
    if (!user) throw new Error(`${JSON.stringify(name)} is not a user in directory.users (${[...this.users.keys()].join(', ') || 'none'})`);
    return user;
  }

  group(name: unknown): OktaGroup {
    const group = typeof name === 'string' ? this.groups.get(name) : undefined;
    if (!group) throw new Error(`${JSON.stringify(name)} is not a group in directory.groups (${[...this.groups.keys()].join(', ') || 'none'})`);
    return group;
  }

  /** The groups through which the user is assigned to the app. */
  assigningGroups(user: string): OktaGroup[] {
    return [...this.assignedGroups].map((g) => this.groups.get(g)!).filter((g) => g.members.includes(user));
  }

  isAssigned(user: string): boolean {
    return this.direct.has(user) || this.assigningGroups(user).length > 0;
  }

  /** The app username, sent as userName and in the lookup filter (Okta ref §4.1). */
  appUsername(user: OktaUser, settings: OktaSettings): string {
    return String(settings.appUsernameFormat === 'email' ? user.profile.email : user.profile.login);
  }

  /** The name the Okta admin console shows for the user: first and last name, as in §12's texts. */
  fullName(user: OktaUser): string {
    const name = [user.profile.firstName, user.profile.lastName].filter((p) => typeof p === 'string' && p !== '').join(' ');
    return name || String(user.profile.login);
  }

  link(user: string, remoteId: string, active: boolean): void {
    this.appUsers.set(user, { remoteId, active });
    this.targets.set(user, `/Users/${encodeURIComponent(remoteId)}`);
  }

  linkGroup(group: string, remoteId: string, appName: string): void {
    this.pushed.set(group, remoteId);
    this.appGroupNames.set(group, appName);
    this.targets.set(group, `/Groups/${encodeURIComponent(remoteId)}`);
  }
}
