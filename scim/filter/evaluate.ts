import { ScimError } from '../errors.js';
import { COMMON_ATTRIBUTES, defineAttribute } from '../schema/common.js';
import { getKey, isObject, type JsonObject } from '../schema/keys.js';
import type { ResourceModel } from '../schema/model.js';
import type { AttributeDefinition } from '../schema/types.js';
import { CHARS_PER_STEP, type FilterBudget } from './budget.js';
import { formatAttrPath } from './lex.js';
import type { AttrPath, CompareOperator, Filter } from './types.js';

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
 * With a FilterBudget, evaluation spends a step per value a condition tests and per CHARS_PER_STEP
 * characters of strings compared, and throws 400 tooMany once it is spent.
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
export function matchesFilter(filter: Filter, resource: Record<string, unknown>, model?: ResourceModel, budget?: FilterBudget): boolean {
  return evaluate(filter, (path) => locateInResource(resource, path, model), budget);
}

/**
 * True when one element of a multi-valued complex attribute matches the filter written inside its
 * brackets (`members[value eq "x"]`): names in `filter` are sub-attributes of `attribute`.
 */
export function matchesValueFilter(filter: Filter, element: unknown, attribute?: AttributeDefinition, budget?: FilterBudget): boolean {
  if (!isObject(element)) return false;
  return evaluate(filter, (path) => locateInElement(element, path, attribute), budget);
}

function evaluate(filter: Filter, locate: Locate, budget: FilterBudget | undefined): boolean {
  switch (filter.kind) {
    case 'and':
      return evaluate(filter.left, locate, budget) && evaluate(filter.right, locate, budget);
    case 'or':
      return evaluate(filter.left, locate, budget) || evaluate(filter.right, locate, budget);
    case 'not':
      return !evaluate(filter.filter, locate, budget);
    case 'present': {
      const found = locate(filter.path);
      if (found === undefined) return spent(budget, 1, false);
      const { values } = valuesAt(found, filter.path.subAttr);
      budget?.spend(Math.max(1, values.length));
      return values.some(isPresent);
    }
    case 'compare':
      return compareAt(filter, locate, budget);
    case 'valuePath': {
      const found = locate(filter.path);
      if (found === undefined) return spent(budget, 1, false);
      const { values, attribute } = valuesAt(found, filter.path.subAttr);
      budget?.spend(1);
      return values.some((element) => matchesValueFilter(filter.filter, element, attribute, budget));
    }
  }
}

/** `result`, once `steps` are spent. */
function spent(budget: FilterBudget | undefined, steps: number, result: boolean): boolean {
  budget?.spend(steps);
  return result;
}

type Comparison = Extract<Filter, { kind: 'compare' }>;

function compareAt(condition: Comparison, locate: Locate, budget: FilterBudget | undefined): boolean {
  const { op, path, value: expected } = condition;
  const found = locate(path);
  if (found === undefined) return spent(budget, 1, false);
  const at = valuesAt(found, path.subAttr);
  budget?.spend(Math.max(1, at.values.length));
  if (expected === null) {
    const present = at.values.some(isPresent);
    return op === 'ne' ? present : op === 'eq' && !present;
  }
  const { values, attribute } = comparedValues(at);
  if ((op === 'gt' || op === 'lt' || op === 'ge' || op === 'le') && (attribute?.type === 'boolean' || attribute?.type === 'binary')) {
    throw ScimError.badRequest('invalidFilter', `The "${op}" operator cannot compare the ${attribute.type} attribute "${formatAttrPath(path)}"`);
  }
  if (typeof expected !== 'string') return values.some((actual) => compareValue(actual, op, expected));
  const exact = attribute?.caseExact ?? false;
  const operand = operandOf(condition, expected, exact);
  const dateTime = attribute?.type === 'dateTime' && op !== 'co' && op !== 'sw' && op !== 'ew';
  return values.some((actual) => {
    if (typeof actual !== 'string') return false;
    if (budget !== undefined && actual.length + expected.length >= CHARS_PER_STEP) budget.spend(Math.floor((actual.length + expected.length) / CHARS_PER_STEP));
    if (dateTime && operand.instant !== undefined) {
      const a = lastInstant(actual);
      if (a !== undefined) return compareOrdered(op, a - operand.instant);
    }
    return compareStrings(exact ? actual : lastLowerCase(actual), op, operand.text);
  });
}

/*
 * The last string lower-cased and the last read as an instant: the conditions of one filter test
 * the same values of one resource in turn, so a scan with many conditions converts each once.
 */
let lowered = { text: '', lower: '' };
let read = { text: '', instant: undefined as number | undefined };

function lastLowerCase(text: string): string {
  if (text !== lowered.text) lowered = { text, lower: text.toLowerCase() };
  return lowered.lower;
}

function lastInstant(text: string): number | undefined {
  if (text !== read.text) read = { text, instant: instant(text) };
  return read.instant;
}

/** A comparison's string value as compared: lower-cased unless caseExact, and as an instant. */
interface Operand {
  exact: boolean;
  text: string;
  instant: number | undefined;
}

/** Worked out once per condition, not once per resource: a scan compares the same value thousands of times. */
const OPERANDS = new WeakMap<Comparison, Operand>();

function operandOf(condition: Comparison, expected: string, exact: boolean): Operand {
  const known = OPERANDS.get(condition);
  if (known?.exact === exact) return known;
  const operand = { exact, text: exact ? expected : expected.toLowerCase(), instant: instant(expected) };
  OPERANDS.set(condition, operand);
  return operand;
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

function compareValue(actual: unknown, op: CompareOperator, expected: number | boolean): boolean {
  if (typeof expected === 'number') return typeof actual === 'number' && compareOrdered(op, actual - expected);
  return typeof actual === 'boolean' && (op === 'eq' ? actual === expected : op === 'ne' && actual !== expected);
}

/** Two strings already in the case they are compared in. */
function compareStrings(a: string, op: CompareOperator, b: string): boolean {
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

/** Sub-attribute lookups by name, per attribute definition: a scan asks the same ones for every resource. */
const SUB_ATTRIBUTES = new WeakMap<AttributeDefinition, Map<string, AttributeDefinition | undefined>>();

function subAttribute(attribute: AttributeDefinition | undefined, name: string): AttributeDefinition | undefined {
  if (attribute === undefined) return undefined;
  let byNames = SUB_ATTRIBUTES.get(attribute);
  if (byNames === undefined) SUB_ATTRIBUTES.set(attribute, (byNames = new Map()));
  if (byNames.has(name)) return byNames.get(name);
  const found = byName(attribute.subAttributes, name);
  // Names come from filters, which clients write: only so many are remembered.
  if (byNames.size < 64) byNames.set(name, found);
  return found;
}

/** Paths resolved against a model, per path of a parsed filter: a scan resolves the same ones for every resource. */
const RESOLVED = new WeakMap<AttrPath, { model: ResourceModel; resolved: ReturnType<ResourceModel['resolve']> }>();

function resolveIn(model: ResourceModel, path: AttrPath): ReturnType<ResourceModel['resolve']> {
  const known = RESOLVED.get(path);
  if (known?.model === model) return known.resolved;
  const resolved = model.resolve(path);
  RESOLVED.set(path, { model, resolved });
  return resolved;
}

function isSchemasPath(path: AttrPath): boolean {
  return path.uri === undefined && path.subAttr === undefined && path.attr.toLowerCase() === 'schemas';
}

function locateInResource(resource: JsonObject, path: AttrPath, model: ResourceModel | undefined): Located | undefined {
  if (isSchemasPath(path)) return { value: getKey(resource, 'schemas'), attribute: SCHEMAS_ATTRIBUTE };
  if (model) {
    const resolved = resolveIn(model, path);
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
