import { MAX_VALUES } from './coerce.js';
import { ScimError } from './errors.js';
import { isObject, type JsonObject } from './schema/keys.js';

/**
 * How large a server lets one stored resource grow: PATCH adds, each within the body limit, could
 * otherwise build a resource that no response can carry (V8's longest string is 2^29 - 24
 * characters), and every read of it would fail.
 */
export interface ResourceLimits {
  /** The most bytes of JSON (UTF-8) a resource takes as stored, without what rendering adds (`meta.location`, `$ref`, a User's `groups`: see renderedBound). */
  maxBytes: number;
  /** The most values one multi-valued attribute holds. */
  maxValues: number;
}

/** 4 MiB: four request bodies' worth at the default body limit; a group of some 80,000 members. */
export const MAX_RESOURCE_BYTES = 4 * 1024 * 1024;

export const DEFAULT_RESOURCE_LIMITS: ResourceLimits = { maxBytes: MAX_RESOURCE_BYTES, maxValues: MAX_VALUES };

/**
 * The most groups one user may be in. A User's `groups` is computed from the groups' members
 * when it is rendered (RFC 7643 §4.1.2), outside its stored size: this bound, with
 * MAX_GROUP_NAME_BYTES, is what keeps it finite.
 */
export const MAX_GROUPS_PER_USER = 1000;

/** The most bytes (UTF-8) of a group's displayName as JSON, escapes counted as written (`\n` is 2, `\u0000` 6), quotes not. */
export const MAX_GROUP_NAME_BYTES = 1024;

/** The length of the ids the server assigns (`randomUUID()`), which references to resources repeat. */
const ID_LENGTH = 36;

/** The bytes of `name`'s JSON string, without its quotes: what it adds to a user's `groups` entry. */
export function groupNameBytes(name: string): number {
  return utf8Length(JSON.stringify(name)) - 2;
}

/**
 * Throws 400 invalidValue when a group's displayName is longer than each of its members' `groups`
 * may show: the name is repeated in every member's rendering.
 */
export function assertGroupName(name: unknown): void {
  if (typeof name !== 'string') return;
  const bytes = groupNameBytes(name);
  if (bytes > MAX_GROUP_NAME_BYTES) {
    throw ScimError.badRequest(
      'invalidValue',
      `The group's displayName would take ${bytes} bytes, more than the ${MAX_GROUP_NAME_BYTES} this server allows, as every member's "groups" repeats it: give a shorter name`,
    );
  }
}

/**
 * Throws 400 invalidValue when the user `id`, already in `groups` groups, may not join another:
 * its rendered `groups` would pass MAX_GROUPS_PER_USER.
 */
export function assertMayJoin(id: string, groups: number): void {
  if (groups >= MAX_GROUPS_PER_USER) {
    throw ScimError.badRequest(
      'invalidValue',
      `User "${id.slice(0, 200)}" is already in ${groups} groups, the most this server lets one user be in: remove it from a group before adding it to another`,
    );
  }
}

/** What rendering a resource may add to its stored JSON: `bytes`, and the base URL once for each of at most `references`. */
export interface RenderedBound {
  /** The most bytes of JSON (UTF-8) a resource renders to, its base URLs left out. */
  bytes: number;
  /** The most times a rendering repeats the base URL the client used (scheme, Host, base path). */
  references: number;
}

/**
 * The most a resource renders to under `limits`, by what render.ts adds: `meta.location`; a
 * group's members each get a `$ref` (at most `maxValues` of them); a user's `groups`, at most
 * MAX_GROUPS_PER_USER entries of a name of at most MAX_GROUP_NAME_BYTES. Each of these is a base
 * URL and a path ending in an id.
 */
export function renderedBound(limits: ResourceLimits): RenderedBound {
  const id = 'i'.repeat(ID_LENGTH);
  // `/Groups/` is the longer of the two endpoints.
  const path = `/Groups/${id}`;
  const location = `,"location":"${path}"`.length;
  const memberRef = `,"$ref":"${path}"`.length;
  const groupEntry = `,${JSON.stringify({ value: id, $ref: path, display: '', type: 'direct' })}`.length + MAX_GROUP_NAME_BYTES;
  const groups = ',"groups":[]'.length + MAX_GROUPS_PER_USER * groupEntry;
  return {
    bytes: limits.maxBytes + location + Math.max(groups, limits.maxValues * memberRef),
    references: 1 + Math.max(MAX_GROUPS_PER_USER, limits.maxValues),
  };
}

const NON_ASCII = /[^\x00-\x7f]/;

/** The UTF-8 length of `text`, without encoding it. */
export function utf8Length(text: string): number {
  if (!NON_ASCII.test(text)) return text.length;
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      // A surrogate pair is one code point of four bytes.
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/** The longest array in `value`, at any depth, with its path for messages (`emails`, `urn:…:User:manager`…). */
export function longestArray(value: unknown): { path: string; length: number } | undefined {
  let longest: { path: string; length: number } | undefined;
  const pending: [unknown, string][] = [[value, '']];
  while (pending.length > 0) {
    const [current, path] = pending.pop()!;
    if (Array.isArray(current)) {
      if (longest === undefined || current.length > longest.length) longest = { path, length: current.length };
      for (const item of current) if (typeof item === 'object' && item !== null) pending.push([item, path]);
    } else if (isObject(current)) {
      for (const [key, child] of Object.entries(current)) {
        if (typeof child === 'object' && child !== null) pending.push([child, path === '' ? key : `${path}.${key}`]);
      }
    }
  }
  return longest;
}

/**
 * Throws 400 invalidValue when `resource`, about to be stored, is beyond `limits`: the detail says
 * which limit and by how much, so that a client knows to remove values rather than retry.
 */
export function assertWithinLimits(resource: JsonObject, type: string, limits: ResourceLimits): void {
  const longest = longestArray(resource);
  if (longest !== undefined && longest.length > limits.maxValues) {
    throw ScimError.badRequest(
      'invalidValue',
      `Attribute '${longest.path.slice(0, 200)}' would hold ${longest.length} values, more than the ${limits.maxValues} this server keeps in one attribute`,
    );
  }
  const bytes = utf8Length(JSON.stringify(resource));
  if (bytes > limits.maxBytes) {
    throw ScimError.badRequest('invalidValue', `The ${type} would take ${bytes} bytes of JSON, more than the ${limits.maxBytes} this server keeps for one resource`);
  }
}
