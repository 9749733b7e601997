import { brief, coerceMembers, describeJson, MAX_VALUES, type CoerceContext } from './coerce.js';
import { STRICT, type Compat } from './compat.js';
import { ScimError } from './errors.js';
import { topLevelAttributes } from './schema/attributes.js';
import { assignKey, cloneJson, getKey, isObject, setKey, type JsonObject } from './schema/keys.js';
import type { ResourceModel } from './schema/model.js';
import type { AttributeDefinition, SchemaDefinition } from './schema/types.js';

export { coerceAttributeValue, MAX_VALUES } from './coerce.js';

export interface ValidateOptions {
  /** `create` for POST; `replace` for PUT, and for the result of a PATCH. */
  mode: 'create' | 'replace';
  /** The stored resource a `replace` applies to: readOnly values come from it, immutable ones must match it. */
  existing?: JsonObject;
  compat?: Compat;
}

/** The object holding one schema's attributes: the resource itself for the core schema, else the extension object. */
interface Part {
  attributes: readonly AttributeDefinition[];
  extension?: SchemaDefinition;
  pathOf: (name: string) => string;
}

function own(obj: JsonObject | undefined, name: string): unknown {
  return obj && Object.prototype.hasOwnProperty.call(obj, name) ? obj[name] : undefined;
}

const PARTS = new WeakMap<ResourceModel, readonly Part[]>();

function parts(model: ResourceModel): readonly Part[] {
  let list = PARTS.get(model);
  if (!list) {
    list = [
      { attributes: topLevelAttributes(model), pathOf: (name) => name },
      ...model.extensions.map((extension) => ({
        attributes: extension.attributes,
        extension,
        pathOf: (name: string) => `${extension.id}:${name}`,
      })),
    ];
    PARTS.set(model, list);
  }
  return list;
}

/** The canonical URNs that `schemas` lists (RFC 7643 §3: the core schema and the extensions used). */
function readSchemas(input: JsonObject, model: ResourceModel, compat: Compat): Set<string> {
  const keys = Object.keys(input).filter((key) => key.toLowerCase() === 'schemas');
  if (keys.length > 1) throw ScimError.badRequest('invalidSyntax', `"schemas" is given twice, as '${keys[0]}' and '${keys[1]}'`);
  const value = keys.length === 1 ? input[keys[0]!] : undefined;
  if (value === undefined || value === null) {
    throw ScimError.badRequest('invalidValue', `"schemas" is required and must list "${model.core.id}"`);
  }
  if (!Array.isArray(value)) throw ScimError.badRequest('invalidValue', `"schemas" must be an array of URNs, got ${describeJson(value)}`);
  if (value.length > MAX_VALUES) throw ScimError.badRequest('invalidValue', `"schemas" has ${value.length} entries`);
  const listed = new Set<string>();
  for (const urn of value) {
    if (typeof urn !== 'string') throw ScimError.badRequest('invalidValue', `"schemas" must hold only strings, got ${describeJson(urn)}`);
    const schema = urn.toLowerCase() === model.core.id.toLowerCase() ? model.core : model.extension(urn);
    if (schema) listed.add(schema.id);
    else if (!compat.ignoreUnknownAttributes) {
      throw ScimError.badRequest('invalidValue', `"schemas" lists "${brief(urn)}", which is not a schema of resource type ${model.resourceType.name}`);
    }
  }
  if (!listed.has(model.core.id)) throw ScimError.badRequest('invalidValue', `"schemas" must include "${model.core.id}"`);
  return listed;
}

/** Type-checks every attribute; readOnly ones are dropped unread. Extension objects end up under their canonical URN. */
function readAttributes(input: JsonObject, model: ResourceModel, listed: Set<string>, ctx: CoerceContext): JsonObject {
  const extensionValues = new Map<SchemaDefinition, { key: string; value: unknown }>();
  const claim = (key: string): boolean => {
    if (key.toLowerCase() === 'schemas') return true;
    const extension = model.extension(key);
    if (!extension) return false;
    const twice = extensionValues.get(extension);
    if (twice) throw ScimError.badRequest('invalidSyntax', `Extension "${extension.id}" is given twice, as '${twice.key}' and '${brief(key)}'`);
    extensionValues.set(extension, { key, value: input[key] });
    return true;
  };
  const out = coerceMembers(input, topLevelAttributes(model), (name) => name, ctx, claim);
  for (const extension of model.extensions) {
    const raw = extensionValues.get(extension)?.value;
    if (raw === undefined || raw === null) continue;
    if (!isObject(raw)) throw ScimError.badRequest('invalidValue', `Extension "${extension.id}" must be a JSON object, got ${describeJson(raw)}`);
    if (!listed.has(extension.id) && !ctx.compat.ignoreUnknownAttributes) {
      throw ScimError.badRequest('invalidValue', `Extension "${extension.id}" is used but "schemas" does not list it (RFC 7643 §3)`);
    }
    const value = coerceMembers(raw, extension.attributes, (name) => `${extension.id}:${name}`, ctx);
    if (Object.keys(value).length > 0) setKey(out, extension.id, value);
  }
  return out;
}

function sameValue(a: unknown, b: unknown, attribute: AttributeDefinition): boolean {
  if (a === undefined || b === undefined) return a === b;
  if (attribute.multiValued) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => sameSingle(item, b[i], attribute));
  }
  return sameSingle(a, b, attribute);
}

function sameSingle(a: unknown, b: unknown, attribute: AttributeDefinition): boolean {
  if (attribute.type === 'complex') {
    if (!isObject(a) || !isObject(b)) return false;
    // readOnly sub-attributes are the server's, so a client cannot change them by leaving them out.
    const compared = (attribute.subAttributes ?? []).filter((sub) => sub.mutability !== 'readOnly');
    return compared.every((sub) => sameValue(getKey(a, sub.name), getKey(b, sub.name), sub));
  }
  if (typeof a === 'string' && typeof b === 'string' && !attribute.caseExact && attribute.type !== 'binary') {
    return a.toLowerCase() === b.toLowerCase();
  }
  return a === b;
}

/**
 * readOnly sub-attributes (manager.displayName) describe what `value` points to: they are kept from
 * the stored element with the same `value`, single-valued or not; a changed `value` drops them.
 */
function keepReadOnlySubAttributes(current: unknown, prior: unknown, attribute: AttributeDefinition): void {
  const subs = attribute.subAttributes ?? [];
  const readOnly = subs.filter((s) => s.mutability === 'readOnly');
  if (readOnly.length === 0 || current === undefined || prior === undefined) return;
  const valueDef = subs.find((s) => s.name === 'value');
  const keyOf = (element: unknown): string | undefined => {
    if (!valueDef || !isObject(element)) return undefined;
    const value = getKey(element, 'value');
    if (value === undefined) return undefined;
    return typeof value === 'string' && !valueDef.caseExact ? value.toLowerCase() : JSON.stringify(value);
  };
  const copy = (to: unknown, from: unknown): void => {
    if (!isObject(to) || !isObject(from)) return;
    for (const sub of readOnly) {
      const value = getKey(from, sub.name);
      if (value !== undefined && value !== null) setKey(to, sub.name, cloneJson(value));
    }
  };
  if (!attribute.multiValued) {
    if (!valueDef || keyOf(current) === keyOf(prior)) copy(current, prior);
    return;
  }
  if (!valueDef || !Array.isArray(current) || !Array.isArray(prior)) return;
  const byValue = new Map<string, unknown>();
  for (const element of prior) {
    const key = keyOf(element);
    if (key !== undefined && !byValue.has(key)) byValue.set(key, element);
  }
  for (const element of current) {
    const key = keyOf(element);
    if (key !== undefined) copy(element, byValue.get(key));
  }
}

function checkImmutable(current: unknown, prior: unknown, attribute: AttributeDefinition, path: string): void {
  if (prior === undefined || prior === null) return; // RFC 7643 §2.2: an immutable attribute may be set once.
  // Omitting it counts as a change: a replace (or a PATCH remove) would clear it.
  if (!sameValue(current, prior, attribute)) {
    throw ScimError.badRequest('mutability', `Attribute '${path}' is immutable and already set; it cannot be changed`);
  }
}

/**
 * RFC 7644 §3.5.1 for a replace: readOnly values are the stored ones, immutable values must equal
 * the stored ones. Sub-attributes of multi-valued attributes are not checked for immutability: an
 * element with another `value` is another element (a member removed and one added), not a change.
 */
function applyExisting(out: JsonObject, existing: JsonObject, model: ResourceModel): void {
  for (const part of parts(model)) {
    const priorHolder = part.extension ? getKey(existing, part.extension.id) : existing;
    if (!isObject(priorHolder)) continue;
    let holder = part.extension ? (own(out, part.extension.id) as JsonObject | undefined) : out;
    for (const attribute of part.attributes) {
      const prior = getKey(priorHolder, attribute.name);
      if (attribute.mutability === 'readOnly') {
        if (prior === undefined || prior === null) continue;
        if (!holder) {
          holder = {};
          setKey(out, part.extension!.id, holder);
        }
        setKey(holder, attribute.name, cloneJson(prior));
        continue;
      }
      const current = own(holder, attribute.name);
      const path = part.pathOf(attribute.name);
      if (attribute.mutability === 'immutable') checkImmutable(current, prior, attribute, path);
      if (attribute.type !== 'complex') continue;
      keepReadOnlySubAttributes(current, prior, attribute);
      if (attribute.multiValued || !isObject(prior)) continue;
      for (const sub of attribute.subAttributes ?? []) {
        if (sub.mutability !== 'immutable') continue;
        const currentSub = isObject(current) ? getKey(current, sub.name) : undefined;
        checkImmutable(currentSub, getKey(prior, sub.name), sub, `${path}.${sub.name}`);
      }
    }
  }
}

/** RFC 7643 §2.2 `required`; readOnly attributes are the server's to provide, so they are not asked of the client. */
function checkRequired(holder: JsonObject | undefined, attributes: readonly AttributeDefinition[], pathOf: (name: string) => string): void {
  for (const attribute of attributes) {
    if (attribute.mutability === 'readOnly') continue;
    const value = own(holder, attribute.name);
    const path = pathOf(attribute.name);
    if (attribute.required && (value === undefined || value === '')) {
      throw ScimError.badRequest('invalidValue', `Attribute '${path}' is required${value === '' ? ' and must not be empty' : ''}`);
    }
    if (value === undefined || attribute.type !== 'complex') continue;
    const subs = attribute.subAttributes ?? [];
    if (Array.isArray(value)) {
      value.forEach((element, i) => checkRequired(element as JsonObject, subs, (name) => `${path}[${i}].${name}`));
    } else {
      checkRequired(value as JsonObject, subs, (name) => `${path}.${name}`);
    }
  }
}

function checkAllRequired(out: JsonObject, model: ResourceModel, listed: Set<string>): void {
  for (const part of parts(model)) {
    if (!part.extension) {
      checkRequired(out, part.attributes, part.pathOf);
      continue;
    }
    const id = part.extension.id;
    const object = own(out, id) as JsonObject | undefined;
    const required = model.isRequiredExtension(id);
    if (required && !object && !listed.has(id)) {
      throw ScimError.badRequest('invalidValue', `Resource type ${model.resourceType.name} requires the extension "${id}"`);
    }
    if (object || required) checkRequired(object, part.attributes, part.pathOf);
  }
}

/**
 * Validates a resource a client sends (POST, PUT) or a PATCH produced, against the schemas of its
 * resource type, and returns a cleaned copy; `input` is never modified. The copy has `schemas`
 * first (core URN, then the extensions in use), then the attributes in schema order, spelled as
 * the schemas spell them. `null` and empty values are dropped (RFC 7644 §3.5.1 "unassigned"),
 * readOnly values are ignored (RFC 7643 §2.2) and, in `replace` mode, taken from `existing`;
 * writeOnly values are kept. Every failure is a 400 ScimError naming the attribute.
 */
export function validateResource(input: unknown, model: ResourceModel, options: ValidateOptions): JsonObject {
  const compat = options.compat ?? STRICT;
  if (!isObject(input)) throw ScimError.badRequest('invalidSyntax', `A resource must be a JSON object, got ${describeJson(input)}`);
  const listed = readSchemas(input, model, compat);
  const attributes = readAttributes(input, model, listed, { compat, dropReadOnly: true });
  if (options.mode === 'replace' && options.existing) applyExisting(attributes, options.existing, model);
  checkAllRequired(attributes, model, listed);
  const schemas = [
    model.core.id,
    ...model.extensions.filter((e) => own(attributes, e.id) !== undefined || (model.isRequiredExtension(e.id) && listed.has(e.id))).map((e) => e.id),
  ];
  // Rebuilt in schema order, so that values taken from `existing` do not trail at the end.
  const out: JsonObject = { schemas };
  for (const part of parts(model)) {
    const from = part.extension ? own(attributes, part.extension.id) : attributes;
    if (!isObject(from)) continue;
    const to: JsonObject = part.extension ? {} : out;
    for (const attribute of part.attributes) {
      const value = own(from, attribute.name);
      if (value !== undefined) assignKey(to, attribute.name, value);
    }
    if (part.extension) assignKey(out, part.extension.id, to);
  }
  return out;
}
