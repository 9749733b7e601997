import { STRICT, StrictRefusal, type Compat } from './compat.js';
import { ScimError } from './errors.js';
import { definitionNamed } from './schema/attributes.js';
import { assignKey, isObject, type JsonObject } from './schema/keys.js';
import type { AttributeDefinition } from './schema/types.js';

/**
 * The most values one multi-valued attribute may hold. Generous (groups of 100,000 members exist),
 * but it turns a hostile million-element array into a 400 instead of minutes of work.
 */
export const MAX_VALUES = 100_000;

export interface CoerceContext {
  compat: Compat;
  /** Drop readOnly sub-attributes unchecked (RFC 7644 §3.3, §3.5.1: client values "SHALL be ignored"). */
  dropReadOnly: boolean;
}

/** Names the JSON type of a value for error messages. */
export function describeJson(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'decimal';
  return typeof value;
}

function invalid(path: string, expected: string, value: unknown, got = describeJson(value)): ScimError {
  return ScimError.badRequest('invalidValue', `Attribute '${path}' must be ${expected}, got ${got}`);
}

/** A client's string cut short for an error message: hostile values and keys can be megabytes long. */
export function brief(text: string, max = 100): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

function quote(text: string): string {
  return JSON.stringify(brief(text, 40));
}

const DATE_TIME = /^(-?\d{4,})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-](\d{2}):(\d{2}))?$/;

/** xsd:dateTime (RFC 7643 §2.3.5): date and time required, fractional seconds and zone optional. */
export function isXsdDateTime(text: string): boolean {
  const m = DATE_TIME.exec(text);
  if (!m) return false;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  if (days === undefined || day < 1 || day > days) return false;
  if (minute > 59 || second > 59) return false;
  // xsd allows 24:00:00 as the end of a day.
  if (hour > 24 || (hour === 24 && (minute > 0 || second > 0 || Number(m[7] ?? 0) > 0))) return false;
  return m[9] === undefined || (Number(m[9]) <= 14 && Number(m[10]) <= 59);
}

/** Base64 of RFC 4648 §4 as a regular expression source, shared with the JSON Schemas. */
export const BASE64_PATTERN = '^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$';
const BASE64 = new RegExp(BASE64_PATTERN);

/** Base64 of RFC 4648 §4, padded, without line breaks (RFC 7643 §2.3.6). */
export function isBase64(text: string): boolean {
  return BASE64.test(text);
}

function coerceBoolean(value: unknown, path: string, compat: Compat): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && compat.stringBooleans) {
    const lower = value.toLowerCase();
    if (lower === 'true' || lower === 'false') return lower === 'true';
  }
  throw invalid(path, 'a boolean', value);
}

function coerceScalar(value: unknown, attribute: AttributeDefinition, path: string, compat: Compat): unknown {
  switch (attribute.type) {
    case 'boolean':
      return coerceBoolean(value, path, compat);
    case 'decimal':
      if (typeof value === 'number' && Number.isFinite(value)) return value;
      throw invalid(path, 'a decimal number', value);
    case 'integer':
      if (Number.isInteger(value)) return value;
      throw invalid(path, 'an integer', value);
    case 'dateTime':
      if (typeof value === 'string' && isXsdDateTime(value)) return value;
      throw invalid(path, 'an xsd:dateTime such as "2008-01-23T04:56:22Z"', value, typeof value === 'string' ? quote(value) : undefined);
    case 'binary':
      if (typeof value === 'string' && isBase64(value)) return value;
      throw invalid(path, 'base64-encoded binary', value, typeof value === 'string' ? 'a string that is not base64' : undefined);
    case 'string':
    case 'reference':
      if (typeof value === 'string') return value;
      throw invalid(path, 'a string', value);
    case 'complex':
      throw new Error('complex values are not scalars');
  }
}

/** A member no schema defines, in a body or a value object: a syntax error, as the message does not fit the schemas. */
export function unknownAttribute(path: string): StrictRefusal {
  return new StrictRefusal('invalidSyntax', `Attribute '${path}' is not defined by the resource's schemas`, 'drops unknown attributes', 'ignoreUnknownAttributes');
}

/**
 * Reads the members of `obj` against `definitions`, case-insensitively, into a new object keyed by
 * the canonical names and ordered as the definitions are. `other` claims keys that are not
 * attributes (`schemas`, extension URNs) before they count as unknown.
 */
export function coerceMembers(
  obj: JsonObject,
  definitions: readonly AttributeDefinition[],
  pathOf: (name: string) => string,
  ctx: CoerceContext,
  other?: (key: string) => boolean,
): JsonObject {
  const given = new Map<AttributeDefinition, { key: string; value: unknown }>();
  for (const key of Object.keys(obj)) {
    if (other?.(key)) continue;
    const definition = definitionNamed(definitions, key);
    if (!definition) {
      if (ctx.compat.ignoreUnknownAttributes) continue;
      throw unknownAttribute(pathOf(brief(key)));
    }
    const twice = given.get(definition);
    if (twice) {
      throw ScimError.badRequest('invalidSyntax', `Attribute '${pathOf(definition.name)}' is given twice, as '${twice.key}' and '${brief(key)}'`);
    }
    given.set(definition, { key, value: obj[key] });
  }
  const out: JsonObject = {};
  for (const definition of definitions) {
    const entry = given.get(definition);
    if (!entry || (ctx.dropReadOnly && definition.mutability === 'readOnly')) continue;
    const value = coerceValue(entry.value, definition, pathOf(definition.name), ctx);
    if (value !== undefined) assignKey(out, definition.name, value);
  }
  return out;
}

function coerceComplex(value: unknown, attribute: AttributeDefinition, path: string, ctx: CoerceContext): JsonObject | undefined {
  const subAttributes = attribute.subAttributes ?? [];
  if (typeof value === 'string' && ctx.compat.complexFromScalar && subAttributes.some((s) => s.name === 'value')) {
    value = { value };
  }
  if (!isObject(value)) throw invalid(path, 'a complex value (a JSON object)', value);
  const out = coerceMembers(value, subAttributes, (name) => `${path}.${name}`, ctx);
  return Object.keys(out).length > 0 ? out : undefined;
}

function coerceOne(value: unknown, attribute: AttributeDefinition, path: string, ctx: CoerceContext): unknown {
  if (value === null) return undefined;
  if (attribute.type === 'complex') return coerceComplex(value, attribute, path, ctx);
  return coerceScalar(value, attribute, path, ctx.compat);
}

function checkOnePrimary(values: unknown[], attribute: AttributeDefinition, path: string): void {
  if (!attribute.subAttributes?.some((s) => s.name === 'primary')) return;
  let primaries = 0;
  for (const value of values) {
    if (isObject(value) && value.primary === true) primaries++;
  }
  if (primaries > 1) {
    throw ScimError.badRequest(
      'invalidValue',
      `Attribute '${path}' has ${primaries} values with "primary": true; at most one is allowed (RFC 7643 §2.4)`,
    );
  }
}

/** `coerceAttributeValue` with the readOnly policy of the caller. */
export function coerceValue(value: unknown, attribute: AttributeDefinition, path: string, ctx: CoerceContext): unknown {
  if (value === null) return undefined;
  if (!attribute.multiValued) {
    if (Array.isArray(value)) throw invalid(path, `a single ${attribute.type} value (the attribute is not multi-valued)`, value);
    return coerceOne(value, attribute, path, ctx);
  }
  if (!Array.isArray(value)) throw invalid(path, 'an array (the attribute is multi-valued)', value);
  if (value.length > MAX_VALUES) {
    throw ScimError.badRequest('invalidValue', `Attribute '${path}' has ${value.length} values; at most ${MAX_VALUES} are accepted`);
  }
  const out: unknown[] = [];
  for (let i = 0; i < value.length; i++) {
    const element = coerceOne(value[i], attribute, `${path}[${i}]`, ctx);
    if (element !== undefined) out.push(element);
  }
  if (attribute.type === 'complex') checkOnePrimary(out, attribute, path);
  // RFC 7643 §2.5: an empty array is the same state as no value.
  return out.length > 0 ? out : undefined;
}

/**
 * Checks one attribute value against its definition (RFC 7643 §2.3 data types, §2.4 multi-valued
 * attributes) and returns a cleaned copy: sub-attribute names in their canonical spelling, `null`
 * and empty values removed (undefined when nothing is left), `"True"`/`"False"` read as booleans
 * with `compat.stringBooleans`. Unknown sub-attributes are rejected with invalidSyntax, or dropped
 * with `compat.ignoreUnknownAttributes`. `path` names the attribute in error messages. Mutability
 * and required sub-attributes are left to `validateResource`, which knows the operation.
 */
export function coerceAttributeValue(
  value: unknown,
  attribute: AttributeDefinition,
  path: string,
  compat: Compat = STRICT,
): unknown {
  return coerceValue(value, attribute, path, { compat, dropReadOnly: false });
}
