import { ScimError } from '../errors.js';
import { COMMON_ATTRIBUTES, defineAttribute } from '../schema/common.js';
import { getKey, isObject, type JsonObject } from '../schema/keys.js';
import type { ResourceModel } from '../schema/model.js';
import type { AttributeDefinition } from '../schema/types.js';
import { formatAttrPath } from './lex.js';
import type { AttrPath, CompareOperator, Filter, FilterValue } from './types.js';

/*
 * Filter evaluation (RFC 7644 §3.4.2.2) over plain JSON resources. Choices the RFC leaves open:
 * - `eq null` means "not present" and `ne null` means "present" (the RFC treats null as unassigned, RFC 7643 §2.5).
 * - `pr` is true for a value that is not null, "", [] or an object without any present value.
 * - Any other comparison needs a value: on an absent attribute every one is false, `ne` included.
 * - Multi-valued attributes match when any value matches (so `emails.type ne "work"` matches when one email is not "work").
 * - Naming a complex attribute without a sub-attribute in a comparison compares its `value`
 *   sub-attribute (`emails co "example.com"`, `manager eq "26118915"`).
 * - A path the model cannot resolve matches nothing; rejecting it is the server's decision.
 * - Values whose JSON type differs from the filter value's never match.
 */

/** Where a path led: the attribute's value in the resource (or element) and its definition when known. */
interface Located {
  value: unknown;
  attribute: AttributeDefinition | undefined;
}

type Locate = (path: AttrPath) => Located | undefined;

/** The values a condition looks at, with the definition that types them. */
interface Values {
  values: unknown[];
  attribute: AttributeDefinition | undefined;
}

/** `schemas` is in every resource but in no schema (RFC 7643 §3): a multi-valued list of URIs, compared case-insensitively. */
const SCHEMAS_ATTRIBUTE = defineAttribute('schemas', { type: 'reference', multiValued: true, referenceTypes: ['uri'], returned: 'always' });

/** True when `resource` matches `filter`. Without a model, only the common attributes (id, externalId, meta) have known types. */
export function matchesFilter(filter: Filter, resource: Record<string, unknown>, model?: ResourceModel): boolean {
  return evaluate(filter, (path) => locateInResource(resource, path, model));
}

/**
 * True when one element of a multi-valued complex attribute matches the filter written inside its
 * brackets (`members[value eq "x"]`): names in `filter` are sub-attributes of `attribute`.
 */
export function matchesValueFilter(filter: Filter, element: unknown, attribute?: AttributeDefinition): boolean {
  if (!isObject(element)) return false;
  return evaluate(filter, (path) => locateInElement(element, path, attribute));
}

function evaluate(filter: Filter, locate: Locate): boolean {
  switch (filter.kind) {
    case 'and':
      return evaluate(filter.left, locate) && evaluate(filter.right, locate);
    case 'or':
      return evaluate(filter.left, locate) || evaluate(filter.right, locate);
    case 'not':
      return !evaluate(filter.filter, locate);
    case 'present': {
      const found = locate(filter.path);
      return found !== undefined && valuesAt(found, filter.path.subAttr).values.some(isPresent);
    }
    case 'compare':
      return compareAt(filter.op, filter.path, filter.value, locate);
    case 'valuePath': {
      const found = locate(filter.path);
      if (found === undefined) return false;
      const { values, attribute } = valuesAt(found, filter.path.subAttr);
      return values.some((element) => matchesValueFilter(filter.filter, element, attribute));
    }
  }
}

function compareAt(op: CompareOperator, path: AttrPath, expected: FilterValue, locate: Locate): boolean {
  const found = locate(path);
  if (found === undefined) return false;
  const at = valuesAt(found, path.subAttr);
  if (expected === null) {
    const present = at.values.some(isPresent);
    return op === 'ne' ? present : op === 'eq' && !present;
  }
  const { values, attribute } = comparedValues(at);
  if ((op === 'gt' || op === 'lt' || op === 'ge' || op === 'le') && (attribute?.type === 'boolean' || attribute?.type === 'binary')) {
    throw ScimError.badRequest('invalidFilter', `The "${op}" operator cannot compare the ${attribute.type} attribute "${formatAttrPath(path)}"`);
  }
  return values.some((actual) => compareValue(actual, op, expected, attribute));
}

/** The values at `subAttr` of the located attribute (or the attribute's own values), with their definition. */
function valuesAt(found: Located, subAttr: string | undefined): Values {
  const items = listOf(found.value);
  if (subAttr === undefined) return { values: items, attribute: found.attribute };
  return {
    attribute: subAttribute(found.attribute, subAttr),
    values: items.flatMap((item) => (isObject(item) ? listOf(getKey(item, subAttr)) : [])),
  };
}

/** A comparison with a complex attribute compares the `value` sub-attribute of each element. */
function comparedValues(at: Values): Values {
  const complex = at.attribute === undefined ? at.values.some(isObject) : at.attribute.type === 'complex';
  if (!complex) return at;
  return {
    attribute: subAttribute(at.attribute, 'value'),
    values: at.values.map((item) => (isObject(item) ? getKey(item, 'value') : undefined)),
  };
}

function compareValue(actual: unknown, op: CompareOperator, expected: string | number | boolean, attribute: AttributeDefinition | undefined): boolean {
  if (typeof expected === 'string') return typeof actual === 'string' && compareStrings(actual, op, expected, attribute);
  if (typeof expected === 'number') return typeof actual === 'number' && compareOrdered(op, actual - expected);
  return typeof actual === 'boolean' && (op === 'eq' ? actual === expected : op === 'ne' && actual !== expected);
}

function compareStrings(actual: string, op: CompareOperator, expected: string, attribute: AttributeDefinition | undefined): boolean {
  if (attribute?.type === 'dateTime' && op !== 'co' && op !== 'sw' && op !== 'ew') {
    const a = instant(actual);
    const b = instant(expected);
    if (a !== undefined && b !== undefined) return compareOrdered(op, a - b);
  }
  const exact = attribute?.caseExact ?? false;
  const a = exact ? actual : actual.toLowerCase();
  const b = exact ? expected : expected.toLowerCase();
  switch (op) {
    case 'co':
      return a.includes(b);
    case 'sw':
      return a.startsWith(b);
    case 'ew':
      return a.endsWith(b);
    default:
      return compareOrdered(op, a < b ? -1 : a > b ? 1 : 0);
  }
}

/** eq/ne/gt/lt/ge/le from the sign of a difference; co/sw/ew have no meaning on an order. */
function compareOrdered(op: CompareOperator, difference: number): boolean {
  switch (op) {
    case 'eq':
      return difference === 0;
    case 'ne':
      return difference !== 0;
    case 'gt':
      return difference > 0;
    case 'lt':
      return difference < 0;
    case 'ge':
      return difference >= 0;
    case 'le':
      return difference <= 0;
    default:
      return false;
  }
}

/** xsd:dateTime (RFC 7643 §2.3.5) in milliseconds; a missing zone is read as UTC so results never depend on the host. */
const DATE_TIME = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})?$/;

function instant(text: string): number | undefined {
  const match = DATE_TIME.exec(text);
  if (!match) return undefined;
  const fraction = (match[2] ?? '').slice(0, 3).padEnd(3, '0');
  const ms = Date.parse(`${match[1]}.${fraction}${match[3] ?? 'Z'}`);
  return Number.isNaN(ms) ? undefined : ms;
}

/** RFC 7644 §3.4.2.2 `pr`: a non-empty value, or a complex value with a non-empty node. */
function isPresent(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return false;
  if (Array.isArray(value)) return value.some(isPresent);
  if (isObject(value)) return Object.values(value).some(isPresent);
  return true;
}

function listOf(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

function byName(list: readonly AttributeDefinition[] | undefined, name: string): AttributeDefinition | undefined {
  const lower = name.toLowerCase();
  return list?.find((a) => a.name.toLowerCase() === lower);
}

function subAttribute(attribute: AttributeDefinition | undefined, name: string): AttributeDefinition | undefined {
  return byName(attribute?.subAttributes, name);
}

function isSchemasPath(path: AttrPath): boolean {
  return path.uri === undefined && path.subAttr === undefined && path.attr.toLowerCase() === 'schemas';
}

function locateInResource(resource: JsonObject, path: AttrPath, model: ResourceModel | undefined): Located | undefined {
  if (isSchemasPath(path)) return { value: getKey(resource, 'schemas'), attribute: SCHEMAS_ATTRIBUTE };
  if (model) {
    const resolved = model.resolve(path);
    return resolved && { value: model.read(resource, resolved), attribute: resolved.attribute };
  }
  return locateWithoutModel(resource, path);
}

/**
 * Without a model a URI prefix is looked up as a key: the whole extension (`urn:…:2.0:User`), or the
 * extension holding the attribute, else the resource itself (the core schema's URI).
 */
function locateWithoutModel(resource: JsonObject, path: AttrPath): Located {
  let holder = resource;
  if (path.uri !== undefined) {
    const whole = getKey(resource, `${path.uri}:${path.attr}`);
    if (isObject(whole)) return { value: whole, attribute: undefined };
    const extension = getKey(resource, path.uri);
    if (isObject(extension)) holder = extension;
  }
  const attribute = holder === resource ? byName(COMMON_ATTRIBUTES, path.attr) : undefined;
  return { value: getKey(holder, path.attr), attribute };
}

function locateInElement(element: JsonObject, path: AttrPath, attribute: AttributeDefinition | undefined): Located | undefined {
  // Sub-attributes carry no schema URI: a qualified name inside brackets names nothing in an element.
  if (path.uri !== undefined) return undefined;
  return { value: getKey(element, path.attr), attribute: subAttribute(attribute, path.attr) };
}
