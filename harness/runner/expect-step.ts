import { isObject } from '../../scim/schema/keys.js';
import { RequestFailedError, type ScimClient } from '../http/client.js';
import type { Transcript } from '../http/transcript.js';
import { toMatcher } from '../scenario/matcher-shorthand.js';
import { readPath } from '../steps/json-path.js';
import { evaluateMatcher, showValue } from '../steps/matchers.js';
import { matchPattern } from '../steps/pattern.js';
import type { ExpectStep } from '../types.js';
import type { CheckResult, Exchange, Outcome, StepResult } from '../result.js';

export interface ExpectContext {
  client: ScimClient;
  transcript: Transcript;
  /** The target URL path a directory object was provisioned as (the simulator's `targetOf`). */
  targetOf(name: string): string | undefined;
  /** The scenario's refs; checks cite the first. */
  refs: string[];
  /** What the IdP sent since the previous expect step. */
  sent: Exchange[];
  /** What the IdP reported since the previous expect step. */
  outcomes: Outcome[];
}

type Check = Omit<CheckResult, 'ref'>;

/** `GET /Users?filter=userName eq "ada"`: method and path with the query decoded, relative to the base URL. */
function requestLine(exchange: Exchange, baseUrl: string): string {
  const { url } = exchange.request;
  if (url.startsWith(baseUrl)) return `${exchange.request.method} ${decodeLine(url.slice(baseUrl.length))}`;
  // Another origin, or a URL a redaction changed: show what there is rather than fail.
  const relative = URL.canParse(url) ? new URL(url).pathname + new URL(url).search : url;
  return `${exchange.request.method} ${decodeLine(relative)}`;
}

/** Decodes percent-escapes, and `+` as a space in the query (Entra form-encodes its filter). */
function decodeLine(text: string): string {
  const at = text.indexOf('?');
  const decode = (part: string) => {
    try {
      return decodeURIComponent(part);
    } catch {
      return part;
    }
  };
  if (at < 0) return decode(text);
  return `${decode(text.slice(0, at))}?${decode(text.slice(at + 1).replace(/\+/g, ' '))}`;
}

function matchSent(expected: unknown, exchange: Exchange, baseUrl: string, what: string): Check {
  const line = requestLine(exchange, baseUrl);
  if (typeof expected === 'string') {
    const [method = '', ...rest] = expected.trim().split(' ');
    const wanted = `${method.toUpperCase()} ${decodeLine(rest.join(' '))}`;
    const passed = wanted === line;
    return { what, passed, expected: wanted, actual: line, exchange: exchange.seq, message: passed ? `sent ${line}` : `expected the IdP to send ${wanted}, it sent ${line}` };
  }
  if (!isObject(expected)) return { what, passed: false, expected, message: 'a sent entry must be a request line or a mapping' };
  const problems: string[] = [];
  const [method, path] = [line.slice(0, line.indexOf(' ')), line.slice(line.indexOf(' ') + 1)];
  if (typeof expected.method === 'string' && expected.method.toUpperCase() !== method) problems.push(`expected method ${expected.method.toUpperCase()}, got ${method}`);
  const pathOnly = path.split('?')[0]!;
  if (typeof expected.path === 'string' && decodeLine(expected.path) !== path && decodeLine(expected.path) !== pathOnly) {
    problems.push(`expected path ${expected.path}, got ${path}`);
  } else if (isObject(expected.path)) {
    const outcome = evaluateMatcher(toMatcher(expected.path), { found: true, value: pathOnly }, 'path');
    if (!outcome.passed) problems.push(outcome.message);
  }
  if (isObject(expected.query)) {
    const params = URL.canParse(exchange.request.url) ? new URL(exchange.request.url).searchParams : new URLSearchParams();
    for (const [name, matcher] of Object.entries(expected.query)) {
      const values = params.getAll(name);
      const found = values.length === 0 ? { found: false as const } : { found: true as const, value: values.length === 1 ? values[0] : values };
      const outcome = evaluateMatcher(toMatcher(matcher), found, `query ${name}`);
      if (!outcome.passed) problems.push(outcome.message);
    }
  }
  if (isObject(expected.headers)) {
    for (const [name, matcher] of Object.entries(expected.headers)) {
      const value = exchange.request.headers[name.toLowerCase()];
      const outcome = evaluateMatcher(toMatcher(matcher), value === undefined ? { found: false } : { found: true, value }, `header ${name.toLowerCase()}`);
      if (!outcome.passed) problems.push(outcome.message);
    }
  }
  if (expected.body !== undefined) {
    const body = exchange.request.body?.json;
    const outcome = matchPattern(expected.body, body === undefined ? { found: false } : { found: true, value: body }, 'body');
    if (!outcome.passed) problems.push(outcome.message);
  }
  const passed = problems.length === 0;
  return { what, passed, expected, actual: { line, body: exchange.request.body?.json }, exchange: exchange.seq, message: passed ? `sent ${line}` : problems.join('; ') };
}


function checkSent(expected: unknown[], sent: Exchange[], baseUrl: string): Check[] {
  const checks: Check[] = [];
  if (expected.length !== sent.length) {
    checks.push({
      what: 'sent',
      passed: false,
      expected: expected.length,
      actual: sent.map((e) => requestLine(e, baseUrl)),
      message: `expected the IdP to send ${expected.length} request(s), it sent ${sent.length}: ${showValue(sent.map((e) => requestLine(e, baseUrl)))}`,
    });
  }
  expected.forEach((entry, i) => {
    const exchange = sent[i];
    if (exchange) checks.push(matchSent(entry, exchange, baseUrl, `sent[${i}]`));
  });
  return checks;
}

async function checkTarget(expected: NonNullable<ExpectStep['target']>, index: number, ctx: ExpectContext): Promise<Check[]> {
  const checks: Check[] = [];
  for (const [name, attributes] of Object.entries(expected)) {
    const path = ctx.targetOf(name);
    if (path === undefined) {
      checks.push({ what: `target ${name}`, passed: false, message: `${name} was never provisioned to the target` });
      continue;
    }
    let json: unknown;
    let status: number;
    let seq: number;
    try {
      const response = await ctx.client.send({ method: 'GET', path }, { transcript: ctx.transcript, kind: 'verify', step: index });
      ({ json, status } = response);
      seq = response.exchange.seq;
    } catch (error) {
      if (!(error instanceof RequestFailedError)) throw error;
      checks.push({ what: `target ${name}`, passed: false, message: `reading ${name} back failed: ${error.message}` });
      continue;
    }
    if (status !== 200) {
      checks.push({ what: `target ${name}`, passed: false, actual: status, exchange: seq, message: `reading ${name} back (GET ${path}) answered ${status}` });
      continue;
    }
    for (const [attribute, matcher] of Object.entries(attributes)) {
      const lookup = readPath(json, attribute);
      const outcome = evaluateMatcher(matcher, lookup, `${name}.${attribute}`);
      checks.push({ what: `target ${name}.${attribute}`, ...outcome, expected: matcher, exchange: seq, ...(lookup.found && { actual: lookup.value }) });
    }
  }
  return checks;
}

/** Where an IdP's record says why: kept whole in a message, since they carry the server's answer. */
const REASON_KEYS = ['status', 'message', 'reason', 'errorCode', 'detail'];
/** How much of the IdP's records a message shows, at most. */
const RECORDS_SHOWN_CHARS = 4000;

/**
 * The reported records, each cut down to what the expectation asked about and why it went as it
 * did (whole), so that a mismatch reads as the two side by side, not as pages of log record.
 */
function showRecords(records: readonly Record<string, unknown>[], wanted: unknown): string {
  if (records.length === 0) return 'nothing';
  const keys = new Set([...(isObject(wanted) ? Object.keys(wanted) : []), ...REASON_KEYS]);
  const shown: string[] = [];
  let length = 0;
  for (const record of records) {
    const text = JSON.stringify(Object.fromEntries(Object.entries(record).filter(([key]) => keys.has(key))));
    if (shown.length > 0 && length + text.length > RECORDS_SHOWN_CHARS) break;
    shown.push(text);
    length += text.length;
  }
  const more = records.length - shown.length;
  return `${shown.join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
}

/**
 * Whether a reported record has what an expected one lists: each listed key's value, at any depth,
 * satisfies the matcher given for it (`message: { contains: Conflict }`, `quarantine: { reason:
 * { contains: … } }`), or partially equals the plain value.
 */
function matchesRecord(wanted: unknown, record: Record<string, unknown>, what: string): boolean {
  return matchPattern(wanted, { found: true, value: record }, what).passed;
}

/** Each expected record (a string `x` stands for `{ status: x }`) must match one reported outcome, in order. */
function checkOutcomes(what: string, expected: unknown[], outcomes: Outcome[]): Check[] {
  let from = 0;
  return expected.map((entry, i) => {
    const wanted = typeof entry === 'string' ? { status: entry } : entry;
    const at = outcomes.findIndex((o, j) => j >= from && matchesRecord(wanted, o.record, what));
    if (at < 0) {
      return {
        what: `${what}[${i}]`,
        passed: false,
        expected: wanted,
        actual: outcomes.slice(from).map((o) => o.record),
        message: `expected the IdP to report ${showValue(wanted)}, it reported ${showRecords(outcomes.slice(from).map((o) => o.record), wanted)}`,
      };
    }
    from = at + 1;
    return { what: `${what}[${i}]`, passed: true, expected: wanted, actual: outcomes[at]!.record, message: 'reported as expected' };
  });
}

/** Checks an expect step of an IdP scenario: what the IdP sent, the target's state, and what the IdP reported. */
export async function runExpectStep(step: ExpectStep, index: number, ctx: ExpectContext): Promise<StepResult> {
  const started = performance.now();
  const checks: Check[] = [];
  if (step.sent) checks.push(...checkSent(step.sent, ctx.sent, ctx.client.baseUrl));
  if (step.target) checks.push(...(await checkTarget(step.target, index, ctx)));
  if (step.outcome !== undefined) checks.push(...checkOutcomes('outcome', [step.outcome].flat(), ctx.outcomes));
  const ref = ctx.refs[0];
  return {
    index,
    name: 'expect',
    status: checks.every((c) => c.passed) ? 'passed' : 'failed',
    checks: checks.map((c) => (ref === undefined ? c : { ...c, ref })),
    durationMs: Math.round(performance.now() - started),
  };
}
