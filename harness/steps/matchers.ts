import { findKey, isObject } from '../../scim/schema/keys.js';
import type { Matcher } from '../types.js';
import type { Lookup } from './json-path.js';

export interface MatchOutcome {
  passed: boolean;
  message: string;
}

/** How values appear in messages; the request step swaps it to hide a password. */
export type ShowValue = (value: unknown) => string;

const SHOWN_CHARS = 200;

/** A value as JSON, cut at 200 characters. */
export function showValue(value: unknown): string {
  const text = value === undefined ? 'nothing' : JSON.stringify(value);
  return text.length > SHOWN_CHARS ? `${text.slice(0, SHOWN_CHARS)}…` : text;
}

/** Where inside the checked value a deep match failed, and with what. */
interface Mismatch {
  /** Appended to the subject: `.familyName`, `[1].value`, `["urn:…"].manager`. */
  at: string;
  expected: unknown;
  actual: Lookup;
  /** Set when lists differ in length: the expected length and the actual list. */
  lengths?: { expected: number; actual: unknown[] };
}

/** How a member is appended to a subject: `.familyName`, or `["urn:…"]` for a name that is no identifier. */
export function member(key: string): string {
  return /^[A-Za-z_$][\w$-]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

function sameScalar(expected: unknown, actual: unknown, ignoreCase: boolean): boolean {
  if (ignoreCase && typeof expected === 'string' && typeof actual === 'string') return expected.toLowerCase() === actual.toLowerCase();
  return expected === actual;
}

/**
 * `expected` against `actual`: objects partially (the listed members must match, others may exist;
 * names ignore case as SCIM's do), lists element for element, scalars exactly. Undefined when they match.
 */
function deepMatch(expected: unknown, actual: unknown, ignoreCase: boolean, at = ''): Mismatch | undefined {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return { at, expected, actual: { found: true, value: actual } };
    if (actual.length !== expected.length) {
      return { at, expected, actual: { found: true, value: actual }, lengths: { expected: expected.length, actual } };
    }
    for (let i = 0; i < expected.length; i++) {
      const mismatch = deepMatch(expected[i], actual[i], ignoreCase, `${at}[${i}]`);
      if (mismatch) return mismatch;
    }
    return undefined;
  }
  if (isObject(expected)) {
    if (!isObject(actual)) return { at, expected, actual: { found: true, value: actual } };
    for (const [key, value] of Object.entries(expected)) {
      const found = findKey(actual, key);
      if (found === undefined) return { at: at + member(key), expected: value, actual: { found: false } };
      const mismatch = deepMatch(value, actual[found], ignoreCase, at + member(found));
      if (mismatch) return mismatch;
    }
    return undefined;
  }
  return sameScalar(expected, actual, ignoreCase) ? undefined : { at, expected, actual: { found: true, value: actual } };
}

function typeOf(value: unknown): NonNullable<Matcher['type']> {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value as 'string' | 'boolean' | 'object';
}

function isType(value: unknown, type: NonNullable<Matcher['type']>): boolean {
  const actual = typeOf(value);
  return actual === type || (type === 'number' && actual === 'integer');
}

/** RFC 7643 §2.5: unassigned, null and an empty list are the same state. */
function isAbsent(actual: Lookup): boolean {
  return !actual.found || actual.value === null || (Array.isArray(actual.value) && actual.value.length === 0);
}

function describeType(type: string): string {
  if (type === 'null') return 'null';
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/**
 * Evaluates every key of `matcher` against the value found at `subject` (`userName`, `header
 * location`). The message says what was expected and what was there:
 * `expected userName to equal "ada@example.com", got "Ada@example.com"`.
 */
export function evaluateMatcher(matcher: Matcher, actual: Lookup, subject: string, show: ShowValue = showValue): MatchOutcome {
  const ignoreCase = matcher.ignoreCase === true;
  const caseWords = ignoreCase ? ' ignoring case' : '';
  const got = (lookup: Lookup): string => (lookup.found ? `got ${show(lookup.value)}` : 'but it is absent');
  const failures: string[] = [];
  const fail = (phrase: string, lookup: Lookup = actual, at = ''): void => {
    failures.push(`expected ${subject}${at} to ${phrase}, ${got(lookup)}`);
  };
  const value = actual.found ? actual.value : undefined;

  const wantAbsent = matcher.absent ?? (matcher.present === undefined ? undefined : !matcher.present);
  if (wantAbsent === true && !isAbsent(actual)) fail('be absent');
  if (wantAbsent === false && isAbsent(actual)) fail('be present');

  if (matcher.type !== undefined && (!actual.found || !isType(value, matcher.type))) fail(`be ${describeType(matcher.type)}`);

  if (matcher.equals !== undefined) {
    const mismatch = actual.found ? deepMatch(matcher.equals, value, ignoreCase) : { at: '', expected: matcher.equals, actual };
    if (mismatch?.lengths) {
      const { expected, actual: list } = mismatch.lengths;
      failures.push(`expected ${subject}${mismatch.at} to have ${expected} elements, got ${list.length}: ${show(list)}`);
    } else if (mismatch) {
      fail(`equal ${show(mismatch.expected)}${caseWords}`, mismatch.actual, mismatch.at);
    }
  }

  if (matcher.oneOf !== undefined && !(actual.found && matcher.oneOf.some((option) => !deepMatch(option, value, ignoreCase)))) {
    fail(`be one of ${show(matcher.oneOf)}${caseWords}`);
  }

  if (matcher.contains !== undefined) {
    const expected = matcher.contains;
    const contained =
      typeof value === 'string' && typeof expected === 'string'
        ? ignoreCase
          ? value.toLowerCase().includes(expected.toLowerCase())
          : value.includes(expected)
        : Array.isArray(value) && value.some((element) => !deepMatch(expected, element, ignoreCase));
    if (!actual.found || !contained) fail(`contain ${show(expected)}${caseWords}`);
  }

  if (matcher.containsAll !== undefined) {
    for (const expected of matcher.containsAll) {
      if (!(Array.isArray(value) && value.some((element) => !deepMatch(expected, element, ignoreCase)))) fail(`contain ${show(expected)}${caseWords}`);
    }
  }

  if (matcher.not !== undefined && evaluateMatcher(matcher.not, actual, subject, show).passed) {
    failures.push(`expected ${subject} not to satisfy ${show(matcher.not)}, ${got(actual)}`);
  }

  if (matcher.matches !== undefined) {
    let pattern: RegExp | undefined;
    try {
      pattern = new RegExp(matcher.matches, ignoreCase ? 'i' : '');
    } catch (error) {
      failures.push(`the pattern /${matcher.matches}/ for ${subject} is not a valid regular expression: ${(error as Error).message}`);
    }
    if (pattern && !(typeof value === 'string' && pattern.test(value))) fail(`match /${matcher.matches}/`);
  }

  if (matcher.length !== undefined) {
    const length = typeof value === 'string' || Array.isArray(value) ? value.length : undefined;
    if (length !== matcher.length) {
      if (length === undefined) fail(`have length ${matcher.length}`);
      else failures.push(`expected ${subject} to have length ${matcher.length}, got length ${length}: ${show(value)}`);
    }
  }

  if (failures.length > 0) return { passed: false, message: failures.join('; ') };
  return { passed: true, message: actual.found ? `${subject} is ${show(value)}, as expected` : `${subject} is absent, as expected` };
}
