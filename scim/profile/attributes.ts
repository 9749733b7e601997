import { ScimError } from '../errors.js';
import { parseAttrPath } from '../path/parse.js';
import type { AttrPath } from '../path/types.js';
import { findKey, getKey, isObject, type JsonObject } from '../schema/keys.js';
import type { ResourceModel } from '../schema/model.js';
import type { AttributeDefinition, ResourceTypeDefinition, SchemaDefinition } from '../schema/types.js';
import { RESOURCE_TYPES, type Profile, type ProfileResourceType, type StoredAttributes } from './fields.js';
import type { SpecProblem } from './spec.js';
import { suggest } from '../suggest.js';

/*
 * What a profile's `attributes` and `filter.caseExact` make of the RFC 7643 schemas: the schemas
 * a server declares, stores and validates against, and the members of a request body that name an
 * attribute of RFC 7643 the server does not store.
 */

export interface DeclaredSchemas {
  schemas: readonly SchemaDefinition[];
  resourceTypes: readonly ResourceTypeDefinition[];
}

const lower = (s: string) => s.toLowerCase();

function isStored(list: StoredAttributes['stored'], name: string): boolean {
  return list === 'all' || list.some((entry) => lower(entry) === lower(name));
}

/** An attribute kept whole, or for some of its sub-attributes (`name.givenName` keeps `name`). */
function isKept(list: StoredAttributes['stored'], name: string): boolean {
  return isStored(list, name) || (list !== 'all' && list.some((entry) => lower(entry).startsWith(`${lower(name)}.`)));
}

/** The attribute with only the sub-attributes the list keeps, when it names some rather than the whole. */
function keptPart(attribute: AttributeDefinition, list: StoredAttributes['stored'], prefix: string): AttributeDefinition {
  const name = `${prefix}${attribute.name}`;
  if (isStored(list, name) || !isKept(list, name) || !attribute.subAttributes) return attribute;
  return { ...attribute, subAttributes: attribute.subAttributes.filter((sub) => isStored(list, `${name}.${sub.name}`)) };
}

/** caseExact set as the profile says on the attributes (and sub-attributes) it names. */
function withCaseExact(attributes: AttributeDefinition[], table: Record<string, boolean> | undefined, prefix: string): AttributeDefinition[] {
  if (!table) return attributes;
  const wanted = new Map(Object.entries(table).map(([name, exact]) => [lower(name), exact]));
  return attributes.map((attribute) => {
    const name = lower(`${prefix}${attribute.name}`);
    const exact = wanted.get(name);
    const subAttributes = attribute.subAttributes && withCaseExact(attribute.subAttributes, table, `${prefix}${attribute.name}.`);
    if (exact === undefined && subAttributes === attribute.subAttributes) return attribute;
    return { ...attribute, ...(exact !== undefined && { caseExact: exact }), ...(subAttributes && { subAttributes }) };
  });
}

/**
 * The schemas and resource types of a server with `profile`, from RFC 7643's: only the stored
 * attributes (and a User's `groups` when the profile keeps them), caseExact as the profile says.
 * Undefined when the profile changes nothing, so the caller keeps its shared models.
 */
export function declaredSchemas(profile: Pick<Profile, 'attributes' | 'filter'>, base: DeclaredSchemas): DeclaredSchemas | undefined {
  const { User: user, Group: group } = profile.attributes;
  const caseExact = profile.filter.caseExact;
  const unchanged = user.stored === 'all' && user.groups && group.stored === 'all' && !caseExact.User && !caseExact.Group;
  if (unchanged) return undefined;
  const rules: Record<ProfileResourceType, { stored: StoredAttributes['stored']; groups: boolean }> = {
    User: { stored: user.stored, groups: user.groups },
    Group: { stored: group.stored, groups: true },
  };
  const schemas = new Map(base.schemas.map((s) => [lower(s.id), s]));
  const resourceTypes = base.resourceTypes.map((type) => {
    const rule = rules[type.name as ProfileResourceType];
    if (!rule) return type;
    const table = caseExact[type.name as ProfileResourceType];
    const core = schemas.get(lower(type.schema))!;
    const kept = core.attributes
      .filter((a) => (lower(a.name) === 'groups' && type.name === 'User' ? rule.groups : isKept(rule.stored, a.name)))
      .map((a) => keptPart(a, rule.stored, ''));
    schemas.set(lower(core.id), { ...core, attributes: withCaseExact(kept, table, '') });
    const extensions = type.schemaExtensions.filter((extension) => {
      const schema = schemas.get(lower(extension.schema))!;
      const whole = isStored(rule.stored, schema.id);
      const attributes = whole ? schema.attributes : schema.attributes.filter((a) => isKept(rule.stored, `${schema.id}:${a.name}`)).map((a) => keptPart(a, rule.stored, `${schema.id}:`));
      if (attributes.length === 0) {
        schemas.delete(lower(schema.id));
        return false;
      }
      schemas.set(lower(schema.id), { ...schema, attributes: withCaseExact(attributes, table, `${schema.id}:`) });
      return true;
    });
    return { ...type, schemaExtensions: extensions };
  });
  return { schemas: base.schemas.filter((s) => schemas.has(lower(s.id))).map((s) => schemas.get(lower(s.id))!), resourceTypes };
}

/** `path` parsed, or undefined when it is no attribute path (then it names nothing the profile stores or drops). */
function attrPath(path: string): AttrPath | undefined {
  try {
    return parseAttrPath(path);
  } catch {
    return undefined;
  }
}

/** True when `path` names an attribute of `full` that `served` lacks: one of RFC 7643's the server does not store. */
export function isUnstored(path: string, full: ResourceModel, served: ResourceModel): boolean {
  const parsed = attrPath(path);
  return parsed !== undefined && full.resolve(parsed) !== undefined && served.resolve(parsed) === undefined;
}

/** True when `path` names a complex attribute that `served` keeps with fewer sub-attributes than `full` has. */
export function isPartlyStored(path: string, full: ResourceModel, served: ResourceModel): boolean {
  const parsed = attrPath(path);
  if (parsed === undefined || parsed.subAttr !== undefined) return false;
  const all = full.resolve(parsed)?.attribute.subAttributes?.length ?? 0;
  const kept = served.resolve(parsed)?.attribute.subAttributes?.length ?? all;
  return kept < all;
}

/** A complex value (or each element of a multi-valued one) without the sub-attributes `attribute` does not store. */
function withoutUnstoredParts(value: unknown, attribute: string, full: ResourceModel, served: ResourceModel): unknown {
  const trim = (item: unknown) => (isObject(item) ? Object.fromEntries(Object.entries(item).filter(([sub]) => !isUnstored(`${attribute}.${sub}`, full, served))) : item);
  return Array.isArray(value) ? value.map(trim) : trim(value);
}

/**
 * A POST or PUT body without the members naming attributes the server does not store: all of them
 * (`unstored: ignore`), or only readOnly ones, which RFC 7644 §3.3 and §3.5.1 say a server ignores
 * (a User's `groups` when the profile keeps none). Extension objects and complex values lose their
 * unstored members, and a wholly unstored extension leaves `schemas` too. A body that is no object is left as is.
 */
export function dropUnstored(body: unknown, full: ResourceModel, served: ResourceModel, all: boolean): unknown {
  if (!isObject(body) || full === served) return body;
  const out: JsonObject = {};
  const droppedUrns: string[] = [];
  for (const [key, value] of Object.entries(body)) {
    const extension = full.extension(key);
    if (extension) {
      const kept = served.extension(key);
      if (!kept) {
        if (all) {
          droppedUrns.push(lower(key));
          continue;
        }
      } else if (all && isObject(value)) {
        out[key] = Object.fromEntries(Object.entries(value).filter(([name]) => !isUnstored(`${extension.id}:${name}`, full, served)));
        continue;
      }
      out[key] = value;
      continue;
    }
    if (isUnstored(key, full, served)) {
      const readOnly = full.resolve({ attr: key })?.attribute.mutability === 'readOnly';
      if (all || readOnly) continue;
    }
    out[key] = all ? withoutUnstoredParts(value, key, full, served) : value;
  }
  const schemasKey = findKey(out, 'schemas');
  const schemas = schemasKey === undefined ? undefined : getKey(out, 'schemas');
  if (droppedUrns.length > 0 && Array.isArray(schemas)) {
    out[schemasKey!] = schemas.filter((s) => !(typeof s === 'string' && droppedUrns.includes(lower(s))));
  }
  return out;
}

/**
 * The attribute names a profile gives (stored lists, filter attributes, caseExact, PATCH and PUT paths)
 * that no schema of RFC 7643 defines for the resource type: each a mistake with its field path.
 */
export function unknownAttributeNames(profile: Profile, models: Record<ProfileResourceType, ResourceModel>): SpecProblem[] {
  const problems: SpecProblem[] = [];
  for (const type of RESOURCE_TYPES) {
    const model = models[type];
    const known = [...model.core.attributes.map((a) => a.name), ...model.extensions.flatMap((e) => [e.id, ...e.attributes.map((a) => `${e.id}:${a.name}`)])];
    const check = (name: string, path: string, whole = false) => {
      if (whole && model.extension(name)) return;
      let resolved;
      try {
        resolved = model.resolve(parseAttrPath(name));
      } catch (error) {
        if (!(error instanceof ScimError)) throw error;
      }
      if (resolved) return;
      const hint = suggest(name, known);
      problems.push({ path, message: `"${name}" is not an attribute of ${type}s in RFC 7643${hint ? `: did you mean '${hint}'?` : ''}` });
    };
    const stored = profile.attributes[type].stored;
    if (stored !== 'all') stored.forEach((name, i) => check(name, `attributes.${type}.stored[${i}]`, true));
    for (const name of Object.keys(profile.filter.attributes[type] ?? {})) check(name, `filter.attributes.${type}[${JSON.stringify(name)}]`);
    for (const name of Object.keys(profile.filter.caseExact[type] ?? {})) check(name, `filter.caseExact.${type}[${JSON.stringify(name)}]`);
    profile.patch.paths[type]?.apply.forEach((name, i) => check(name, `patch.paths.${type}.apply[${i}]`, true));
    profile.put.paths[type]?.apply.forEach((name, i) => check(name, `put.paths.${type}.apply[${i}]`, true));
    for (const form of ['path', 'pathless'] as const) {
      for (const name of Object.keys(profile.patch.values[type]?.[form] ?? {})) check(name, `patch.values.${type}.${form}[${JSON.stringify(name)}]`, true);
    }
  }
  return problems;
}
