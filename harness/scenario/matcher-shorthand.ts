import type { Matcher } from '../types.js';

/** The keys of a matcher mapping; a mapping with any other key is a plain value to compare with. */
export const MATCHER_KEYS = ['equals', 'contains', 'containsAll', 'matches', 'type', 'absent', 'present', 'length', 'oneOf', 'not', 'ignoreCase'] as const satisfies readonly (keyof Matcher)[];

const matcherKeys: ReadonlySet<string> = new Set(MATCHER_KEYS);

/** True for a non-empty mapping whose keys are all matcher keys. */
export function isMatcherMapping(value: unknown): value is Matcher {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((k) => matcherKeys.has(k));
}

/** A matcher as written, or the shorthand: any other value means `{ equals: value }`; so does a `not`'s value. */
export function toMatcher(value: unknown): Matcher {
  if (!isMatcherMapping(value)) return { equals: value };
  return value.not === undefined ? value : { ...value, not: toMatcher(value.not) };
}
