import { ScimError } from '../errors.js';
import { assignKey, getKey, isObject, type JsonObject } from '../schema/keys.js';
import { jsonEqual } from '../values/equal.js';
import type { PatchPaths } from './fields.js';
import { covers } from './patch.js';

/*
 * A profile's `put.paths`: a PUT that may change only some attributes (Postman ref §4.2: names and
 * active). The body is laid over the stored resource: the listed attributes take the body's values,
 * the others keep the stored ones, and a changed value of another attribute is refused or ignored.
 * The result is a PUT body for RFC 7644 §3.5.1 semantics (scim/validate.ts, replace mode).
 */

export interface PutRules {
  paths: PatchPaths;
  /** A listed attribute the body omits keeps its stored value (`users.put: keep-omitted`); otherwise it is cleared. */
  keepOmitted: boolean;
  /** The resource type's extension schema URNs: a member of one is named `urn:…:attr`. */
  extensions: readonly string[];
}

/** Members the server sets, taken from the stored resource by validation rather than merged here. */
const SERVER_MEMBERS = new Set(['schemas', 'id', 'meta']);

/** The keys of two objects, each once whatever its case, the body's spelling first. */
function unionKeys(a: JsonObject, b: JsonObject): string[] {
  const seen = new Map<string, string>();
  for (const key of [...Object.keys(a), ...Object.keys(b)]) if (!seen.has(key.toLowerCase())) seen.set(key.toLowerCase(), key);
  return [...seen.values()];
}

class PutMerge {
  constructor(private readonly rules: PutRules) {}

  /** 'apply', 'descend' (a listed path lies below: judged member by member) or the profile's `otherwise`. */
  private verdict(path: string): 'apply' | 'descend' | 'refuse' | 'ignore' {
    const { apply, otherwise } = this.rules.paths;
    if (apply.some((entry) => covers(entry, path))) return 'apply';
    if (apply.some((entry) => covers(path, entry))) return 'descend';
    return otherwise;
  }

  private nameOf(key: string, prefix: string | undefined): string {
    if (prefix === undefined) return key;
    const extension = this.rules.extensions.some((urn) => urn.toLowerCase() === prefix.toLowerCase());
    return `${prefix}${extension ? ':' : '.'}${key}`;
  }

  /** `sent` over `stored`, member by member; undefined when nothing is left. */
  merge(sent: JsonObject, stored: JsonObject, prefix?: string): JsonObject | undefined {
    const out: JsonObject = {};
    for (const key of unionKeys(sent, stored)) {
      if (prefix === undefined && SERVER_MEMBERS.has(key.toLowerCase())) continue;
      const value = this.member(this.nameOf(key, prefix), getKey(sent, key), getKey(stored, key));
      if (value !== undefined) assignKey(out, key, value);
    }
    return Object.keys(out).length > 0 ? out : undefined;
  }

  private member(name: string, sent: unknown, stored: unknown): unknown {
    const verdict = this.verdict(name);
    if (verdict === 'apply') return sent === undefined && this.rules.keepOmitted ? stored : sent;
    const objects = (sent === undefined || isObject(sent)) && (stored === undefined || isObject(stored));
    if (verdict === 'descend' && objects) return this.merge((sent ?? {}) as JsonObject, (stored ?? {}) as JsonObject, name);
    if (verdict === 'refuse' && sent !== undefined && !jsonEqual(sent, stored)) {
      const listed = this.rules.paths.apply.join(', ');
      throw ScimError.badRequest('mutability', `PUT may change only ${listed} here, not "${name.slice(0, 200)}"`);
    }
    return stored;
  }
}

/**
 * The PUT body `sent` limited by the profile's `put.paths` over the `stored` resource: listed
 * attributes as sent, others as stored. Refuses (400 mutability) a changed value of another
 * attribute when `otherwise` is `refuse`. `schemas` lists the stored resource's and the body's, so
 * that a stored extension the body leaves out stays declared.
 */
export function rulePut(sent: unknown, stored: JsonObject, rules: PutRules): unknown {
  if (!isObject(sent)) return sent;
  const merged = new PutMerge(rules).merge(sent, stored) ?? {};
  const given = getKey(sent, 'schemas');
  // A body without schemas stays without: validation refuses it as it would any PUT.
  if (!Array.isArray(given)) return merged;
  const both = [...(Array.isArray(stored.schemas) ? stored.schemas : []), ...given];
  return { schemas: [...new Map(both.map((s) => [typeof s === 'string' ? s.toLowerCase() : s, s])).values()], ...merged };
}
