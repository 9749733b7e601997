/**
 * Root causes: one statement per reason scenarios did not pass, so that one missing capability or
 * one refused request shape reads as one finding with its count, not as dozens of failures filed
 * under unrelated sections. Pure functions over results, used by the runner and by `report`.
 */
import { getKey, isObject, type JsonObject } from '../../scim/schema/keys.js';
import { listsSchema, URN } from '../../scim/schema/urns.js';
import { describeAnswer, serverAnswer } from '../steps/server-answer.js';
import type { Cause, CheckResult, Exchange, RootCause, ScenarioResult, StepResult } from '../result.js';

/**
 * Values that differ between runs and scenarios but not between causes: unique names, ids,
 * instants, and the port of a URL (each scenario that injects faults has an embedded server of its own).
 */
export function normalize(text: string): string {
  return text
    .replace(/(https?:\/\/[^/\s:]+):\d+/g, '$1')
    .replace(/scim-[0-9a-f]{8}-\d+-[\w-]*/g, '…')
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '…')
    .replace(/\d{4}-\d\d-\d\dT[\d:.]+(Z|[+-]\d\d:\d\d)?/g, '…')
    .replace(/\b[0-9a-f]{16,}\b/gi, '…');
}

/** `PATCH /Users/{id}`: the method and the SCIM endpoint, with ids left out. */
export function requestShape(exchange: Exchange): string {
  let path = exchange.request.url;
  try {
    path = new URL(path).pathname;
  } catch {
    path = path.split('?', 1)[0]!;
  }
  const endpoint = /\/(Users|Groups|Bulk|Me|Schemas|ResourceTypes|ServiceProviderConfig|\.search)(\/.*)?$/i.exec(path);
  let shape = endpoint ? endpoint[0] : path;
  shape = shape.replace(/^\/(Users|Groups)\/(?!\.search$)[^/]+/i, '/$1/{id}').replace(/^\/(Schemas|ResourceTypes)\/.+/i, '/$1/{id}');
  return `${exchange.request.method} ${shape}`;
}

/**
 * The cause an exchange's own answer states: an error status, or no answer at all; or, when the
 * scenario injected that answer (docs/faults.md), the fault, which is the scenario's own doing.
 */
function answerCause(exchange: Exchange): Cause | undefined {
  const shape = requestShape(exchange);
  if (exchange.fault !== undefined) {
    return { key: `injected:${shape}|${normalize(exchange.fault)}`, summary: `${shape} met the fault the scenario injects (injected: ${exchange.fault}), not an answer of the target`, exchange: exchange.seq };
  }
  if (exchange.error !== undefined) {
    return { key: `no-answer:${shape}|${normalize(exchange.error)}`, summary: `${shape} got no answer: ${exchange.error}`, exchange: exchange.seq };
  }
  const answer = serverAnswer(exchange);
  if (!answer) return undefined;
  const said = normalize([answer.scimType, answer.detail ?? answer.body].filter(Boolean).join('|'));
  return { key: `answer:${shape}|${answer.status}|${said}`, summary: `${shape} answered ${describeAnswer(answer)}`, answer, exchange: exchange.seq };
}

/** A list request: a GET on a resource endpoint, or a SearchRequest (RFC 7644 §3.4.2, §3.4.3). */
const LIST_SHAPE = /^(GET \/(Users|Groups)|POST (\/(Users|Groups))?\/\.search)$/i;

/** The paging parameter the request really sent, as an integer: in a GET's query, in a /.search body. */
function askedParameter(exchange: Exchange, name: 'startIndex' | 'count'): number | undefined {
  let raw: unknown;
  if (exchange.request.method.toUpperCase() === 'GET') {
    const query = new URLSearchParams(exchange.request.url.split('?')[1]?.split('#', 1)[0] ?? '');
    raw = [...query].find(([key]) => key.toLowerCase() === name.toLowerCase())?.[1];
  } else {
    const body = exchange.request.body?.json;
    raw = isObject(body) ? getKey(body, name) : undefined;
  }
  const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
  return typeof value === 'number' && Number.isInteger(value) ? value : undefined;
}

/** The answer's body when it is a ListResponse (its `schemas` says so) that came from the target. */
function listResponse(exchange: Exchange): JsonObject | undefined {
  const status = exchange.response?.status ?? 0;
  const json = exchange.response?.body?.json;
  if (exchange.fault !== undefined || status < 200 || status > 299 || !isObject(json)) return undefined;
  return listsSchema(json, URN.listResponse) ? json : undefined;
}

/**
 * A list answer that did not honour the paging its request asked for: it says it starts at 1 when
 * asked for a later index (the echoed startIndex, RFC 7644 §3.4.2.4), or holds more than `count`
 * ("MUST NOT return more results than specified", ibid.). Paging and sort scenarios then fail on
 * whatever each one checked; this names the one reason, with the numbers left out of its key.
 */
function pagingCause(exchange: Exchange): Cause | undefined {
  const list = LIST_SHAPE.test(requestShape(exchange)) ? listResponse(exchange) : undefined;
  if (!list) return undefined;
  const startIndex = askedParameter(exchange, 'startIndex');
  if (startIndex !== undefined && startIndex > 1 && getKey(list, 'startIndex') === 1) {
    return { key: 'ignored-parameter:startIndex', summary: `target ignores startIndex: asked startIndex=${startIndex}, answered startIndex=1`, exchange: exchange.seq };
  }
  // A negative count is read as 0 (ibid.): only a count the server had to take as given is judged.
  const count = askedParameter(exchange, 'count');
  if (count === undefined || count < 0) return undefined;
  const resources = getKey(list, 'Resources');
  const held = Array.isArray(resources) ? resources.length : 0;
  const itemsPerPage = getKey(list, 'itemsPerPage');
  const answered = held > count ? `${held} resources` : typeof itemsPerPage === 'number' && itemsPerPage > count ? `itemsPerPage=${itemsPerPage}` : undefined;
  return answered === undefined ? undefined : { key: 'ignored-parameter:count', summary: `target ignores count: asked count=${count}, answered ${answered}`, exchange: exchange.seq };
}

interface Failing {
  step: StepResult;
  check: CheckResult;
}

function failingChecks(result: ScenarioResult): Failing[] {
  return result.steps.flatMap((step) => step.checks.filter((check) => !check.passed).map((check) => ({ step, check })));
}

/**
 * A failed check as a cause: the server's answer when it was an error or the wrong status; a list
 * answer's ignored paging; else what was wrong with it.
 */
function checkCause(result: ScenarioResult, { check }: Failing): Cause {
  const exchange = check.exchange === undefined ? undefined : result.exchanges.find((e) => e.seq === check.exchange);
  const paging = exchange && check.what !== 'status' ? pagingCause(exchange) : undefined;
  if (paging) return paging;
  if (exchange && (check.what === 'status' || exchange.error !== undefined)) {
    const cause = answerCause(exchange);
    if (cause) return cause;
  }
  const where = exchange ? `${requestShape(exchange)}: ` : '';
  // An injected answer is not the target's: it is not quoted as what the target said.
  const answer = exchange && exchange.fault === undefined && (exchange.response?.status ?? 0) >= 400 ? serverAnswer(exchange) : undefined;
  // Something missing is one cause, whatever each scenario expected of it.
  const missing = check.actual === undefined && check.message.endsWith('but it is absent');
  return {
    key: missing ? `check:${where}${check.what}|absent` : `check:${where}${check.what}|${normalize(check.message)}`,
    summary: missing ? `${where}${check.what} is absent` : `${where}${check.message}`,
    ...(answer && { answer }),
    ...(exchange && { exchange: exchange.seq }),
  };
}

/**
 * In an IdP scenario, the first server answer that went wrong (an error status or no answer) in
 * the events before the first failing expectation: what the IdP met, and the headline. An injected
 * fault is the scenario's premise, not the target's failure: it is never the headline, and a
 * scenario that fails only in how its IdP reacted to one is named by that reaction.
 */
function idpHeadline(result: ScenarioResult, failing: Failing): Exchange | undefined {
  const before = result.steps.filter((s) => s.index < failing.step.index && s.name === 'expect').at(-1)?.index ?? -1;
  const failedAnswer = (e: Exchange, from: number) =>
    e.kind === 'idp' && e.fault === undefined && e.step !== null && e.step > from && e.step <= failing.step.index && (e.error !== undefined || (e.response?.status ?? 0) >= 400);
  // Since the previous expectation first; else an earlier one no expectation looked at (a create
  // refused at the start shows only when a later event has nothing to act on).
  return result.exchanges.find((e) => failedAnswer(e, before)) ?? result.exchanges.find((e) => failedAnswer(e, -1));
}

/**
 * The scenario with its cause set (and, in an IdP scenario, the failed checks that follow from
 * the headline marked as consequences). A passed scenario is returned as it is.
 */
export function withCause(result: ScenarioResult): ScenarioResult {
  if (result.status === 'passed' || result.cause) return result;
  if (result.status === 'blocked') {
    const cause = result.steps.find((s) => s.cause)?.cause;
    return cause ? { ...result, cause } : result;
  }
  const failing = failingChecks(result);
  const first = failing[0];
  if (result.status === 'failed' && first) {
    const headline = result.idp === 'none' ? undefined : idpHeadline(result, first);
    const cause = headline ? answerCause(headline) : undefined;
    if (!headline || !cause) return { ...result, cause: checkCause(result, first) };
    const steps = result.steps.map((step) =>
      step.index < first.step.index ? step : { ...step, checks: step.checks.map((check) => (check.passed ? check : { ...check, consequence: true })) },
    );
    return { ...result, steps, cause };
  }
  const reason = result.reason ?? result.steps.find((s) => s.error)?.error ?? result.status;
  return { ...result, cause: { key: `${result.status}:${normalize(reason)}`, summary: reason } };
}

/** Every cause once, with the scenarios it stopped (in run order), most scenarios first. */
export function rootCauses(scenarios: readonly ScenarioResult[]): RootCause[] {
  const groups = new Map<string, RootCause>();
  for (const scenario of scenarios) {
    if (scenario.status === 'passed' || !scenario.cause) continue;
    const effect = scenario.status;
    const key = `${effect} ${scenario.cause.key}`;
    const group = groups.get(key);
    if (group) group.scenarios.push(scenario.id);
    else groups.set(key, { key: scenario.cause.key, summary: scenario.cause.summary, ...(scenario.cause.answer && { answer: scenario.cause.answer }), effect, scenarios: [scenario.id] });
  }
  // Failures before blocks and skips; within each, the widest cause first; ties keep run order.
  const weight: Record<RootCause['effect'], number> = { failed: 0, error: 1, blocked: 2, skipped: 3 };
  return [...groups.values()].sort((a, b) => weight[a.effect] - weight[b.effect] || b.scenarios.length - a.scenarios.length);
}
