import type { Matcher } from '../types.js';
import { suggest } from '../../scim/suggest.js';

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

/**
 * The keys of a mapping in a matcher's place that look like misspelt matcher keys (`equal`,
 * `matchs`), each with the key meant: when every other key is a matcher key, the mapping was
 * meant as a matcher, and the shorthand would silently compare with it as a plain value.
 */
export function misspeltMatcherKeys(value: unknown): [key: string, meant: string][] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [];
  const keys = Object.keys(value);
  const misspelt = keys.flatMap((key): [string, string][] => {
    const meant = matcherKeys.has(key) ? undefined : suggest(key, MATCHER_KEYS);
    return meant ? [[key, meant]] : [];
  });
  return misspelt.length > 0 && keys.every((key) => matcherKeys.has(key) || misspelt.some(([k]) => k === key)) ? misspelt : [];
}
