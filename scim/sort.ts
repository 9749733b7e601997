import { ScimError } from './errors.js';
import { formatAttrPath } from './filter/lex.js';
import type { AttrPath } from './path/types.js';
import { getKey, isObject, type JsonObject } from './schema/keys.js';
import type { ResolvedAttribute, ResourceModel } from './schema/model.js';
import type { AttributeDefinition } from './schema/types.js';

export type SortOrder = 'ascending' | 'descending';

/** Reads `sortOrder` (RFC 7644 §3.4.2.3): case-insensitive, ascending by default. */
export function readSortOrder(text: string | undefined): SortOrder {
  if (text === undefined || text === '') return 'ascending';
  const lower = text.toLowerCase();
  if (lower === 'ascending' || lower === 'descending') return lower;
  throw ScimError.badRequest('invalidValue', `sortOrder must be "ascending" or "descending", got "${text.slice(0, 100)}"`);
}

type Key = string | number | boolean;

function subNamed(attribute: AttributeDefinition, name: string): AttributeDefinition | undefined {
  return attribute.subAttributes?.find((s) => s.name.toLowerCase() === name.toLowerCase());
}

/** The value a resource sorts by, and the definition that says how to compare it; `key` is undefined when it has none. */
export interface SortKey {
  key: Key | undefined;
  /** Undefined for a resource whose type has no such attribute. */
  type?: AttributeDefinition;
}

/** The key of a resource that has no value to sort by. */
export const NO_SORT_KEY: SortKey = { key: undefined };

/**
 * The function that reads a resource's sort key for `path` (RFC 7644 §3.4.2.3): a multi-valued
 * attribute sorts by its primary value, or else its first; a complex one by its `value`.
 */
export function sortKeyReader(path: AttrPath, model: ResourceModel): (resource: JsonObject) => SortKey {
  const resolved = model.resolve(path);
  if (!resolved) {
    throw ScimError.badRequest('invalidValue', `Cannot sort by "${formatAttrPath(path)}": no schema of ${model.resourceType.name} defines it`);
  }
  return (resource) => sortKey(resource, resolved, model);
}

function sortKey(resource: JsonObject, resolved: ResolvedAttribute, model: ResourceModel): SortKey {
  let value = model.read(resource, resolved);
  const { attribute } = resolved;
  if (attribute.multiValued) {
    const list = Array.isArray(value) ? value : [];
    value = list.find((el) => isObject(el) && getKey(el, 'primary') === true) ?? list[0];
  }
  let type = attribute;
  if (attribute.type === 'complex') {
    const sub = resolved.subAttribute ?? subNamed(attribute, 'value');
    if (!sub) return { key: undefined, type: attribute };
    value = isObject(value) ? getKey(value, sub.name) : undefined;
    type = sub;
  }
  const key = typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? value : undefined;
  return { key, type };
}

function compareKeys(a: Key, b: Key, type: AttributeDefinition | undefined): number {
  if (typeof a === 'string' && typeof b === 'string') {
    if (type?.type === 'dateTime') {
      const ta = Date.parse(a);
      const tb = Date.parse(b);
      if (!Number.isNaN(ta) && !Number.isNaN(tb)) return ta - tb;
    }
    const x = type?.caseExact ? a : a.toLowerCase();
    const y = type?.caseExact ? b : b.toLowerCase();
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (typeof a === typeof b) return a < b ? -1 : a > b ? 1 : 0;
  return String(typeof a) < String(typeof b) ? -1 : 1;
}

/** Orders two sort keys: caseExact honoured, dateTimes as instants, and no value last when ascending, first when descending. */
export function compareSortKeys(a: SortKey, b: SortKey, order: SortOrder): number {
  const sign = order === 'ascending' ? 1 : -1;
  if (a.key === undefined || b.key === undefined) {
    if (a.key === b.key) return 0;
    return (a.key === undefined ? 1 : -1) * sign;
  }
  return compareKeys(a.key, b.key, a.type) * sign;
}

/** A comparator that orders resources of one type by `path`, as RFC 7644 §3.4.2.3 says. */
export function sortComparator(path: AttrPath, order: SortOrder, model: ResourceModel): (a: JsonObject, b: JsonObject) => number {
  const read = sortKeyReader(path, model);
  return (a, b) => compareSortKeys(read(a), read(b), order);
}
