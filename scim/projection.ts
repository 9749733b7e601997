import type { AttrPath } from './path/types.js';
import { topLevelAttributes } from './schema/attributes.js';
import { cloneJson, getKey, isObject, setKey, type JsonObject } from './schema/keys.js';
import type { ResourceModel } from './schema/model.js';
import type { AttributeDefinition } from './schema/types.js';

export interface ProjectionRequest {
  /** The `attributes` query parameter (RFC 7644 §3.4.2.5), parsed. */
  attributes?: AttrPath[];
  /** The `excludedAttributes` query parameter, parsed. */
  excludedAttributes?: AttrPath[];
}

/** What a list of attribute paths names: whole attributes, sub-attributes, whole extensions. */
interface Named {
  whole: Set<string>;
  subs: Map<string, Set<string>>;
  extensions: Set<string>;
}

/** The key of a top-level attribute: its extension URN (empty for core and common) and its name. */
function keyOf(extension: string | undefined, name: string): string {
  return `${(extension ?? '').toLowerCase()}|${name.toLowerCase()}`;
}

function readNames(paths: readonly AttrPath[] | undefined, model: ResourceModel): Named | undefined {
  if (!paths || paths.length === 0) return undefined;
  const named: Named = { whole: new Set(), subs: new Map(), extensions: new Set() };
  for (const path of paths) {
    const resolved = model.resolve(path);
    if (!resolved) continue; // RFC 7644 §3.4.2.5 does not make unknown names an error; they select nothing.
    const extension = resolved.inExtension ? resolved.schema : undefined;
    if (resolved.wholeExtension) {
      // `urn:…:User.employeeNumber` names one attribute of the extension; `urn:…:User` all of it.
      if (resolved.subAttribute) named.whole.add(keyOf(extension, resolved.subAttribute.name));
      else named.extensions.add(resolved.schema!.toLowerCase());
    } else if (resolved.subAttribute) {
      const key = keyOf(extension, resolved.attribute.name);
      const subs = named.subs.get(key) ?? new Set<string>();
      subs.add(resolved.subAttribute.name.toLowerCase());
      named.subs.set(key, subs);
    } else {
      named.whole.add(keyOf(extension, resolved.attribute.name));
    }
  }
  return named;
}

/** Which sub-attributes of a complex value to keep. */
type SubSelection = (sub: AttributeDefinition) => boolean;

/** The sub-attributes returned when nothing names them: RFC 7643 §2.2 `always` and `default`. */
const defaultSubs: SubSelection = (sub) => sub.returned === 'always' || sub.returned === 'default';

/** Copies `value` keeping the selected sub-attributes of each complex element; undefined when nothing is left. */
function copyValue(value: unknown, attribute: AttributeDefinition, keep: SubSelection): unknown {
  if (attribute.type !== 'complex' || !attribute.subAttributes) return cloneJson(value);
  const copyElement = (element: unknown): JsonObject | undefined => {
    if (!isObject(element)) return undefined;
    const out: JsonObject = {};
    for (const sub of attribute.subAttributes!) {
      const subValue = getKey(element, sub.name);
      if (subValue !== undefined && keep(sub)) setKey(out, sub.name, copyValue(subValue, sub, defaultSubs));
    }
    return Object.keys(out).length > 0 ? out : undefined;
  };
  if (!Array.isArray(value)) return copyElement(value);
  const out = value.map(copyElement).filter((element) => element !== undefined);
  return out.length > 0 ? out : undefined;
}


/**
 * The selection for one attribute, or undefined to leave it out, following RFC 7643 §2.2 `returned`
 * and RFC 7644 §3.4.2.5: `never` never; `always` always, whatever the parameters say; `request`
 * only when `attributes` names it; `default` unless `attributes` is given without naming it or
 * `excludedAttributes` names it. The same rules apply one level down to sub-attributes.
 */
function select(
  attribute: AttributeDefinition,
  key: string,
  extension: string | undefined,
  only: Named | undefined,
  excluded: Named | undefined,
): SubSelection | undefined {
  if (attribute.returned === 'never') return undefined;
  if (attribute.returned === 'always') return defaultSubs;
  if (only) {
    const whole = only.whole.has(key) || (extension !== undefined && only.extensions.has(extension.toLowerCase()));
    if (whole) return defaultSubs;
    const subs = only.subs.get(key);
    if (!subs) return undefined;
    return (sub) => sub.returned === 'always' || (sub.returned !== 'never' && subs.has(sub.name.toLowerCase()));
  }
  if (attribute.returned === 'request') return undefined;
  if (excluded) {
    if (excluded.whole.has(key) || (extension !== undefined && excluded.extensions.has(extension.toLowerCase()))) return undefined;
    const subs = excluded.subs.get(key);
    if (subs) return (sub) => sub.returned === 'always' || (defaultSubs(sub) && !subs.has(sub.name.toLowerCase()));
  }
  return defaultSubs;
}

function projectPart(
  from: JsonObject,
  attributes: readonly AttributeDefinition[],
  extension: string | undefined,
  only: Named | undefined,
  excluded: Named | undefined,
): JsonObject {
  const out: JsonObject = {};
  for (const attribute of attributes) {
    const value = getKey(from, attribute.name);
    if (value === undefined || value === null) continue;
    const keep = select(attribute, keyOf(extension, attribute.name), extension, only, excluded);
    if (!keep) continue;
    const copied = copyValue(value, attribute, keep);
    if (copied !== undefined) setKey(out, attribute.name, copied);
  }
  return out;
}

/**
 * The representation of `resource` to return for a request with these `attributes` /
 * `excludedAttributes` (RFC 7644 §3.4.2.5, §3.9; RFC 7643 §2.2 `returned`). Names may be
 * sub-attributes (`name.givenName`) and URN-qualified (`urn:…:enterprise:2.0:User:manager`, or the
 * whole extension `urn:…:enterprise:2.0:User`). When both lists are given, `attributes` selects and
 * `excludedAttributes` is ignored, since the RFC gives no meaning to their combination. `schemas`
 * is copied as is; attributes no schema of the model defines are left out; an extension object
 * left empty is dropped. Returns a new object; `resource` is not modified.
 */
export function project(resource: JsonObject, model: ResourceModel, request: ProjectionRequest): JsonObject {
  const only = readNames(request.attributes, model);
  const excluded = only ? undefined : readNames(request.excludedAttributes, model);
  const out: JsonObject = {};
  const schemas = getKey(resource, 'schemas');
  if (schemas !== undefined) setKey(out, 'schemas', cloneJson(schemas));
  const core = projectPart(resource, topLevelAttributes(model), undefined, only, excluded);
  for (const key of Object.keys(core)) setKey(out, key, core[key]);
  for (const extension of model.extensions) {
    const from = getKey(resource, extension.id);
    if (!isObject(from)) continue;
    const part = projectPart(from, extension.attributes, extension.id, only, excluded);
    if (Object.keys(part).length > 0) setKey(out, extension.id, part);
  }
  return out;
}
