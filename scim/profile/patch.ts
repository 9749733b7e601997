import type { Compat } from '../compat.js';
import { ScimError } from '../errors.js';
import { formatAttrPath } from '../filter/lex.js';
import { readPatchRequest, type PatchOperation } from '../patch/request.js';
import { getKey, isObject, type JsonObject } from '../schema/keys.js';
import type { PatchOp, PatchPaths } from './fields.js';

/*
 * A profile's `patch.ops` and `patch.paths`, and the attributes it does not store, applied to a
 * PATCH body before RFC 7644 §3.5.2 semantics (scim/patch): refused operations throw, ignored ones
 * (and ignored members of a path-less value) are taken out.
 */

export interface PatchRules {
  ops: readonly PatchOp[];
  /** Which paths apply; undefined: all. */
  paths?: PatchPaths;
  /** True for a path (as `name.givenName` or `urn:…:department`) the server does not store and ignores. */
  ignored?: (path: string) => boolean;
  /** True for an attribute stored with only some of its sub-attributes (`name` when the profile stores `name.givenName`). */
  partlyStored?: (path: string) => boolean;
  /** The resource type's core schema URN: a path qualified with it is written without it. */
  coreUrn: string;
  /** Its extension schema URNs: a member of one is named `urn:…:attr`. */
  extensions: readonly string[];
}

/** The body with what the profile ignores taken out; `empty` when no operation is left. */
export interface RuledPatch {
  body: unknown;
  empty: boolean;
}

/** True when `entry` names `path` or an attribute above it: `name` covers `name.givenName`, a URN its members. */
export function covers(entry: string, path: string): boolean {
  const e = entry.toLowerCase();
  const p = path.toLowerCase();
  return p === e || p.startsWith(`${e}.`) || p.startsWith(`${e}:`);
}

/** The name an operation's path has in a profile: `emails.value` for `emails[type eq "work"].value`, no core URN. */
function targetName(operation: PatchOperation, coreUrn: string): string {
  const { attr, subAttr } = operation.path!;
  const plain = attr.uri !== undefined && attr.uri.toLowerCase() === coreUrn.toLowerCase() ? { ...attr, uri: undefined } : attr;
  const name = formatAttrPath(plain);
  return subAttr === undefined ? name : `${name}.${subAttr}`;
}

/** A path-less value's member as a path: `name`, `name.givenName`, an extension URN or `urn:…:attr`. */
function memberName(key: string, coreUrn: string): string {
  return key.toLowerCase().startsWith(`${coreUrn.toLowerCase()}:`) ? key.slice(coreUrn.length + 1) : key;
}

class Judge {
  constructor(private readonly rules: PatchRules) {}

  /**
   * 'apply', 'ignore' or 'refuse' for a path: `patch.paths` first (a path it does not list gets its
   * `otherwise`, unstored or not), then the stored attributes.
   */
  verdict(path: string): 'apply' | 'ignore' | 'refuse' {
    const { paths } = this.rules;
    // A listed path below this one (`name.givenName` under `name`) lets it through: the value's members are judged one by one.
    if (paths && !paths.apply.some((entry) => covers(entry, path) || covers(path, entry))) return paths.otherwise;
    return this.rules.ignored?.(path) ? 'ignore' : 'apply';
  }

  /** True when the members of a value set at `path` are judged one by one: a listed path, or an unstored one, lies below it. */
  judgedByMember(path: string): boolean {
    const { paths } = this.rules;
    if (this.hasIgnoredBelow(path)) return true;
    if (!paths) return false;
    return !paths.apply.some((entry) => covers(entry, path)) && paths.apply.some((entry) => covers(path, entry));
  }

  refuse(path: string): never {
    const listed = this.rules.paths!.apply.join(', ');
    throw ScimError.badRequest('mutability', `PATCH may change only ${listed} here, not "${path.slice(0, 200)}"`);
  }

  /**
   * `value` (an object set at `path`, or at the root for a path-less operation) with the members
   * that are ignored taken out; undefined when none is left. Refuses a member that is refused.
   */
  members(value: JsonObject, path: string | undefined): JsonObject | undefined {
    const out: JsonObject = {};
    for (const [key, member] of Object.entries(value)) {
      const name = path === undefined ? memberName(key, this.rules.coreUrn) : `${path}${this.isExtension(path) ? ':' : '.'}${key}`;
      const kept = this.member(name, member);
      if (kept !== undefined) out[key] = kept;
    }
    return Object.keys(out).length > 0 ? out : undefined;
  }

  private member(name: string, value: unknown): unknown {
    const verdict = this.verdict(name);
    if (verdict === 'refuse') this.refuse(name);
    if (verdict === 'ignore') return undefined;
    if (isObject(value) && this.judgedByMember(name)) return this.members(value, name);
    return value;
  }

  private isExtension(name: string): boolean {
    return this.rules.extensions.some((urn) => urn.toLowerCase() === name.toLowerCase());
  }

  /** An extension's attributes, and a complex attribute's sub-attributes, may be stored one by one. */
  private hasIgnoredBelow(name: string): boolean {
    return this.rules.ignored !== undefined && (this.isExtension(name) || this.rules.partlyStored?.(name) === true);
  }
}

/**
 * Applies the profile's PATCH rules to a PatchOp body: an op it does not accept is refused with
 * 400 invalidSyntax; an operation on a path it does not apply is refused with 400 mutability or
 * dropped; members of a path-less value likewise. Malformed bodies are left for scim/patch.
 */
export function rulePatch(body: unknown, rules: PatchRules, compat: Compat): RuledPatch {
  const operations = readPatchRequest(body, compat);
  const judge = new Judge(rules);
  const raws = getKey(body as JsonObject, 'Operations') as unknown[];
  const kept: unknown[] = [];
  for (const operation of operations) {
    if (!rules.ops.includes(operation.op)) {
      throw ScimError.badRequest('invalidSyntax', `Operation ${operation.index}: op "${operation.op}" is not supported here: use ${rules.ops.join(' or ')}`);
    }
    const raw = raws[operation.index - 1] as JsonObject;
    if (operation.path) {
      const name = targetName(operation, rules.coreUrn);
      const verdict = judge.verdict(name);
      if (verdict === 'refuse') judge.refuse(name);
      if (verdict === 'ignore') continue;
      if (isObject(operation.value) && judge.judgedByMember(name)) {
        const value = judge.members(operation.value, name);
        if (value !== undefined) kept.push(withValue(raw, value));
        continue;
      }
      kept.push(raw);
    } else if (isObject(operation.value)) {
      const value = judge.members(operation.value, undefined);
      if (value !== undefined) kept.push(withValue(raw, value));
    } else {
      kept.push(raw);
    }
  }
  return { body: { ...(body as JsonObject), Operations: kept }, empty: kept.length === 0 };
}

function withValue(raw: JsonObject, value: JsonObject): JsonObject {
  const key = Object.keys(raw).find((k) => k.toLowerCase() === 'value') ?? 'value';
  return { ...raw, [key]: value };
}
