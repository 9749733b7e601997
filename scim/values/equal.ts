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

/**
 * Values of one multi-valued attribute, indexed so that "does it hold the same value as `v`"
 * (`sameElement`) costs a hash lookup instead of a scan: adding 10,000 members to a group of
 * 100,000 is then linear, not 10^9 comparisons. Values are bucketed by their normalized `value`
 * (or themselves, for simple attributes); only values in one bucket are compared with `sameElement`.
 */
export class ElementIndex {
  private readonly buckets = new Map<string, unknown[]>();
  private readonly valueDef: AttributeDefinition | undefined;

  constructor(
    private readonly attribute: AttributeDefinition,
    values: Iterable<unknown> = [],
  ) {
    this.valueDef = attribute.type === 'complex' ? attribute.subAttributes?.find((s) => s.name === 'value') : undefined;
    for (const value of values) this.add(value);
  }

  has(value: unknown): boolean {
    const bucket = this.buckets.get(this.keyOf(value));
    return bucket !== undefined && bucket.some((element) => sameElement(element, value, this.attribute));
  }

  add(value: unknown): void {
    const key = this.keyOf(value);
    const bucket = this.buckets.get(key);
    if (bucket) bucket.push(value);
    else this.buckets.set(key, [value]);
  }

  /** Forgets one occurrence of `value` (the very object added, unchanged since). */
  delete(value: unknown): void {
    const key = this.keyOf(value);
    const bucket = this.buckets.get(key);
    const at = bucket ? bucket.indexOf(value) : -1;
    if (at < 0) return;
    bucket!.splice(at, 1);
    if (bucket!.length === 0) this.buckets.delete(key);
  }

  /**
   * The complex values that may have `value` equal to `text` as a filter compares it (caseExact
   * honoured): a superset, to narrow with the filter itself. Values whose `value` is not a plain
   * string (an array, say) are always included.
   */
  candidates(text: string): unknown[] {
    const exact = this.buckets.get(this.keyOf({ value: text })) ?? [];
    const other = this.buckets.get('*') ?? [];
    return other.length === 0 ? [...exact] : [...exact, ...other];
  }

  /** Equal keys whenever `sameElement` holds; '*' is the bucket of values compared only one by one. */
  private keyOf(value: unknown): string {
    let scalar = value;
    let caseExact = this.attribute.caseExact;
    if (this.attribute.type === 'complex') {
      if (!this.valueDef || !isObject(value)) return '*';
      scalar = getKey(value, 'value');
      caseExact = this.valueDef.caseExact;
    }
    if (typeof scalar === 'string') return `s:${caseExact ? scalar : scalar.toLowerCase()}`;
    if (typeof scalar === 'number' || typeof scalar === 'boolean') return `${typeof scalar}:${String(scalar)}`;
    return '*';
  }
}
