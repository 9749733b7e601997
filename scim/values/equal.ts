import { getKey, isObject } from '../schema/keys.js';
import type { AttributeDefinition } from '../schema/types.js';

/** Structural equality of JSON values; object key order does not matter. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((item, i) => jsonEqual(item, b[i]));
  }
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    return keys.every((key) => Object.prototype.hasOwnProperty.call(b, key) && jsonEqual(a[key], b[key]));
  }
  return false;
}

function sameScalar(a: unknown, b: unknown, caseExact: boolean): boolean {
  if (typeof a === 'string' && typeof b === 'string' && !caseExact) return a.toLowerCase() === b.toLowerCase();
  return jsonEqual(a, b);
}

/**
 * Whether two values of a multi-valued attribute are "the same value" (RFC 7644 §3.5.2.1: adding a
 * value the attribute already contains changes nothing). Complex values with a `value`
 * sub-attribute are the same when `value` (and `type`, where both have one) are equal, so that a
 * member added twice with a different `display` is still one member.
 */
export function sameElement(a: unknown, b: unknown, attribute: AttributeDefinition): boolean {
  if (attribute.type !== 'complex') return sameScalar(a, b, attribute.caseExact);
  if (!isObject(a) || !isObject(b)) return jsonEqual(a, b);
  const valueDef = attribute.subAttributes?.find((s) => s.name === 'value');
  if (!valueDef) return jsonEqual(a, b);
  const valueA = getKey(a, 'value');
  const valueB = getKey(b, 'value');
  if (valueA === undefined || valueB === undefined) return jsonEqual(a, b);
  if (!sameScalar(valueA, valueB, valueDef.caseExact)) return false;
  const typeA = getKey(a, 'type');
  const typeB = getKey(b, 'type');
  return typeA === undefined || typeB === undefined || sameScalar(typeA, typeB, false);
}
