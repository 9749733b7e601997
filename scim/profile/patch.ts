import type { Compat } from '../compat.js';
import { ScimError } from '../errors.js';
import { formatAttrPath } from '../filter/lex.js';
import { readPatchRequest, type PatchOperation } from '../patch/request.js';
import { getKey, isObject, type JsonObject } from '../schema/keys.js';
import type { PatchOp, PatchPaths, PatchValues } from './fields.js';
import { shapeMessage, shapeRefusal, type ShapeRefusal } from './patch-values.js';

/*
 * A profile's `patch.ops`, `patch.paths` and `patch.values`, and the attributes it does not store,
 * applied to a PATCH body before RFC 7644 §3.5.2 semantics (scim/patch): refused operations throw,
 * ignored ones (and ignored members of a path-less value) are taken out.
 */

export interface PatchRules {
  ops: readonly PatchOp[];
  /** Which paths apply; undefined: all. */
  paths?: PatchPaths;
  /** Which value shapes apply, judged on what `paths` lets through; undefined: all. */
  values?: PatchValues;
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
 * dropped, members of a path-less value likewise; then a value shape it does not take is refused
 * with 400 invalidValue or dropped. Malformed bodies are left for scim/patch.
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
    const applied = pathsRuled(operation, raws[operation.index - 1] as JsonObject, judge, rules.coreUrn);
    const shaped = applied && rules.values ? valuesRuled(operation, applied, rules.values, rules.coreUrn) : applied;
    if (shaped) kept.push(shaped);
  }
  return { body: { ...(body as JsonObject), Operations: kept }, empty: kept.length === 0 };
}

/** `raw` as `paths` and the attributes not stored leave it: undefined when dropped whole. */
function pathsRuled(operation: PatchOperation, raw: JsonObject, judge: Judge, coreUrn: string): JsonObject | undefined {
  if (operation.path) {
    const name = targetName(operation, coreUrn);
    const verdict = judge.verdict(name);
    if (verdict === 'refuse') judge.refuse(name);
    if (verdict === 'ignore') return undefined;
    if (!isObject(operation.value) || !judge.judgedByMember(name)) return raw;
    const value = judge.members(operation.value, name);
    return value && withValue(raw, value);
  }
  if (!isObject(operation.value)) return raw;
  const value = judge.members(operation.value, undefined);
  return value && withValue(raw, value);
}

/** `raw` (what `paths` kept of `operation`) as `values` takes it: a shape refused throws, one ignored is taken out. */
function valuesRuled(operation: PatchOperation, raw: JsonObject, values: PatchValues, coreUrn: string): JsonObject | undefined {
  const value = getKey(raw, 'value');
  const refused = (refusal: ShapeRefusal | undefined): boolean => {
    if (refusal && values.otherwise === 'refuse') throw ScimError.badRequest('invalidValue', shapeMessage(refusal, operation.index));
    return refusal !== undefined;
  };
  if (operation.path) return refused(shapeRefusal(values, 'path', targetName(operation, coreUrn), value, operation.hasValue)) ? undefined : raw;
  if (!isObject(value)) return raw;
  const out = Object.fromEntries(Object.entries(value).filter(([key, member]) => !refused(shapeRefusal(values, 'pathless', memberName(key, coreUrn), member, true))));
  return Object.keys(out).length > 0 ? withValue(raw, out) : undefined;
}

/** The first shape `values` refuses in `operation`: its path's, or a member's of its path-less value. */
export function refusedShape(operation: PatchOperation, values: PatchValues, coreUrn: string): ShapeRefusal | undefined {
  if (operation.path) return shapeRefusal(values, 'path', targetName(operation, coreUrn), operation.value, operation.hasValue);
  if (!isObject(operation.value)) return undefined;
  for (const [key, member] of Object.entries(operation.value)) {
    const refusal = shapeRefusal(values, 'pathless', memberName(key, coreUrn), member, true);
    if (refusal) return refusal;
  }
  return undefined;
}

function withValue(raw: JsonObject, value: JsonObject): JsonObject {
  const key = Object.keys(raw).find((k) => k.toLowerCase() === 'value') ?? 'value';
  return { ...raw, [key]: value };
}
