import { findKey, isObject } from '../../scim/schema/keys.js';
import { isMatcherMapping, toMatcher } from '../scenario/matcher-shorthand.js';
import type { Lookup } from './json-path.js';
import { evaluateMatcher, member, showValue, type MatchOutcome, type ShowValue } from './matchers.js';

/**
 * A pattern (an expected sent body, an expected outcome record) against a value. At any depth, a
 * mapping whose keys are all matcher keys is a matcher for the value at that place (`{ contains: x }`,
 * `{ absent: true }`); any other mapping matches partially (its members must match, others may
 * exist, names ignore case); a list matches element for element and must have as many; a scalar
 * must be equal. Without matchers inside, this is `{ equals: pattern }`.
 */
export function matchPattern(pattern: unknown, actual: Lookup, subject: string, show: ShowValue = showValue): MatchOutcome {
  const failures: string[] = [];
  walk(pattern, actual, subject, show, failures);
  if (failures.length > 0) return { passed: false, message: failures.join('; ') };
  return { passed: true, message: `${subject} matches` };
}

function walk(pattern: unknown, actual: Lookup, subject: string, show: ShowValue, failures: string[]): void {
  const check = (matcher: unknown) => {
    const outcome = evaluateMatcher(toMatcher(matcher), actual, subject, show);
    if (!outcome.passed) failures.push(outcome.message);
  };
  const value = actual.found ? actual.value : undefined;
  if (isMatcherMapping(pattern)) return check(pattern);
  if (Array.isArray(pattern)) {
    // Not a list, or one of another length: the whole list is the difference to show.
    if (!Array.isArray(value) || value.length !== pattern.length) return check({ equals: pattern });
    pattern.forEach((element, i) => walk(element, { found: true, value: value[i] }, `${subject}[${i}]`, show, failures));
    return;
  }
  if (isObject(pattern)) {
    if (!isObject(value)) return check({ equals: pattern });
    for (const [key, expected] of Object.entries(pattern)) {
      const found = findKey(value, key);
      walk(expected, found === undefined ? { found: false } : { found: true, value: value[found] }, subject + member(found ?? key), show, failures);
    }
    return;
  }
  check({ equals: pattern });
}
