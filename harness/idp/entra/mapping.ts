import { findKey, getKey, isObject, type JsonObject } from '../../../scim/schema/keys.js';
import { URN } from '../../../scim/schema/urns.js';
import type { MappingEdit } from './settings.js';

/*
 * Entra's attribute mappings (Entra ref §1.2): which source property becomes which target
 * attribute, which attributes match, and how a target's value is read back to compare with what
 * Entra wants. Target attributes are named as Entra names them: `name.givenName`,
 * `emails[type eq "work"].value`, `urn:…:enterprise:2.0:User:department`.
 */

export const MANAGER = `${URN.enterpriseUser}:manager`;

/** The two expressions of the default mappings (Entra ref §1.2). */
type Expression = 'switch-is-soft-deleted' | 'join-given-surname';

export interface Mapping {
  target: string;
  source?: string;
  constant?: string;
  expression?: Expression;
  /** Matching precedence, 1 first. */
  matching?: number;
  apply: 'always' | 'on-create';
  /** "Default value if null", on create only. */
  default?: string;
}

const map = (target: string, source: string, extra: Partial<Mapping> = {}): Mapping => ({ target, source, apply: 'always', ...extra });

/** "Provision Microsoft Entra ID Users" of a new non-gallery app, in the portal's order (Entra ref §1.2). */
const DEFAULT_USER_MAPPINGS: readonly Mapping[] = [
  map('userName', 'userPrincipalName', { matching: 1 }),
  { target: 'active', expression: 'switch-is-soft-deleted', apply: 'always' },
  map('displayName', 'displayName'),
  map('title', 'jobTitle'),
  map('emails[type eq "work"].value', 'mail'),
  map('preferredLanguage', 'preferredLanguage'),
  map('name.givenName', 'givenName'),
  map('name.familyName', 'surname'),
  { target: 'name.formatted', expression: 'join-given-surname', apply: 'always' },
  map('addresses[type eq "work"].formatted', 'physicalDeliveryOfficeName'),
  map('addresses[type eq "work"].streetAddress', 'streetAddress'),
  map('addresses[type eq "work"].locality', 'city'),
  map('addresses[type eq "work"].region', 'state'),
  map('addresses[type eq "work"].postalCode', 'postalCode'),
  map('addresses[type eq "work"].country', 'country'),
  map('phoneNumbers[type eq "work"].value', 'telephoneNumber'),
  map('phoneNumbers[type eq "mobile"].value', 'mobile'),
  map('phoneNumbers[type eq "fax"].value', 'facsimileTelephoneNumber'),
  map('externalId', 'mailNickname'),
  map(`${URN.enterpriseUser}:employeeNumber`, 'employeeId'),
  map(`${URN.enterpriseUser}:department`, 'department'),
  map(MANAGER, 'manager'),
];

/** "Provision Microsoft Entra ID Groups" (Entra ref §1.2, SCIM-TUTORIAL group table). */
const DEFAULT_GROUP_MAPPINGS: readonly Mapping[] = [
  map('displayName', 'displayName', { matching: 1 }),
  map('externalId', 'objectId'),
  map('members', 'members'),
];

/** A mapping target: `attr`, `attr.sub`, `attr[sub eq "v"].sub`, each optionally after a schema URN. */
export interface TargetPath {
  urn?: string;
  attr: string;
  filter?: { attr: string; value: string };
  sub?: string;
}

const PLAIN = /^([A-Za-z$][\w$-]*)(?:\.([A-Za-z$][\w$-]*))?$/;
const FILTERED = /^([A-Za-z$][\w$-]*)\[([A-Za-z$][\w$-]*) eq "([^"]*)"\]\.([A-Za-z$][\w$-]*)$/;

export function parseTarget(target: string): TargetPath | undefined {
  let urn: string | undefined;
  let rest = target;
  if (target.startsWith('urn:')) {
    const at = target.lastIndexOf(':');
    urn = target.slice(0, at);
    rest = target.slice(at + 1);
  }
  const filtered = FILTERED.exec(rest);
  if (filtered) return { ...(urn && { urn }), attr: filtered[1]!, filter: { attr: filtered[2]!, value: filtered[3]! }, sub: filtered[4]! };
  const plain = PLAIN.exec(rest);
  if (plain) return { ...(urn && { urn }), attr: plain[1]!, ...(plain[2] !== undefined && { sub: plain[2] }) };
  return undefined;
}

/** Attributes with a value filter in their path stay separate path ops in the flag dialect (Entra ref §6.3). */
export function isFiltered(target: string): boolean {
  return target.includes('[');
}

/** The default mappings with a scenario's edits: changed sources, precedence, apply mode, removals and additions. */
export function buildMappings(kind: 'users' | 'groups', edits: Record<string, MappingEdit | null>): Mapping[] {
  const setting = kind === 'users' ? 'userMappings' : 'groupMappings';
  const mappings = (kind === 'users' ? DEFAULT_USER_MAPPINGS : DEFAULT_GROUP_MAPPINGS).map((m) => ({ ...m }));
  for (const [target, edit] of Object.entries(edits)) {
    const at = mappings.findIndex((m) => m.target === target);
    if (edit === null) {
      if (at < 0) throw new Error(`settings.${setting}: ${target} is not a default mapping, so it cannot be removed (defaults: ${mappings.map((m) => m.target).join(', ')})`);
      mappings.splice(at, 1);
      continue;
    }
    if (kind === 'groups' && target === 'members' && (edit.source !== undefined || edit.constant !== undefined)) {
      throw new Error(`settings.${setting}.members: the members mapping takes no source; remove it with null`);
    }
    if (!parseTarget(target)) {
      throw new Error(`settings.${setting}: ${target} is not a target attribute Entra can map to: write attr, attr.sub, attr[type eq "work"].sub or urn:…:attr`);
    }
    if (at < 0 && edit.source === undefined && edit.constant === undefined) throw new Error(`settings.${setting}.${target} is a new mapping: give it a source or a constant`);
    const base = at < 0 ? { target, apply: 'always' as const } : mappings[at]!;
    const next: Mapping = { ...base };
    if (edit.source !== undefined || edit.constant !== undefined) {
      delete next.source;
      delete next.constant;
      delete next.expression;
      if (edit.source !== undefined) next.source = edit.source;
      if (edit.constant !== undefined) next.constant = edit.constant;
    }
    if (edit.matching === false) delete next.matching;
    else if (edit.matching !== undefined) next.matching = edit.matching;
    if (edit.apply !== undefined) next.apply = edit.apply;
    if (edit.default !== undefined) next.default = edit.default;
    if (at < 0) mappings.push(next);
    else mappings[at] = next;
  }
  const matching = mappings.filter((m) => m.matching !== undefined);
  const precedences = matching.map((m) => m.matching);
  if (new Set(precedences).size !== precedences.length) {
    throw new Error(`settings.${setting}: two matching attributes have the same precedence (${matching.map((m) => `${m.target}: ${m.matching}`).join(', ')})`);
  }
  if (matching.length === 0) throw new Error(`settings.${setting}: no matching attribute is left; Entra needs one to find objects in the target (Entra ref §6.1)`);
  return mappings;
}

/** The matching attributes in precedence order (Entra ref §1.2: evaluated one after another, the first match wins). */
export function matchingOrder(mappings: readonly Mapping[]): Mapping[] {
  return mappings.filter((m) => m.matching !== undefined).sort((a, b) => a.matching! - b.matching!);
}

const isEmpty = (value: unknown) => value === undefined || value === null || value === '';

/** What a mapping reads from a source object. */
export interface SourceView {
  /** A source property, already as Entra reads it (B2B UPNs stripped, Entra ref §1.2). */
  property(name: string): unknown;
  /** IsSoftDeleted: unassigned, scoped out, soft-deleted or accountEnabled=false (Entra ref §1.2). */
  isSoftDeleted: boolean;
}

/**
 * A mapping's value for a source object: a string, `active` as a boolean, or undefined when the
 * source is null (nothing is sent then, Entra ref §1.2). `create` applies "Default value if null".
 */
export function mappedValue(mapping: Mapping, source: SourceView, create: boolean): string | boolean | undefined {
  let value: unknown;
  if (mapping.expression === 'switch-is-soft-deleted') value = !source.isSoftDeleted;
  else if (mapping.expression === 'join-given-surname') {
    const parts = [source.property('givenName'), source.property('surname')].filter((p) => !isEmpty(p));
    value = parts.length > 0 ? parts.join(' ') : undefined;
  } else if (mapping.constant !== undefined) value = mapping.constant;
  else value = source.property(mapping.source!);
  if (isEmpty(value) && create && mapping.default !== undefined) value = mapping.default;
  if (isEmpty(value)) return undefined;
  if (mapping.target === 'active' && typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
  return typeof value === 'boolean' ? value : String(value);
}

/** The value of a target attribute in a resource the target returned; undefined when absent. */
export function readTarget(resource: JsonObject, target: string): unknown {
  const path = parseTarget(target);
  if (!path) return undefined;
  let at: unknown = resource;
  if (path.urn !== undefined) at = getKey(resource, path.urn);
  if (!isObject(at)) return undefined;
  let value = getKey(at, path.attr);
  if (path.filter) {
    const { attr, value: wanted } = path.filter;
    value = Array.isArray(value) ? value.find((e) => isObject(e) && String(getKey(e, attr) ?? '').toLowerCase() === wanted.toLowerCase()) : undefined;
  }
  if (path.sub !== undefined) value = isObject(value) ? getKey(value, path.sub) : undefined;
  return isEmpty(value) ? undefined : value;
}

/** Whether the target holds what Entra wants; `active` compares as a boolean, whatever its JSON type. */
export function sameValue(wanted: string | boolean, actual: unknown): boolean {
  if (typeof wanted === 'boolean') {
    if (typeof actual === 'boolean') return actual === wanted;
    return typeof actual === 'string' && actual.toLowerCase() === String(wanted);
  }
  return (typeof actual === 'string' || typeof actual === 'number' || typeof actual === 'boolean') && String(actual) === wanted;
}

/** The manager's id as the target returned it: `{ value }`, or `bare` when it is a plain string (Entra ref §4, §6.6). */
export function managerOf(resource: JsonObject): { id?: string; bare?: true } {
  const extension = getKey(resource, URN.enterpriseUser);
  const manager = isObject(extension) ? extension[findKey(extension, 'manager') ?? 'manager'] : undefined;
  if (typeof manager === 'string') return { bare: true };
  const id = isObject(manager) ? getKey(manager, 'value') : undefined;
  return typeof id === 'string' && id !== '' ? { id } : {};
}
