/**
 * A deep copy of plain JSON data. Hand-written because it is about 7× faster than
 * `structuredClone` on a typical User (≈0.9 µs against 6 µs on Node 20), and the store copies every
 * resource on the way in and out. A `__proto__` key stays an own data property, as JSON.parse made it.
 */
export function copyJson<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) out[i] = copyJson(value[i]);
    return out as T;
  }
  const source = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(source)) {
    const child = copyJson(source[key]);
    if (key === '__proto__') Object.defineProperty(out, key, { value: child, enumerable: true, writable: true, configurable: true });
    else out[key] = child;
  }
  return out as T;
}
