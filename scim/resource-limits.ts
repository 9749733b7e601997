import { MAX_VALUES } from './coerce.js';
import { ScimError } from './errors.js';
import { isObject, type JsonObject } from './schema/keys.js';

/**
 * How large a server lets one stored resource grow: PATCH adds, each within the body limit, could
 * otherwise build a resource that no response can carry (V8's longest string is 2^29 - 24
 * characters), and every read of it would fail.
 */
export interface ResourceLimits {
  /** The most bytes of JSON (UTF-8) a resource takes as stored, without what rendering adds (`meta.location`, `$ref`, a User's `groups`). */
  maxBytes: number;
  /** The most values one multi-valued attribute holds. */
  maxValues: number;
}

/** 4 MiB: four request bodies' worth at the default body limit; a group of some 50,000 members. */
export const MAX_RESOURCE_BYTES = 4 * 1024 * 1024;

export const DEFAULT_RESOURCE_LIMITS: ResourceLimits = { maxBytes: MAX_RESOURCE_BYTES, maxValues: MAX_VALUES };

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
