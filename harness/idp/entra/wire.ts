import type { JsonObject } from '../../../scim/schema/keys.js';
import { URN } from '../../../scim/schema/urns.js';
import { isFiltered, parseTarget } from './mapping.js';
import { compliantPatch, type EntraSettings } from './settings.js';

/*
 * Every request Entra sends, as data: method, path relative to the SCIM base URL (with the query
 * encoded as Entra encodes it) and body, keys in the order of the Entra reference's examples. Pure: the
 * cycle decides what to send, the transport sends it.
 */

export interface WireRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  body?: JsonObject;
}

/** One mapped value, as the create POST or a diff carries it: strings, and `active` as a boolean. */
export interface Leaf {
  target: string;
  value: string | boolean;
}

export type Op = 'Add' | 'Replace' | 'Remove';

/** One changed attribute: `Add` when the target has no value, `Replace` when it has (Entra ref §6.3). */
export interface Change extends Leaf {
  op: Op;
}

/** How PATCH bodies are shaped: the legacy dialect or aadOptscim062020's (Entra ref §6.3–§6.4, §7.5, §8). */
export interface Dialect {
  compliant: boolean;
  /** With the flag, a single changed plain attribute also goes into the value object (unverified, §12). */
  foldSingle: boolean;
  activeCase: EntraSettings['activeStringCase'];
  memberRefNull: boolean;
}

/** The job's dialect; provisioning on demand ignores the flag (Entra ref §5.9, §10.19). */
export function dialectOf(settings: EntraSettings, onDemand = false): Dialect {
  return {
    compliant: compliantPatch(settings) && !onDemand,
    foldSingle: settings.foldSingleAttribute,
    activeCase: settings.activeStringCase,
    memberRefNull: settings.memberRefNull,
  };
}

export interface QueryStyle {
  encodeAtSign: boolean;
  quoteFilterValues: boolean;
}

/** The Microsoft group schema URI of the documented group POST (Entra ref §7.2, §10.11). */
export const ADSCIM_GROUP = 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group';

/**
 * .NET's form encoding (WebUtility.UrlEncode): letters, digits and `-_.!*()` stay, a space is `+`,
 * everything else %XX of its UTF-8 bytes (Entra ref §2: `userName+eq+%22…%22`; `@` as `%40` is unverified).
 */
export function formEncode(text: string, encodeAtSign: boolean): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const c = String.fromCharCode(byte);
    if (/[A-Za-z0-9\-_.!*()]/.test(c) || (c === '@' && !encodeAtSign)) out += c;
    else if (c === ' ') out += '+';
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** `attribute eq "value"`; only `eq` is ever used (Entra ref §2). Unquoted is the legacy doc example's form (§10.9). */
function eqFilter(attribute: string, value: string, style: QueryStyle): string {
  return `${attribute} eq ${style.quoteFilterValues ? `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"` : value}`;
}

const id = (value: string) => encodeURIComponent(value);

/** The matching query before a create (Entra ref §6.1), and with a random GUID the probe of every cycle (§3). */
export function findUsers(attribute: string, value: string, style: QueryStyle): WireRequest {
  return { method: 'GET', path: `/Users?filter=${formEncode(eqFilter(attribute, value, style), style.encodeAtSign)}` };
}

export function getUser(remoteId: string): WireRequest {
  return { method: 'GET', path: `/Users/${id(remoteId)}` };
}

/** Group reads always exclude members; `excludedAttributes` comes first (Entra ref §7.1, §10.10). */
export function findGroups(attribute: string, value: string, style: QueryStyle): WireRequest {
  return { method: 'GET', path: `/Groups?excludedAttributes=members&filter=${formEncode(eqFilter(attribute, value, style), style.encodeAtSign)}` };
}

export function getGroup(remoteId: string): WireRequest {
  return { method: 'GET', path: `/Groups/${id(remoteId)}?excludedAttributes=members` };
}

/** Sets `value` under `key` as an own data property, even for `__proto__`. */
function put(obj: JsonObject, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

/** The multi-valued element a `[type eq "x"]` leaf lands on; a work email is the primary one (Entra ref §6.2). */
function element(obj: JsonObject, attr: string, filter: { attr: string; value: string }): JsonObject {
  const list = (obj[attr] ??= []) as JsonObject[];
  let found = list.find((e) => e[filter.attr] === filter.value);
  if (!found) {
    found = attr === 'emails' && filter.value === 'work' ? { primary: true, [filter.attr]: filter.value } : { [filter.attr]: filter.value };
    list.push(found);
  }
  return found;
}

/** The leaves as nested SCIM: extensions under their URN key (Entra ref §6.2: nested, not dotted). */
function nest(leaves: readonly Leaf[]): JsonObject {
  const out: JsonObject = {};
  for (const { target, value } of leaves) {
    const path = parseTarget(target)!;
    let at = out;
    if (path.urn !== undefined) at = (out[path.urn] ??= {}) as JsonObject;
    if (path.filter) put(element(at, path.attr, path.filter), path.sub!, value);
    else if (path.sub !== undefined) put((at[path.attr] ??= {}) as JsonObject, path.sub, value);
    else put(at, path.attr, value);
  }
  return out;
}

/** Copies `keys` of `from` first, in that order, then the rest in their own order. */
function ordered(from: JsonObject, keys: readonly string[]): JsonObject {
  const out: JsonObject = {};
  for (const key of [...keys, ...Object.keys(from)]) if (Object.hasOwn(from, key) && !Object.hasOwn(out, key)) put(out, key, from[key]);
  return out;
}

export interface CreateOptions {
  /** `primary: false` on work addresses and phone numbers (unverified, Entra ref §6.2). */
  primaryOnAddressesAndPhones: boolean;
  /** `active` as the string "True" (legacy option, Entra ref §6.2). */
  activeString: boolean;
}

/**
 * The create POST (Entra ref §6.2): both user schemas, the mapped values in the documented order
 * (externalId, userName, active, …, emails, meta, name, addresses, phoneNumbers, extensions) and
 * `roles: []`. Custom extension URNs are not added to `schemas` (§1.2). No nulls: absent leaves are
 * simply not there.
 */
export function createUser(leaves: readonly Leaf[], options: CreateOptions): WireRequest {
  const nested = nest(leaves.map((leaf) => (leaf.target === 'active' && options.activeString ? { ...leaf, value: leaf.value ? 'True' : 'False' } : leaf)));
  for (const attr of ['addresses', 'phoneNumbers']) {
    if (options.primaryOnAddressesAndPhones && Array.isArray(nested[attr])) for (const e of nested[attr] as JsonObject[]) e.primary = false;
  }
  if (nested.name !== undefined) nested.name = ordered(nested.name as JsonObject, ['formatted', 'familyName', 'givenName']);
  const core = Object.keys(nested).filter((k) => !k.startsWith('urn:'));
  const known = ['externalId', 'userName', 'active', 'displayName', 'title', 'preferredLanguage', 'emails', 'name', 'addresses', 'phoneNumbers'];
  const body: JsonObject = { schemas: [URN.user, URN.enterpriseUser] };
  for (const key of [...known.slice(0, 6), ...core.filter((k) => !known.includes(k)), 'emails']) if (key in nested) put(body, key, nested[key]);
  body.meta = { resourceType: 'User' };
  for (const key of ['name', 'addresses', 'phoneNumbers']) if (key in nested) put(body, key, nested[key]);
  for (const key of Object.keys(nested).filter((k) => k.startsWith('urn:'))) put(body, key, nested[key]);
  body.roles = [];
  return { method: 'POST', path: '/Users', body };
}

/** The group POST: no members, "Groups are created with an empty members list" (Entra ref §7.2). */
export function createGroup(leaves: readonly Leaf[], adscimSchema: boolean): WireRequest {
  const nested = nest(leaves);
  const body = ordered({ schemas: [URN.group, ...(adscimSchema ? [ADSCIM_GROUP] : [])], ...nested }, ['schemas', 'externalId', 'displayName']);
  body.meta = { resourceType: 'Group' };
  return { method: 'POST', path: '/Groups', body };
}

function patch(path: string, operations: JsonObject[]): WireRequest {
  return { method: 'PATCH', path, body: { schemas: [URN.patchOp], Operations: operations } };
}

const opName = (op: Op, dialect: Dialect) => (dialect.compliant ? op.toLowerCase() : op);

/** `active` in the legacy dialect is the Switch expression's string (Entra ref §6.4, §10.2). */
function wireValue(change: Leaf, dialect: Dialect): unknown {
  if (dialect.compliant || typeof change.value !== 'boolean') return change.value;
  const text = change.value ? 'True' : 'False';
  return dialect.activeCase === 'lowercase' ? text.toLowerCase() : text;
}

/**
 * The operations of an update (Entra ref §6.3). Legacy: one capitalised op per attribute. With the
 * flag: lowercase; filtered paths and `add`s stay path ops, and two or more plain replaces fold
 * into one path-less `replace` whose value object has the paths as flat keys, sent last.
 */
function operations(changes: readonly Change[], dialect: Dialect): JsonObject[] {
  const pathOp = (c: Change): JsonObject => ({ op: opName(c.op, dialect), path: c.target, value: wireValue(c, dialect) });
  if (!dialect.compliant) return changes.map(pathOp);
  const foldable = changes.filter((c) => c.op === 'Replace' && !isFiltered(c.target));
  const fold = foldable.length >= 2 || (foldable.length === 1 && dialect.foldSingle);
  if (!fold) return changes.map(pathOp);
  const value: JsonObject = {};
  for (const c of foldable) put(value, c.target, c.value);
  return [...changes.filter((c) => !foldable.includes(c)).map(pathOp), { op: 'replace', value }];
}

export function patchUser(remoteId: string, changes: readonly Change[], dialect: Dialect): WireRequest {
  return patch(`/Users/${id(remoteId)}`, operations(changes, dialect));
}

/** Group rename and other attributes (Entra ref §7.3); the flag's form is unverified and follows §6.3. */
export function patchGroup(remoteId: string, changes: readonly Change[], dialect: Dialect): WireRequest {
  return patch(`/Groups/${id(remoteId)}`, operations(changes, dialect));
}

/** The manager link: a separate PATCH whose value is the manager's target id as a bare string (Entra ref §6.6, §10.6). */
export function setManager(remoteId: string, managerId: string, op: 'Add' | 'Replace', dialect: Dialect): WireRequest {
  return patch(`/Users/${id(remoteId)}`, [{ op: opName(op, dialect), path: `${URN.enterpriseUser}:manager`, value: managerId }]);
}

/** The manager removal some report, a filter on a single-valued attribute (unverified, Entra ref §6.3, §10.7). */
export function removeManager(remoteId: string, managerId: string, dialect: Dialect): WireRequest {
  return patch(`/Users/${id(remoteId)}`, [{ op: opName('Remove', dialect), path: `manager[value eq "${managerId}"]` }]);
}

export function deleteUser(remoteId: string): WireRequest {
  return { method: 'DELETE', path: `/Users/${id(remoteId)}` };
}

export function deleteGroup(remoteId: string): WireRequest {
  return { method: 'DELETE', path: `/Groups/${id(remoteId)}` };
}

function batches<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let at = 0; at < items.length; at += size) out.push(items.slice(at, at + size));
  return out;
}

/** A member value: the member's target id; legacy values carry `"$ref": null` (Entra ref §7.4, §10.13). */
function member(value: string, dialect: Dialect): JsonObject {
  return !dialect.compliant && dialect.memberRefNull ? { $ref: null, value } : { value };
}

/** Members added, `batchSize` per PATCH, one `Add` op each (Entra ref §7.4). */
export function addMembers(remoteId: string, memberIds: readonly string[], dialect: Dialect, batchSize: number): WireRequest[] {
  return batches(memberIds, batchSize).map((batch) =>
    patch(`/Groups/${id(remoteId)}`, [{ op: opName('Add', dialect), path: 'members', value: batch.map((m) => member(m, dialect)) }]),
  );
}

/**
 * Members removed (Entra ref §7.5): legacy, a `value` array on `path: members` (which wipes the group
 * on an RFC-strict server, §10.3); with the flag, one `members[value eq "…"]` op per member.
 */
export function removeMembers(remoteId: string, memberIds: readonly string[], dialect: Dialect, batchSize: number): WireRequest[] {
  return batches(memberIds, batchSize).map((batch) =>
    patch(
      `/Groups/${id(remoteId)}`,
      dialect.compliant
        ? batch.map((m) => ({ op: 'remove', path: `members[value eq "${m}"]` }))
        : [{ op: 'Remove', path: 'members', value: batch.map((m) => member(m, dialect)) }],
    ),
  );
}
