/*
 * SCIM attribute names are case-insensitive (RFC 7643 §2.1), but JSON keys are not: these helpers
 * find and set keys the SCIM way. Writes go through defineProperty so that a key named `__proto__`
 * stays an ordinary data property and never reaches an object's prototype.
 */

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The key of `obj` that equals `name` ignoring case, or undefined. */
export function findKey(obj: JsonObject, name: string): string | undefined {
  if (Object.prototype.hasOwnProperty.call(obj, name)) return name;
  const lower = name.toLowerCase();
  for (const key of Object.keys(obj)) {
    if (key.toLowerCase() === lower) return key;
  }
  return undefined;
}

/** The value at `name` ignoring case, or undefined. */
export function getKey(obj: JsonObject, name: string): unknown {
  const key = findKey(obj, name);
  return key === undefined ? undefined : obj[key];
}

/** Sets `name` on `obj`, replacing a key that differs only by case. Mutates `obj`. */
export function setKey(obj: JsonObject, name: string, value: unknown): void {
  const existing = findKey(obj, name);
  if (existing !== undefined && existing !== name) delete obj[existing];
  assignKey(obj, name, value);
}

/**
 * Sets `name` on `obj` when no other spelling of it can be there (an object being built from
 * canonical names): `setKey` without the search. Mutates `obj`.
 */
export function assignKey(obj: JsonObject, name: string, value: unknown): void {
  // Plain assignment is several times faster than defineProperty; only `__proto__` needs the latter
  // to stay an own data property (JSON data has no setters or read-only properties).
  if (name === '__proto__') Object.defineProperty(obj, name, { value, enumerable: true, writable: true, configurable: true });
  else obj[name] = value;
}

/** Removes `name` from `obj`, ignoring case. Mutates `obj`. */
export function deleteKey(obj: JsonObject, name: string): void {
  const key = findKey(obj, name);
  if (key !== undefined) delete obj[key];
}

/**
 * A deep copy of plain JSON data. Hand-written: about 7× faster than `structuredClone` on a typical
 * User, and the store copies every resource on the way in and out. A `__proto__` key stays an own
 * data property, as JSON.parse made it.
 */
export function cloneJson<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) out[i] = cloneJson(value[i]);
    return out as T;
  }
  const source = value as JsonObject;
  const out: JsonObject = {};
  for (const key of Object.keys(source)) {
    const child = cloneJson(source[key]);
    if (key === '__proto__') Object.defineProperty(out, key, { value: child, enumerable: true, writable: true, configurable: true });
    else out[key] = child;
  }
  return out as T;
}
