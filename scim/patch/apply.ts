import { brief, unknownAttribute } from '../coerce.js';
import { STRICT, StrictRefusal, type Compat } from '../compat.js';
import { ScimError } from '../errors.js';
import type { FilterBudget } from '../filter/budget.js';
import { matchesValueFilter } from '../filter/evaluate.js';
import type { Filter } from '../filter/types.js';
import { parseAttrPath } from '../path/parse.js';
import type { AttrPath, PatchPath } from '../path/types.js';
import { cloneJson, deleteKey, findKey, getKey, isObject, setKey, type JsonObject } from '../schema/keys.js';
import type { ResolvedAttribute, ResourceModel } from '../schema/model.js';
import type { AttributeDefinition } from '../schema/types.js';
import { validateResource } from '../validate.js';
import { ElementIndex, jsonEqual } from '../values/equal.js';
import { readPatchRequest, type PatchOpName } from './request.js';

export interface PatchOptions {
  compat?: Partial<Compat>;
  /**
   * What the request may spend (a server's bound on one request's work); unbounded without: the
   * value filters of its paths, and a step for each value of a multi-valued attribute an operation
   * goes through, so that operations on a long list cannot add up to minutes.
   */
  budget?: FilterBudget;
}

interface Context {
  doc: JsonObject;
  model: ResourceModel;
  compat: Compat;
  budget?: FilterBudget;
  /**
   * The list the previous operation added to or removed from, with its index, so that a run of
   * such operations on one attribute (Okta sends one `members[value eq "…"]` removal per member)
   * stays linear. Dropped by any other operation, which may change elements in place.
   */
  indexed?: { list: unknown[]; index: ElementIndex };
}

interface Target {
  resolved: ResolvedAttribute;
  filter?: Filter;
}

/**
 * Applies a PatchOp request (RFC 7644 §3.5.2) to `resource` and returns the patched resource,
 * validated against the model. The input is never mutated, and a request applies whole or not at
 * all: the first failing operation throws a ScimError naming it.
 */
export function applyPatch(resource: JsonObject, body: unknown, model: ResourceModel, options: PatchOptions = {}): JsonObject {
  const compat: Compat = { ...STRICT, ...options.compat };
  const operations = readPatchRequest(body, compat);
  const ctx: Context = { doc: cloneJson(resource), model, compat, budget: options.budget };
  for (const operation of operations) {
    try {
      if (operation.path) applyAtPath(ctx, operation.op, operation.path, operation.value);
      else applyPathless(ctx, operation.op, operation.value);
    } catch (error) {
      if (!(error instanceof ScimError)) throw error;
      const where = operation.pathText === undefined ? operation.op : `${operation.op} ${operation.pathText}`;
      throw new ScimError(error.status, error.scimType, `Operation ${operation.index} (${where}): ${error.message}`);
    }
  }
  tidyExtensions(ctx);
  return validateResource(ctx.doc, model, { mode: 'replace', existing: resource, compat });
}

function describe(path: AttrPath): string {
  const name = path.uri === undefined ? path.attr : `${path.uri}:${path.attr}`;
  return path.subAttr === undefined ? name : `${name}.${path.subAttr}`;
}

/** A path-less add or replace: every member of the value object is an attribute to add or replace. */
function applyPathless(ctx: Context, op: PatchOpName, value: unknown): void {
  if (!isObject(value)) {
    throw ScimError.badRequest('invalidValue', `a path-less ${op} needs a JSON object of attributes as its value`);
  }
  for (const key of Object.keys(value)) {
    if (key.toLowerCase() === 'schemas') continue;
    const attr = pathlessKey(ctx, key);
    if (attr) applyAtPath(ctx, op, { attr }, value[key]);
  }
}

/**
 * The attribute a key of a path-less value names: an attribute name or a whole extension's URN,
 * or, leniently, any attribute path. There is no path to be invalid, so a key naming no attribute
 * is refused as POST and PUT refuse it (invalidSyntax), or dropped with ignoreUnknownAttributes.
 */
function pathlessKey(ctx: Context, key: string): AttrPath | undefined {
  let attr: AttrPath | undefined;
  try {
    attr = parseAttrPath(key);
  } catch {
    // Not even an attribute path: a member no schema defines, below.
  }
  if (attr && resolveAttribute(ctx, attr)) {
    const plainName = attr.uri === undefined && attr.subAttr === undefined;
    const wholeExtension = attr.uri !== undefined && attr.subAttr === undefined && ctx.model.extension(`${attr.uri}:${attr.attr}`) !== undefined;
    // Dropping it would lose a value the schemas define, so this is refused even when lenient.
    if (!plainName && !wholeExtension && !ctx.compat.dottedPathlessKeys) {
      throw new StrictRefusal(
        'invalidSyntax',
        `"${brief(key)}" is an attribute path, not an attribute name, as the keys of a path-less value must be`,
        'reads dotted and URN-qualified keys as paths, as Entra with aadOptscim062020 sends them',
        'dottedPathlessKeys',
      );
    }
    return attr;
  }
  if (ctx.compat.ignoreUnknownAttributes) return undefined;
  throw unknownAttribute(brief(key));
}

function resolveAttribute(ctx: Context, path: AttrPath): ResolvedAttribute | undefined {
  return ctx.model.resolve(path) ?? resolveUnqualified(ctx, path);
}

/**
 * The attribute a path names; undefined when it names none and ignoreUnknownAttributes is on, which
 * skips the operation as POST and PUT drop a member no schema defines (Entra's custom extensions).
 */
function resolveTarget(ctx: Context, path: PatchPath): Target | undefined {
  if (path.attr.subAttr !== undefined && path.valueFilter !== undefined) {
    throw ScimError.badRequest('invalidPath', 'a value filter must follow the attribute name, not a sub-attribute');
  }
  const attrPath: AttrPath = { ...path.attr, subAttr: path.attr.subAttr ?? path.subAttr };
  const resolved = resolveAttribute(ctx, attrPath);
  if (!resolved) {
    if (ctx.compat.ignoreUnknownAttributes) return undefined;
    throw ScimError.badRequest('invalidPath', `no attribute "${describe(attrPath)}" in the schemas of ${ctx.model.resourceType.name}`);
  }
  return path.valueFilter === undefined ? { resolved } : { resolved, filter: path.valueFilter };
}

/** With `unqualifiedExtensionAttributes`, a bare name that exactly one extension defines. */
function resolveUnqualified(ctx: Context, path: AttrPath): ResolvedAttribute | undefined {
  if (!ctx.compat.unqualifiedExtensionAttributes || path.uri !== undefined) return undefined;
  const found = ctx.model.extensions.map((e) => ctx.model.resolve({ ...path, uri: e.id })).filter((r) => r !== undefined);
  return found.length === 1 ? found[0] : undefined;
}

function checkWritable(resolved: ResolvedAttribute, op: PatchOpName, hasFilter: boolean): void {
  const { attribute, subAttribute } = resolved;
  const readOnly = attribute.mutability === 'readOnly' ? attribute : subAttribute?.mutability === 'readOnly' ? subAttribute : undefined;
  if (readOnly) throw new ScimError(400, 'mutability', `attribute "${readOnly.name}" is readOnly`);
  if (op === 'remove' && attribute.required && !subAttribute && !hasFilter) {
    throw new ScimError(400, 'mutability', `attribute "${attribute.name}" is required and cannot be removed`);
  }
}

/**
 * An add or replace that sets a readOnly attribute to the value it already has changes nothing,
 * so it is not refused: Okta's group reconciliation sends the group's own `id` (Okta ref §10.4).
 */
function setsReadOnlyToItself(ctx: Context, op: PatchOpName, target: Target, value: unknown): boolean {
  const { attribute, subAttribute } = target.resolved;
  if (op === 'remove' || target.filter || (subAttribute ?? attribute).mutability !== 'readOnly') return false;
  const current = currentValue(ctx, target.resolved);
  const existing = subAttribute ? (isObject(current) ? getKey(current, subAttribute.name) : undefined) : current;
  return existing !== undefined && jsonEqual(existing, value);
}

function applyAtPath(ctx: Context, requested: PatchOpName, path: PatchPath, value: unknown): void {
  const target = resolveTarget(ctx, path);
  if (!target || setsReadOnlyToItself(ctx, requested, target, value)) return;
  // replace with null unassigns (RFC 7643 §2.5), and so is checked as a removal.
  const op: PatchOpName = requested === 'replace' && value === null ? 'remove' : requested;
  checkWritable(target.resolved, op, target.filter !== undefined);
  const { attribute, subAttribute } = target.resolved;
  const keepsIndex = attribute.multiValued && !subAttribute && (op === 'add' ? !target.filter : op === 'remove' && target.filter !== undefined);
  if (!keepsIndex) ctx.indexed = undefined;
  if (target.filter) applyFiltered(ctx, op, target.resolved, target.filter, value);
  else if (target.resolved.subAttribute) applySubAttribute(ctx, op, target.resolved, target.resolved.subAttribute, value);
  else applyWhole(ctx, op, target.resolved, value);
}

/** The object that holds the attribute, created (with its extension URN) when it is an absent extension. */
function holderForWrite(ctx: Context, resolved: ResolvedAttribute): JsonObject {
  const holder = ctx.model.container(ctx.doc, resolved);
  if (holder) return holder;
  const created: JsonObject = {};
  setKey(ctx.doc, resolved.schema!, created);
  return created;
}

function currentValue(ctx: Context, resolved: ResolvedAttribute): unknown {
  return ctx.model.read(ctx.doc, resolved);
}

function writeValue(ctx: Context, resolved: ResolvedAttribute, value: unknown): void {
  setKey(holderForWrite(ctx, resolved), resolved.attribute.name, value);
}

function unassign(ctx: Context, resolved: ResolvedAttribute): void {
  const holder = ctx.model.container(ctx.doc, resolved);
  if (holder) deleteKey(holder, resolved.attribute.name);
}

/** Sets a single value, refusing to change an immutable one that is already set. */
function assign(holder: JsonObject, definition: AttributeDefinition, value: unknown): void {
  const existing = getKey(holder, definition.name);
  if (definition.mutability === 'immutable' && existing !== undefined && existing !== null && !jsonEqual(existing, value)) {
    throw new ScimError(400, 'mutability', `attribute "${definition.name}" is immutable and already has a value`);
  }
  setKey(holder, definition.name, value);
}

function subAttributeOf(attribute: AttributeDefinition, name: string): AttributeDefinition | undefined {
  const lower = name.toLowerCase();
  return attribute.subAttributes?.find((s) => s.name.toLowerCase() === lower);
}

/** Entra sends a complex attribute's `value` alone (the manager's id); leniently, wrap it. */
function normalizeElement(ctx: Context, attribute: AttributeDefinition, value: unknown): unknown {
  const scalar = typeof value === 'string' || typeof value === 'number';
  if (ctx.compat.complexFromScalar && scalar && attribute.type === 'complex' && subAttributeOf(attribute, 'value')) {
    return { value };
  }
  return value;
}

function isTrue(ctx: Context, value: unknown): boolean {
  return value === true || (ctx.compat.stringBooleans && typeof value === 'string' && value.toLowerCase() === 'true');
}

/** RFC 7644 §3.5.2: setting a value's `primary` to true sets it to false on every other value. */
function keepOnePrimary(ctx: Context, list: unknown[], touched: readonly unknown[]): void {
  if (!touched.some((el) => isObject(el) && isTrue(ctx, getKey(el, 'primary')))) return;
  ctx.budget?.spend(list.length);
  const kept = new Set(touched);
  for (const el of list) {
    if (!kept.has(el) && isObject(el) && isTrue(ctx, getKey(el, 'primary'))) setKey(el, 'primary', false);
  }
}

/** Merges the members of `value` into the complex object `into`, dropping readOnly sub-attributes (RFC 7643 §2.2). */
function mergeComplex(attribute: AttributeDefinition, into: JsonObject, value: JsonObject): void {
  for (const key of Object.keys(value)) {
    const sub = subAttributeOf(attribute, key);
    if (sub?.mutability === 'readOnly') continue;
    if (sub) assign(into, sub, value[key]);
    else setKey(into, key, value[key]);
  }
}

function requireObject(attribute: AttributeDefinition, value: unknown): JsonObject {
  if (!isObject(value)) throw ScimError.badRequest('invalidValue', `"${attribute.name}" is complex: its value must be a JSON object`);
  return value;
}

/** add, replace or remove of a whole attribute: `userName`, `emails`, `name`, `urn:…:enterprise:2.0:User`. */
function applyWhole(ctx: Context, op: PatchOpName, resolved: ResolvedAttribute, value: unknown): void {
  const { attribute } = resolved;
  if (op === 'remove') {
    if (attribute.multiValued && ctx.compat.removeWithValue && value !== undefined && value !== null) {
      removeListed(ctx, resolved, value);
    } else {
      unassign(ctx, resolved);
    }
    return;
  }
  if (resolved.wholeExtension) {
    // RFC 7644 §3.5.2.1, §3.5.2.3: the extension is a complex value; members not given are left as they are.
    const members = requireObject(attribute, value);
    holderForWrite(ctx, { ...resolved, wholeExtension: false });
    for (const key of Object.keys(members)) {
      const member: AttrPath = { uri: resolved.schema!, attr: key };
      if (ctx.model.resolve(member)) applyAtPath(ctx, op, { attr: member }, members[key]);
      else if (!ctx.compat.ignoreUnknownAttributes) throw unknownAttribute(`${resolved.schema}:${brief(key)}`);
    }
    return;
  }
  if (attribute.multiValued) {
    const incoming = (Array.isArray(value) ? value : [value]).map((v) => normalizeElement(ctx, attribute, v));
    if (op === 'replace') {
      if (incoming.length === 0) unassign(ctx, resolved);
      else writeValue(ctx, resolved, incoming);
      keepOnePrimary(ctx, incoming, incoming);
      return;
    }
    const { list, index } = indexedList(ctx, resolved);
    const added: unknown[] = [];
    for (const v of incoming) {
      if (!index.has(v)) {
        list.push(v);
        index.add(v);
        added.push(v);
      }
    }
    if (list.length > 0) writeValue(ctx, resolved, list);
    keepOnePrimary(ctx, list, added);
    return;
  }
  if (attribute.type === 'complex') {
    const incoming = requireObject(attribute, normalizeElement(ctx, attribute, value));
    const holder = holderForWrite(ctx, resolved);
    const current = getKey(holder, attribute.name);
    const into: JsonObject = isObject(current) ? current : {};
    mergeComplex(attribute, into, incoming);
    setKey(holder, attribute.name, into);
    return;
  }
  assign(holderForWrite(ctx, resolved), attribute, value);
}

/**
 * A copy of the attribute's list with its index; the same list, grown or shrunk in place, when
 * the previous operation left it (see Context.indexed).
 */
function indexedList(ctx: Context, resolved: ResolvedAttribute): { list: unknown[]; index: ElementIndex } {
  const current = currentValue(ctx, resolved);
  if (ctx.indexed && ctx.indexed.list === current) return ctx.indexed;
  const list = Array.isArray(current) ? [...current] : [];
  ctx.budget?.spend(list.length);
  ctx.indexed = { list, index: new ElementIndex(resolved.attribute, list) };
  return ctx.indexed;
}

/** The string of a `value eq "…"` filter, which an index can answer; undefined for any other filter. */
function valueEquality(filter: Filter, attribute: AttributeDefinition): string | undefined {
  if (filter.kind !== 'compare' || filter.op !== 'eq' || typeof filter.value !== 'string') return undefined;
  const { path } = filter;
  if (path.uri !== undefined || path.subAttr !== undefined || path.attr.toLowerCase() !== 'value') return undefined;
  const valueDef = attribute.subAttributes?.find((s) => s.name === 'value');
  // dateTimes compare as instants, which the index's keys do not.
  return valueDef && valueDef.type !== 'dateTime' ? filter.value : undefined;
}

/** Entra's legacy member removal: `remove members` with the members to remove as its value. */
function removeListed(ctx: Context, resolved: ResolvedAttribute, value: unknown): void {
  const { attribute } = resolved;
  const listed = (Array.isArray(value) ? value : [value]).map((v) => normalizeElement(ctx, attribute, v));
  const current = currentValue(ctx, resolved);
  if (!Array.isArray(current)) return;
  ctx.budget?.spend(current.length + listed.length);
  const remove = new ElementIndex(attribute, listed);
  const kept = current.filter((el) => !remove.has(el));
  if (kept.length === 0) unassign(ctx, resolved);
  else writeValue(ctx, resolved, kept);
}

/** A sub-attribute without a filter: `name.givenName`, or `emails.type` on every value of a multi-valued attribute. */
function applySubAttribute(ctx: Context, op: PatchOpName, resolved: ResolvedAttribute, sub: AttributeDefinition, value: unknown): void {
  const { attribute } = resolved;
  const current = currentValue(ctx, resolved);
  if (attribute.multiValued) {
    const list = Array.isArray(current) ? current : [];
    ctx.budget?.spend(list.length);
    if (op === 'remove') {
      for (const el of list) if (isObject(el)) deleteKey(el, sub.name);
      writeList(ctx, resolved, list.filter((el) => !isObject(el) || Object.keys(el).length > 0));
      return;
    }
    if (list.length === 0) throw ScimError.badRequest('noTarget', `"${attribute.name}" has no values to set "${sub.name}" on`);
    for (const el of list) if (isObject(el)) assign(el, sub, value);
    keepOnePrimary(ctx, list, sub.name === 'primary' ? list : []);
    return;
  }
  if (op === 'remove') {
    if (!isObject(current)) return;
    deleteKey(current, sub.name);
    if (Object.keys(current).length === 0) unassign(ctx, resolved);
    return;
  }
  const into: JsonObject = isObject(current) ? current : {};
  assign(into, sub, value);
  writeValue(ctx, resolved, into);
}

function writeList(ctx: Context, resolved: ResolvedAttribute, list: unknown[]): void {
  if (list.length === 0) unassign(ctx, resolved);
  else writeValue(ctx, resolved, list);
}

/**
 * A new value built from the equality terms of a filter (`type eq "work"` gives `{type: "work"}`),
 * for Entra's add/replace on a filtered path that matches nothing yet. Undefined when the filter
 * is not a conjunction of equalities on sub-attributes.
 */
function elementFromFilter(attribute: AttributeDefinition, filter: Filter): JsonObject | undefined {
  const element: JsonObject = {};
  const collect = (f: Filter): boolean => {
    if (f.kind === 'and') return collect(f.left) && collect(f.right);
    if (f.kind !== 'compare' || f.op !== 'eq' || f.path.uri !== undefined || f.path.subAttr !== undefined) return false;
    const sub = subAttributeOf(attribute, f.path.attr);
    if (!sub) return false;
    setKey(element, sub.name, f.value);
    return true;
  };
  return collect(filter) ? element : undefined;
}

/** Paths with a value filter: `members[value eq "…"]`, `emails[type eq "work"].value`. */
function applyFiltered(ctx: Context, op: PatchOpName, resolved: ResolvedAttribute, filter: Filter, value: unknown): void {
  const { attribute, subAttribute: sub } = resolved;
  const current = currentValue(ctx, resolved);
  if (!attribute.multiValued) {
    // Only reached for a complex attribute: resolveTarget lets nothing else through.
    if (op !== 'remove' || sub || !ctx.compat.filterOnSingleComplex || attribute.type !== 'complex') {
      throw ScimError.badRequest('invalidPath', `"${attribute.name}" is not multi-valued: a value filter needs a multi-valued attribute`);
    }
    if (!isObject(current) || !matchesValueFilter(filter, current, attribute, ctx.budget)) {
      throw ScimError.badRequest('noTarget', `the value of "${attribute.name}" does not match the filter`);
    }
    unassign(ctx, resolved);
    return;
  }
  const equal = op === 'remove' && !sub ? valueEquality(filter, attribute) : undefined;
  if (equal !== undefined) {
    // `remove members[value eq "…"]`: the index finds the candidates, the filter decides.
    const { list, index } = indexedList(ctx, resolved);
    const matched = index.candidates(equal).filter((el) => matchesValueFilter(filter, el, attribute, ctx.budget));
    if (matched.length === 0) throw ScimError.badRequest('noTarget', `no value of "${attribute.name}" matches the filter`);
    // Finding and cutting out an element is native code, a few ns a value: a step per 128 values.
    ctx.budget?.spend(matched.length * Math.ceil(list.length / 128));
    for (const el of matched) {
      index.delete(el);
      list.splice(list.indexOf(el), 1);
    }
    writeList(ctx, resolved, list);
    return;
  }
  const list = Array.isArray(current) ? [...current] : [];
  const matched = list.filter((el) => matchesValueFilter(filter, el, attribute, ctx.budget));

  if (op === 'remove') {
    if (matched.length === 0) throw ScimError.badRequest('noTarget', `no value of "${attribute.name}" matches the filter`);
    if (sub) {
      for (const el of matched) if (isObject(el)) deleteKey(el, sub.name);
      writeList(ctx, resolved, list.filter((el) => !isObject(el) || Object.keys(el).length > 0));
    } else {
      writeList(ctx, resolved, list.filter((el) => !matched.includes(el)));
    }
    return;
  }

  if (matched.length === 0) {
    const created = ctx.compat.createOnFilteredPath ? elementFromFilter(attribute, filter) : undefined;
    if (!created) {
      const reason = `no value of "${attribute.name}" matches the filter`;
      if (ctx.compat.createOnFilteredPath) throw ScimError.badRequest('noTarget', reason);
      throw new StrictRefusal('noTarget', reason, 'creates one from the filter, as Entra expects', 'createOnFilteredPath');
    }
    if (sub) assign(created, sub, value);
    else mergeComplex(attribute, created, requireObject(attribute, normalizeElement(ctx, attribute, value)));
    list.push(created);
    writeValue(ctx, resolved, list);
    keepOnePrimary(ctx, list, [created]);
    return;
  }

  const touched: unknown[] = [];
  // Positions found in one pass: an indexOf for each of thousands of matches would be quadratic.
  const positions = new Map(list.map((el, i) => [el, i]));
  for (const el of matched) {
    const index = positions.get(el)!;
    if (sub) {
      if (isObject(el)) assign(el, sub, value);
      touched.push(el);
    } else if (op === 'add') {
      if (isObject(el)) mergeComplex(attribute, el, requireObject(attribute, normalizeElement(ctx, attribute, value)));
      touched.push(el);
    } else {
      const replacement = cloneJson(requireObject(attribute, normalizeElement(ctx, attribute, value)));
      checkImmutableSubAttributes(attribute, el, replacement);
      list[index] = replacement;
      touched.push(replacement);
    }
  }
  writeValue(ctx, resolved, list);
  keepOnePrimary(ctx, list, touched);
}

function checkImmutableSubAttributes(attribute: AttributeDefinition, before: unknown, after: JsonObject): void {
  if (!isObject(before)) return;
  for (const sub of attribute.subAttributes ?? []) {
    if (sub.mutability !== 'immutable') continue;
    const old = getKey(before, sub.name);
    if (old !== undefined && old !== null && !jsonEqual(old, getKey(after, sub.name))) {
      throw new ScimError(400, 'mutability', `sub-attribute "${attribute.name}.${sub.name}" is immutable`);
    }
  }
}

/** Keeps `schemas` in step with the extension objects present: added when one appears, dropped when one empties. */
function tidyExtensions(ctx: Context): void {
  const schemasKey = findKey(ctx.doc, 'schemas');
  const schemas = schemasKey === undefined || !Array.isArray(ctx.doc[schemasKey]) ? [] : [...(ctx.doc[schemasKey] as unknown[])];
  for (const extension of ctx.model.extensions) {
    const key = findKey(ctx.doc, extension.id);
    const value = key === undefined ? undefined : ctx.doc[key];
    const present = isObject(value) && Object.keys(value).length > 0;
    if (key !== undefined && !present) delete ctx.doc[key];
    const listed = schemas.findIndex((s) => typeof s === 'string' && s.toLowerCase() === extension.id.toLowerCase());
    if (present && listed < 0) schemas.push(extension.id);
    if (!present && listed >= 0) schemas.splice(listed, 1);
  }
  setKey(ctx.doc, schemasKey ?? 'schemas', schemas);
}
