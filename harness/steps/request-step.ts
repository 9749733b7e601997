import { getKey, isObject } from '../../scim/schema/keys.js';
import { RequestFailedError, type ClientResponse, type ScimClient } from '../http/client.js';
import { isPasswordName, REDACTED } from '../http/redact.js';
import type { Transcript } from '../http/transcript.js';
import type { RequestSpec, RequestStep, ResponseExpectation } from '../types.js';
import type { Cause, CheckResult, ServerAnswer, Status, StepResult } from '../result.js';
import { BodyPathError, lastName, parseBodyPath, readPath, type Lookup } from './json-path.js';
import { evaluateMatcher, showValue, type ShowValue } from './matchers.js';
import { allowedRefusal, type FilterProbe } from './refusal.js';
import { checkSchema } from './schema-check.js';
import { fillTemplates, TemplateError, type Vars } from './template.js';

export interface StepContext {
  client: ScimClient;
  transcript: Transcript;
  vars: Vars;
  /** The scenario's refs; a check cites `step.ref ?? refs[0]`. */
  refs: string[];
  /** Asks the target which filter operator it refuses, when a step's filter is refused. */
  probe: FilterProbe;
}

type Check = Omit<CheckResult, 'ref' | 'exchange'>;

/** Why a body cannot be read as JSON, for the checks that needed it. */
function notJson(response: ClientResponse): string {
  if (response.text.trim() === '') return 'the response has no body';
  return `the body is not JSON (${response.headers['content-type'] ?? 'no content type'}): ${showValue(response.text)}`;
}

/** What an unexpected status came with: the SCIM error's detail, or the start of a body that is not JSON. */
function statusContext(response: ClientResponse): string {
  if (isObject(response.json)) {
    const detail = getKey(response.json, 'detail');
    return typeof detail === 'string' ? ` (detail: ${JSON.stringify(detail)})` : '';
  }
  if (response.text.trim() === '') return '';
  return ` with a ${response.headers['content-type'] ?? 'untyped'} body: ${showValue(response.text)}`;
}

function checkStatus(expected: number | number[], response: ClientResponse): Check {
  const wanted = Array.isArray(expected) ? expected : [expected];
  const passed = wanted.includes(response.status);
  const message = passed
    ? `status ${response.status}, as expected`
    : `expected status ${wanted.join(' or ')}, got ${response.status}${statusContext(response)}`;
  return { what: 'status', passed, expected, actual: response.status, message };
}

function checkHeaders(expected: NonNullable<ResponseExpectation['headers']>, response: ClientResponse): Check[] {
  return Object.entries(expected).map(([name, matcher]) => {
    const lower = name.toLowerCase();
    const value = response.headers[lower];
    const lookup: Lookup = value === undefined ? { found: false } : { found: true, value };
    const outcome = evaluateMatcher(matcher, lookup, `header ${lower}`);
    return { what: `header ${lower}`, ...outcome, expected: matcher, ...(value !== undefined && { actual: value }) };
  });
}

function checkBody(expected: NonNullable<ResponseExpectation['body']>, response: ClientResponse): Check[] {
  return Object.entries(expected).map(([path, matcher]) => {
    const what = `body ${path}`;
    if (response.json === undefined) return { what, passed: false, expected: matcher, message: `${path} cannot be checked: ${notJson(response)}` };
    let segments;
    try {
      segments = parseBodyPath(path);
    } catch (error) {
      if (error instanceof BodyPathError) return { what, passed: false, expected: matcher, message: error.message };
      throw error;
    }
    const lookup = readPath(response.json, segments);
    // A password the server should never have returned is reported, but not shown.
    const hidden = isPasswordName(lastName(segments) ?? '');
    const show: ShowValue = hidden ? () => REDACTED : showValue;
    const outcome = evaluateMatcher(matcher, lookup, path, show);
    return { what, ...outcome, expected: matcher, ...(lookup.found && { actual: hidden ? REDACTED : lookup.value }) };
  });
}

function checkBodySchema(name: NonNullable<ResponseExpectation['schema']>, response: ClientResponse): Check {
  const what = `schema ${name}`;
  if (response.json === undefined) {
    return { what, passed: false, expected: name, message: `body does not match the ${name} schema: ${notJson(response)}` };
  }
  const outcome = checkSchema(response.json, name);
  return { what, passed: outcome.passed, expected: name, message: outcome.message, ...(!outcome.passed && { actual: outcome.errors }) };
}

/** Saves the step's values; a value that is not there is a failed check, and later steps that use it say why. */
function save(step: RequestStep, index: number, response: ClientResponse, vars: Vars): Check[] {
  const failures: Check[] = [];
  for (const [name, spec] of Object.entries(step.save ?? {})) {
    const what = `save ${name}`;
    let missing: string | undefined;
    if (typeof spec === 'string') {
      let lookup: Lookup = { found: false };
      try {
        lookup = response.json === undefined ? lookup : readPath(response.json, spec);
      } catch (error) {
        if (!(error instanceof BodyPathError)) throw error;
        missing = error.message;
      }
      if (lookup.found) vars.set(name, lookup.value);
      else missing ??= response.json === undefined ? notJson(response) : `the body has no ${spec}`;
    } else if ('header' in spec) {
      const value = response.headers[spec.header.toLowerCase()];
      if (value !== undefined) vars.set(name, value);
      else missing = `the response has no ${spec.header} header`;
    } else {
      vars.set(name, response.status);
    }
    if (missing !== undefined) {
      failures.push({ what, passed: false, expected: spec, message: `cannot save ${name}: ${missing}` });
      vars.markUnsaved(name, `step ${index + 1} could not save it (${missing})`);
    }
  }
  return failures;
}

/**
 * Runs one raw protocol step: fills its templates, sends the request (recorded as `raw`), checks
 * status, headers, body and schema, and saves values for later steps. When the status is not the
 * expected one, the other checks are not evaluated: they describe the expected response, and
 * failing them all would bury the one thing that went wrong.
 */
export async function runRequestStep(step: RequestStep, index: number, ctx: StepContext): Promise<StepResult> {
  const started = performance.now();
  const { client, transcript, vars } = ctx;
  const redactor = client.redactor;
  const ref = step.ref ?? ctx.refs[0];
  const name = step.name ?? `${step.request.method.toUpperCase()} ${step.request.path}`;
  const finish = (status: Status, checks: CheckResult[], error?: string, cause?: Cause): StepResult => ({
    index,
    name,
    status,
    checks,
    ...(error !== undefined && { error: redactor.text(error) }),
    ...(cause !== undefined && { cause: { ...cause, summary: redactor.text(cause.summary), ...(cause.answer && { answer: redactor.json(cause.answer) as ServerAnswer }) } }),
    durationMs: Math.round((performance.now() - started) * 10) / 10,
  });
  const couldNotRun = (error: string): StepResult => {
    for (const saved of Object.keys(step.save ?? {})) vars.markUnsaved(saved, `step ${index + 1} could not run`);
    return finish('error', [], error);
  };

  let request: RequestSpec;
  let expect: ResponseExpectation;
  let response: ClientResponse;
  try {
    request = fillTemplates(step.request, vars, index) as RequestSpec;
    expect = fillTemplates(step.expect ?? {}, vars, index) as ResponseExpectation;
    response = await client.send(
      {
        // A whole-placeholder path keeps its saved type; the request line needs text.
        method: String(request.method),
        path: String(request.path),
        ...(request.query && { query: Object.entries(request.query) }),
        ...(request.headers && { headers: request.headers }),
        ...(request.body !== undefined && { body: request.body }),
        ...(request.rawBody !== undefined && { rawBody: request.rawBody }),
      },
      { transcript, kind: 'raw', step: index, ...(request.auth && { auth: request.auth }) },
    );
  } catch (error) {
    if (error instanceof TemplateError || error instanceof RequestFailedError) return couldNotRun(error.message);
    throw error;
  }

  const checks: Check[] = [];
  const status = expect.status === undefined ? undefined : checkStatus(expect.status, response);
  if (status) checks.push(status);
  const blockedBy =
    status && !status.passed ? await allowedRefusal(request, [expect.status!].flat(), response.exchange, { probe: ctx.probe, transcript, step: index }) : undefined;
  if (status && !status.passed) {
    for (const saved of Object.keys(step.save ?? {})) vars.markUnsaved(saved, `step ${index + 1} got status ${response.status}`);
  } else {
    if (expect.headers) checks.push(...checkHeaders(expect.headers, response));
    if (expect.body) checks.push(...checkBody(expect.body, response));
    if (expect.schema) checks.push(checkBodySchema(expect.schema, response));
    checks.push(...save(step, index, response, vars));
  }

  // Check results reach the reports: they go through the same redaction as the transcript.
  const results: CheckResult[] = checks.map((check) => ({
    what: check.what,
    passed: check.passed,
    ...(check.expected !== undefined && { expected: redactor.json(check.expected) }),
    ...(check.actual !== undefined && { actual: redactor.json(check.actual) }),
    message: redactor.text(check.message),
    ...(ref !== undefined && { ref }),
    exchange: response.exchange.seq,
  }));
  if (blockedBy) return finish('blocked', results, undefined, blockedBy);
  return finish(results.every((c) => c.passed) ? 'passed' : 'failed', results);
}
