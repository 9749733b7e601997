import { isObject } from '../../scim/schema/keys.js';
import { suggest } from '../../scim/suggest.js';
import { compilePathPattern } from './path-pattern.js';
import { MAX_SEED } from './random.js';
import { parseTime, TIME_FORMS } from './time.js';
import { MAX_BODY_BYTES, MAX_DELAY_MS, MAX_RULES, type FaultAct, type FaultMatch, type FaultRule, type FaultSet, type QueryTest } from './types.js';

/** Where in a fault set a value is: `['rules', 2, 'act', 'status']`. */
export type FaultPath = readonly (string | number)[];

/** A mistake in a fault set; the message starts with where it is (`rules[2].act.status: …`). */
export class FaultSetError extends Error {
  constructor(
    readonly path: FaultPath,
    readonly problem: string,
  ) {
    super(path.length === 0 ? problem : `${formatPath(path)}: ${problem}`);
    this.name = 'FaultSetError';
  }
}

/** `rules[2].match.query.filter`. */
export function formatPath(path: FaultPath): string {
  return path.map((part, i) => (typeof part === 'number' ? `[${part}]` : i === 0 ? part : `.${part}`)).join('');
}

const fail = (path: FaultPath, problem: string): never => {
  throw new FaultSetError(path, problem);
};

const show = (value: unknown): string => {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
};

/** `value` as an object holding only `keys`; an unknown key is named with the keys allowed. */
function object(value: unknown, path: FaultPath, keys: readonly string[], what: string): Record<string, unknown> {
  if (!isObject(value)) return fail(path, `must be ${what}, got ${show(value)}`);
  for (const key of Object.keys(value)) {
    if (keys.includes(key)) continue;
    const hint = suggest(key, keys);
    fail([...path, key], `unknown key: the keys here are ${keys.join(', ')}` + (hint ? `: did you mean '${hint}'?` : ''));
  }
  return value;
}

function wholeNumber(value: unknown, path: FaultPath, min: number, max: number, unit = ''): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    return fail(path, `must be a whole number from ${min} to ${max}${unit}, got ${show(value)}`);
  }
  return value;
}

function text(value: unknown, path: FaultPath, max: number): string {
  if (typeof value !== 'string' || value === '') return fail(path, `must be a non-empty string, got ${show(value)}`);
  if (value.length > max) fail(path, `must be at most ${max} characters long`);
  return value;
}

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

function methods(value: unknown, path: FaultPath): string[] {
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0) fail(path, `must name at least one method: ${METHODS.join(', ')}`);
  return list.map((method, i) => {
    const at = Array.isArray(value) ? [...path, i] : path;
    if (typeof method !== 'string' || !METHODS.includes(method)) return fail(at, `must be one of ${METHODS.join(', ')} (in capitals), got ${show(method)}`);
    return method;
  });
}

function queryTests(value: unknown, path: FaultPath): Record<string, QueryTest> {
  if (!isObject(value)) return fail(path, `must map parameter names to tests, such as { filter: { contains: userName } }, got ${show(value)}`);
  const tests: Record<string, QueryTest> = {};
  for (const [name, test] of Object.entries(value)) {
    const at = [...path, name];
    if (typeof test === 'string' || typeof test === 'boolean') {
      tests[name] = test;
    } else if (isObject(test)) {
      const { contains } = object(test, at, ['contains'], '');
      if (typeof contains !== 'string') fail([...at, 'contains'], `must be a string, the part of the value to find, got ${show(contains)}`);
      tests[name] = { contains: contains as string };
    } else {
      fail(at, `must be the exact value (a string), { contains: "part" }, true (present) or false (absent), got ${show(test)}`);
    }
  }
  return tests;
}

function time(value: unknown, path: FaultPath): string {
  if (typeof value !== 'string' || parseTime(value) === undefined) return fail(path, `must be ${TIME_FORMS}, got ${show(value)}`);
  return value;
}

const MATCH_KEYS = ['method', 'path', 'query', 'nth', 'every', 'times', 'probability', 'from', 'until'];

function checkMatch(value: unknown, path: FaultPath): FaultMatch {
  const given = object(value, path, MATCH_KEYS, 'an object of conditions (method, path, query, nth, every, times, probability, from, until)');
  const match: FaultMatch = {};
  if (given.method !== undefined) match.method = methods(given.method, [...path, 'method']);
  if (given.path !== undefined) {
    const pattern = text(given.path, [...path, 'path'], 1000);
    const compiled = compilePathPattern(pattern);
    if ('problem' in compiled) fail([...path, 'path'], compiled.problem);
    match.path = pattern;
  }
  if (given.query !== undefined) match.query = queryTests(given.query, [...path, 'query']);
  for (const key of ['nth', 'every', 'times'] as const) {
    if (given[key] !== undefined) match[key] = wholeNumber(given[key], [...path, key], 1, Number.MAX_SAFE_INTEGER);
  }
  if (match.nth !== undefined && match.every !== undefined) fail([...path, 'every'], 'give nth (one request) or every (each n-th), not both');
  if (given.probability !== undefined) {
    const p = given.probability;
    if (typeof p !== 'number' || !(p >= 0 && p <= 1)) fail([...path, 'probability'], `must be a number from 0 to 1, got ${show(p)}`);
    match.probability = p as number;
  }
  if (given.from !== undefined) match.from = time(given.from, [...path, 'from']);
  if (given.until !== undefined) match.until = time(given.until, [...path, 'until']);
  if (match.from !== undefined && match.until !== undefined) {
    const [from, until] = [parseTime(match.from)!, parseTime(match.until)!];
    const sameKind = 'at' in from === 'at' in until;
    if (sameKind && ('at' in from ? from.at >= (until as { at: number }).at : from.offsetMs >= (until as { offsetMs: number }).offsetMs)) {
      fail([...path, 'until'], 'must come after from: the window would be empty');
    }
  }
  return match;
}

/** RFC 9110 §5.1's token, a header name. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** What Node refuses in a header value (CR, LF and other controls but tab). */
const BAD_HEADER_VALUE = /[^\t\x20-\x7e\x80-\xff]/;
/** Headers the server writes itself, or that would make the answer unreadable. */
const OWN_HEADERS: Record<string, string> = {
  'content-length': 'the server sets it from the body',
  'transfer-encoding': 'the server sets it',
  connection: 'the server manages the connection; use reset or hang for a broken one',
  'content-type': 'use contentType',
  'x-scimulator-fault': 'the server sets it to the rule name and what it injects',
};

function headers(value: unknown, path: FaultPath, retryAfter: boolean): Record<string, string> {
  if (!isObject(value)) return fail(path, `must map header names to values, such as { X-RateLimit-Remaining: 0 }, got ${show(value)}`);
  const entries = Object.entries(value);
  if (entries.length > 50) fail(path, 'must hold at most 50 headers');
  const checked: Record<string, string> = {};
  for (const [name, raw] of entries) {
    const at = [...path, name];
    if (!TOKEN.test(name)) fail(at, 'is not a valid header name (letters, digits and !#$%&\'*+-.^_`|~)');
    const why = OWN_HEADERS[name.toLowerCase()] ?? (retryAfter && name.toLowerCase() === 'retry-after' ? 'retryAfter gives it already' : undefined);
    if (why !== undefined) fail(at, `cannot be set here: ${why}`);
    if (typeof raw !== 'string' && !(typeof raw === 'number' && Number.isFinite(raw))) fail(at, `must be a string or a number, got ${show(raw)}`);
    const text = String(raw);
    if (BAD_HEADER_VALUE.test(text) || text.length > 8192) fail(at, 'must be at most 8192 characters, without line breaks or other control characters');
    checked[name] = text;
  }
  return checked;
}

/** A media type such as text/html or application/json; charset=utf-8. */
const MEDIA_TYPE = /^[\w.+-]+\/[\w.+-]+(\s*;\s*[\w.+-]+=("[^"\r\n]*"|[\w.+-]+))*$/;

function body(value: unknown, path: FaultPath): unknown {
  let size: number;
  try {
    size = Buffer.byteLength(typeof value === 'string' ? value : (JSON.stringify(value) ?? ''));
  } catch {
    return fail(path, 'must be a JSON value (a cycle or a value JSON cannot hold was given)');
  }
  if (size > MAX_BODY_BYTES) fail(path, `must be at most ${MAX_BODY_BYTES} bytes (64 KiB), got ${size}`);
  if (value === undefined || typeof value === 'function' || typeof value === 'symbol' || typeof value === 'bigint') fail(path, 'must be a JSON value or a string');
  return value;
}

const ACT_KEYS = ['status', 'headers', 'body', 'contentType', 'html', 'retryAfter', 'delay', 'reset', 'truncate', 'hang'];
/** What an act does besides waiting: one at the most. */
const KINDS = ['status', 'reset', 'truncate', 'hang'] as const;
/** Keys that shape a `status` answer. */
const ANSWER_KEYS = ['headers', 'body', 'contentType', 'html', 'retryAfter'] as const;

function checkAct(value: unknown, path: FaultPath): FaultAct {
  const given = object(value, path, ACT_KEYS, 'an object saying what to do (status, delay, reset, truncate or hang)');
  const kinds = KINDS.filter((kind) => given[kind] !== undefined);
  if (kinds.length > 1) fail([...path, kinds[1]!], `give one of ${KINDS.join(', ')} in a rule, not ${kinds.join(' and ')}`);
  const stray = given.status === undefined ? ANSWER_KEYS.find((key) => given[key] !== undefined) : undefined;
  if (stray !== undefined) fail([...path, stray], 'shapes the answer of a status: give status too');
  if (kinds.length === 0 && given.delay === undefined) fail(path, `must do something: give status, delay, reset, truncate or hang`);
  const act: FaultAct = {};
  if (given.delay !== undefined) {
    if (given.hang !== undefined) fail([...path, 'delay'], 'a hang has no answer to delay: remove delay');
    act.delay = wholeNumber(given.delay, [...path, 'delay'], 0, MAX_DELAY_MS, ' (milliseconds; 10 minutes at most)');
  }
  if (given.status !== undefined) Object.assign(act, checkAnswer(given, path));
  if (given.reset !== undefined) {
    if (given.reset !== 'before-headers' && given.reset !== 'mid-body') fail([...path, 'reset'], `must be before-headers or mid-body, got ${show(given.reset)}`);
    act.reset = given.reset as FaultAct['reset'];
  }
  if (given.truncate !== undefined) {
    act.truncate = given.truncate === true ? true : wholeNumber(given.truncate, [...path, 'truncate'], 0, Number.MAX_SAFE_INTEGER, ' (bytes of the body kept), or true (half)');
  }
  if (given.hang !== undefined) {
    if (given.hang !== true) fail([...path, 'hang'], `must be true (no answer until the client gives up), got ${show(given.hang)}`);
    act.hang = true;
  }
  return act;
}

/** `status` and the keys that shape its answer. */
function checkAnswer(given: Record<string, unknown>, path: FaultPath): FaultAct {
  const status = wholeNumber(given.status, [...path, 'status'], 200, 599);
  const act: FaultAct = { status };
  if (given.retryAfter !== undefined) {
    const at = [...path, 'retryAfter'];
    const value = given.retryAfter;
    if (isObject(value)) act.retryAfter = { date: time(object(value, at, ['date'], '').date, [...at, 'date']) };
    else if (typeof value === 'number') act.retryAfter = wholeNumber(value, at, 0, 1e9, ' (seconds)');
    else fail(at, `must be seconds (30) or { date: "+30s" } for an HTTP-date, got ${show(value)}`);
  }
  if (given.headers !== undefined) act.headers = headers(given.headers, [...path, 'headers'], act.retryAfter !== undefined);
  if (given.html !== undefined) {
    if (typeof given.html !== 'boolean') fail([...path, 'html'], `must be true or false, got ${show(given.html)}`);
    if (given.html) act.html = true;
  }
  if (given.contentType !== undefined) {
    const type = given.contentType;
    if (typeof type !== 'string' || !MEDIA_TYPE.test(type)) fail([...path, 'contentType'], `must be a media type such as text/html or application/json, got ${show(type)}`);
    if (act.html) fail([...path, 'contentType'], 'html: true sends text/html: give html or contentType, not both');
    act.contentType = type as string;
  }
  if (given.body !== undefined) {
    if (status === 204 || status === 304) fail([...path, 'body'], `a ${status} answer has no body: remove body`);
    act.body = body(given.body, [...path, 'body']);
    if (act.html && typeof act.body !== 'string') fail([...path, 'body'], 'with html: true, body must be the page, a string');
  }
  return act;
}

function checkRule(value: unknown, path: FaultPath): FaultRule {
  const given = object(value, path, ['name', 'match', 'act'], 'a rule, an object with match and act');
  const rule: Partial<FaultRule> = {};
  if (given.name !== undefined) {
    const name = text(given.name, [...path, 'name'], 100);
    // It is sent in a header and written in logs: printable ASCII only.
    if (!/^[\x20-\x7e]+$/.test(name)) fail([...path, 'name'], 'must be printable ASCII (it is sent in the x-scimulator-fault header)');
    rule.name = name;
  }
  if (given.match !== undefined) rule.match = checkMatch(given.match, [...path, 'match']);
  if (given.act === undefined) fail(path, 'needs act: what to do (status, delay, reset, truncate or hang)');
  return { ...rule, act: checkAct(given.act, [...path, 'act']) };
}

/** The rules of `value` checked, in the form the engine reads (a method as a list, header values as strings). */
export function checkRules(value: unknown, path: FaultPath = ['rules']): FaultRule[] {
  if (!Array.isArray(value)) return fail(path, `must be a list of rules, got ${show(value)}`);
  if (value.length > MAX_RULES) fail(path, `must hold at most ${MAX_RULES} rules, got ${value.length}`);
  return value.map((rule, i) => checkRule(rule, [...path, i]));
}

/** A fault set checked: `{ seed?, rules }`; `$schema` (for editors) is allowed and dropped. */
export function checkFaultSet(value: unknown): FaultSet {
  const given = object(value, [], ['$schema', 'seed', 'rules'], 'a fault set, an object with rules (and seed)');
  if (given.rules === undefined) fail([], 'needs rules: a list of { match, act } (docs/faults.md)');
  const set: FaultSet = { rules: checkRules(given.rules) };
  if (given.seed !== undefined) set.seed = wholeNumber(given.seed, ['seed'], 0, MAX_SEED);
  return set;
}
