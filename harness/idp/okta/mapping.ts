import { cloneJson, findKey, isObject, type JsonObject } from '../../../scim/schema/keys.js';
import { URN } from '../../../scim/schema/urns.js';
import type { OktaSettings } from './settings.js';

/*
 * Okta's attribute mappings (Profile Editor → the app): which Okta profile attribute lands where in
 * the SCIM user, and how a change is merged into the target's own representation for a PUT.
 */

/**
 * The SCIM 2.0 template's mappings, in the order the create POST carries them (Okta ref §4.2:
 * userName, name, emails, displayName, locale, …; enterprise attributes nested under their URN).
 * `email` is special: it becomes the primary work email (Okta ref §13.7). `documented: false`
 * marks the mappings no source shows, sent only with the UNVERIFIED `extendedMappings`; the others
 * appear in a documented body or a capture (§4.2 S1/S11, §5.1 S1, S14's title and department).
 */
const MAPPINGS: readonly (readonly [profile: string, path: readonly string[], documented: boolean])[] = [
  ['firstName', ['name', 'givenName'], true],
  ['middleName', ['name', 'middleName'], true],
  ['lastName', ['name', 'familyName'], true],
  ['honorificPrefix', ['name', 'honorificPrefix'], false],
  ['honorificSuffix', ['name', 'honorificSuffix'], false],
  ['email', ['emails'], true],
  ['displayName', ['displayName'], true],
  ['nickName', ['nickName'], false],
  ['profileUrl', ['profileUrl'], false],
  ['title', ['title'], true],
  ['userType', ['userType'], false],
  ['preferredLanguage', ['preferredLanguage'], false],
  ['locale', ['locale'], true],
  ['timezone', ['timezone'], false],
  ['employeeNumber', [URN.enterpriseUser, 'employeeNumber'], false],
  ['costCenter', [URN.enterpriseUser, 'costCenter'], false],
  ['organization', [URN.enterpriseUser, 'organization'], false],
  ['division', [URN.enterpriseUser, 'division'], false],
  ['department', [URN.enterpriseUser, 'department'], true],
  ['managerId', [URN.enterpriseUser, 'manager', 'value'], false],
];

/** One mapped value: where it goes, and the value (undefined when the attribute is empty or cleared). */
export interface Leaf {
  path: readonly string[];
  value: unknown;
}

const isEmpty = (value: unknown) => value === undefined || value === null || value === '';
const isUrn = (key: string) => key.startsWith('urn:');

/** Which attribute is the app username, and whether the undocumented template mappings apply. */
export interface MappingOptions {
  appUsername: 'login' | 'email';
  extended: boolean;
  /** An app that maps only these profile attributes besides the app username, and no extension (apps.ts). */
  only?: readonly string[];
}

/**
 * The leaves Okta maps from a profile, for the profile attributes in `only` (every mapped one when
 * omitted), as far as the app maps them (`options.only`). A profile key that is a URN with a
 * mapping as its value is an extension namespace, its members mapped one to one (custom
 * namespaces: UNVERIFIED beyond enterprise, Okta ref §4.2). Attributes without a mapping are never
 * sent.
 */
export function leavesOf(profile: Record<string, unknown>, options: MappingOptions, only?: ReadonlySet<string>): Leaf[] {
  const wanted = (attribute: string) => only === undefined || only.has(attribute);
  const mapped = (attribute: string) => options.only === undefined || options.only.includes(attribute);
  const leaves: Leaf[] = [];
  if (wanted(options.appUsername)) leaves.push({ path: ['userName'], value: profile[options.appUsername] });
  for (const [attribute, path, documented] of MAPPINGS) if ((documented || options.extended) && mapped(attribute) && wanted(attribute)) leaves.push({ path, value: profile[attribute] });
  for (const [key, value] of Object.entries(profile)) {
    if (!isUrn(key) || !wanted(key) || options.only !== undefined) continue;
    for (const [name, member] of Object.entries(isObject(value) ? value : {})) leaves.push({ path: [key, name], value: member });
  }
  return leaves.map((leaf) => (isEmpty(leaf.value) ? { path: leaf.path, value: undefined } : leaf));
}

/** The primary work email as Okta sends it (Okta ref §4.2, §13.7). */
function workEmail(value: unknown): JsonObject {
  return { primary: true, value, type: 'work' };
}

/** An own data property even for `__proto__`, which the target's JSON may carry. */
function put(obj: JsonObject, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Sets `value` at `path`, creating the objects on the way; existing keys (any case) keep their place. */
function setAt(target: JsonObject, path: readonly string[], value: unknown): void {
  let at = target;
  for (const [i, name] of path.entries()) {
    const key = findKey(at, name) ?? name;
    if (i === path.length - 1) {
      put(at, key, value);
      return;
    }
    if (!isObject(at[key])) put(at, key, {});
    at = at[key] as JsonObject;
  }
}

function removeAt(target: JsonObject, path: readonly string[]): void {
  let at: unknown = target;
  for (const name of path.slice(0, -1)) at = isObject(at) ? at[findKey(at, name) ?? name] : undefined;
  if (!isObject(at)) return;
  const key = findKey(at, path[path.length - 1]!);
  if (key !== undefined) delete at[key];
}

/** The leaves as a new object, in their order: the core of a create POST (Okta ref §4.2). */
export function buildFrom(leaves: readonly Leaf[]): JsonObject {
  const out: JsonObject = {};
  for (const leaf of leaves) {
    if (leaf.value === undefined) continue;
    setAt(out, leaf.path, leaf.path[0] === 'emails' ? [workEmail(leaf.value)] : leaf.value);
  }
  return out;
}

/** Changes the primary email in place, keeping the entry's other members (`display`, Okta ref §5.1). */
function mergeEmail(body: JsonObject, value: unknown, cleared: OktaSettings['clearedAttribute']): void {
  const key = findKey(body, 'emails') ?? 'emails';
  const emails = Array.isArray(body[key]) ? (body[key] as unknown[]) : [];
  const objects = emails.filter(isObject);
  const primary = objects.find((e) => e.primary === true) ?? objects.find((e) => e.type === 'work') ?? objects[0];
  if (value === undefined) {
    if (!primary) return;
    if (cleared === 'omit') put(body, key, emails.filter((e) => e !== primary));
    else put(primary, findKey(primary, 'value') ?? 'value', cleared === 'null' ? null : '');
    return;
  }
  if (!primary) {
    put(body, key, [...emails, workEmail(value)]);
    return;
  }
  put(primary, findKey(primary, 'value') ?? 'value', value);
  put(primary, findKey(primary, 'type') ?? 'type', 'work');
  put(primary, findKey(primary, 'primary') ?? 'primary', true);
}

/**
 * Okta's read-modify-write: the target's own representation with Okta's leaves applied, keeping
 * everything else the target sent (`id`, `meta`, unknown attributes), `active` always set to
 * Okta's view of it, stale or not (Okta ref §5.1, §13.4), and `groups: []` when the copy has no
 * groups, as the documented PUT and the capture carry it (Okta ref §5.1, S1, S13); a copy's own
 * groups go back as it gave them, like its other attributes (§13.4). An extension attribute adds
 * its URN to `schemas` (Okta ref §4.2).
 */
export function mergeLeaves(serverBody: JsonObject, leaves: readonly Leaf[], cleared: OktaSettings['clearedAttribute'], active: boolean): JsonObject {
  const body = cloneJson(serverBody);
  for (const { path, value } of leaves) {
    if (path[0] === 'emails') {
      mergeEmail(body, value, cleared);
    } else if (value !== undefined) {
      setAt(body, path, value);
      if (isUrn(path[0]!)) addSchema(body, path[0]!);
    } else if (cleared === 'omit') {
      removeAt(body, path);
    } else {
      setAt(body, path, cleared === 'null' ? null : '');
    }
  }
  setAt(body, ['active'], active);
  if (findKey(body, 'groups') === undefined) put(body, 'groups', []);
  return body;
}

function addSchema(body: JsonObject, urn: string): void {
  const key = findKey(body, 'schemas') ?? 'schemas';
  const schemas = Array.isArray(body[key]) ? (body[key] as unknown[]) : [URN.user];
  if (!schemas.includes(urn)) put(body, key, [...schemas, urn]);
}

/** The URNs of the extensions among the leaves, in order, for a create's `schemas`. */
export function extensionUrns(leaves: readonly Leaf[]): string[] {
  return [...new Set(leaves.filter((l) => l.value !== undefined && isUrn(l.path[0]!)).map((l) => l.path[0]!))];
}
