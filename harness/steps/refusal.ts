/**
 * Refusals the RFC allows: a target may refuse a filter it does not support (RFC 7644 §3.4.2.2,
 * invalidFilter: "the specified attribute and filter comparison combination is not supported")
 * and need not offer POST /.search. A step that only needed such a capability blocks its scenario
 * under one named cause instead of failing it under the scenario's own section.
 */
import { formatFilter, parseFilter } from '../../scim/filter/parse.js';
import type { Filter, FilterValue } from '../../scim/filter/types.js';
import { isObject } from '../../scim/schema/keys.js';
import { URN } from '../../scim/schema/urns.js';
import type { ScimClient } from '../http/client.js';
import type { Transcript } from '../http/transcript.js';
import type { RequestSpec } from '../types.js';
import type { Cause, Exchange, ServerAnswer } from '../result.js';
import { describeAnswer, serverAnswer } from './server-answer.js';

/** An answer that refuses a filter: 400 with invalidFilter or no scimType, or 501. */
function refusesFilter(answer: ServerAnswer | undefined): answer is ServerAnswer {
  if (!answer) return false;
  return (answer.status === 400 && (answer.scimType === undefined || answer.scimType === 'invalidFilter')) || answer.status === 501;
}

/** Each operator a filter uses, in the order written (`a sw "x" and b co "y"`: sw, and, co), with a filter that uses it alone. */
function operatorsInOrder(filter: Filter): { op: string; alone: Filter }[] {
  const found: { op: string; alone: Filter }[] = [];
  const eqLike = (node: Filter): Filter => {
    // A logical operator is tried between plain equalities, so that it is not blamed for its operands.
    const first = firstComparison(node);
    return first ? { kind: 'compare', op: 'eq', path: first.path, value: first.value } : node;
  };
  const walk = (node: Filter, root: Filter): void => {
    switch (node.kind) {
      case 'compare':
        found.push({ op: node.op, alone: node });
        return;
      case 'present':
        found.push({ op: 'pr', alone: node });
        return;
      case 'and':
      case 'or':
        walk(node.left, root);
        found.push({ op: node.kind, alone: { kind: node.kind, left: eqLike(root), right: eqLike(root) } });
        walk(node.right, root);
        return;
      case 'not':
        found.push({ op: 'not', alone: { kind: 'not', filter: eqLike(root) } });
        walk(node.filter, root);
        return;
      case 'valuePath':
        found.push({ op: '[]', alone: node });
        walk(node.filter, root);
        return;
    }
  };
  walk(filter, filter);
  const seen = new Set<string>();
  return found.filter(({ op }) => !seen.has(op) && seen.add(op));
}

function firstComparison(filter: Filter): { path: Extract<Filter, { kind: 'compare' }>['path']; value: FilterValue } | undefined {
  switch (filter.kind) {
    case 'compare':
      return { path: filter.path, value: typeof filter.value === 'string' ? filter.value : 'scimulator' };
    case 'present':
      return { path: filter.path, value: 'scimulator' };
    case 'and':
    case 'or':
      return firstComparison(filter.left) ?? firstComparison(filter.right);
    case 'not':
      return firstComparison(filter.filter);
    case 'valuePath':
      return undefined;
  }
}

/**
 * Asks the target whether it refuses one filter operator, on the endpoint a refused request used:
 * the same request with a filter that uses that operator alone, and `count=1` to keep the answer
 * small. Answers are remembered for the run, so each operator is asked about once per endpoint.
 */
export class FilterProbe {
  private readonly answers = new Map<string, Promise<boolean>>();

  constructor(private readonly client: ScimClient) {}

  refuses(request: RequestSpec, op: string, filter: string, record: { transcript: Transcript; step: number }): Promise<boolean> {
    const path = String(request.path).split('?', 1)[0]!;
    const search = String(request.method).toUpperCase() === 'POST';
    const key = `${search ? 'POST' : 'GET'} ${path.replace(/^\/(Users|Groups)\/[^/]+$/i, '/$1')} ${op === 'eq' ? filter : op}`;
    let answer = this.answers.get(key);
    if (!answer) {
      const probe = search
        ? { method: 'POST', path, body: { schemas: [URN.searchRequest], filter, count: 1 } }
        : { method: 'GET', path, query: [['filter', filter], ['count', 1]] as const };
      answer = this.client
        .send(probe, { transcript: record.transcript, kind: 'discovery', step: record.step })
        .then((response) => refusesFilter(serverAnswer(response.exchange)))
        .catch(() => false);
      this.answers.set(key, answer);
    }
    return answer;
  }
}

/** The filter a list or search request carries: in its query, or in its SearchRequest body. */
export function filterOf(request: RequestSpec): string | undefined {
  const fromQuery = request.query?.filter ?? new URLSearchParams(String(request.path).split('?', 2)[1] ?? '').get('filter') ?? undefined;
  if (typeof fromQuery === 'string') return fromQuery;
  const bodyFilter = isObject(request.body) ? request.body.filter : undefined;
  return typeof bodyFilter === 'string' ? bodyFilter : undefined;
}

export interface RefusalContext {
  probe: FilterProbe;
  transcript: Transcript;
  step: number;
}

/**
 * A valid filter refused. The cause is the first operator, in the order written, that the target
 * refuses on its own (probed): `userName sw "x-" and title co "y"` against a server without `sw`
 * is blocked by "sw", whatever else it lacks, so that every scenario isolated by `sw` shares one cause.
 */
async function refusedFilter(request: RequestSpec, exchange: Exchange, ctx: RefusalContext): Promise<Cause | undefined> {
  const answer = serverAnswer(exchange);
  const text = filterOf(request);
  if (!refusesFilter(answer) || text === undefined) return undefined;
  let filter: Filter;
  try {
    filter = parseFilter(text);
  } catch {
    return undefined; // A filter the RFC's grammar refuses too: the server was right, and the step's expectation is what fails.
  }
  const said = describeAnswer(answer);
  const operators = operatorsInOrder(filter);
  for (const { op, alone } of operators) {
    const aloneText = formatFilter(alone);
    if (!(await ctx.probe.refuses(request, op, aloneText, ctx))) continue;
    if (op !== 'eq') return { key: `filter-operator:${op}`, summary: `target rejects filter operator "${op}" (${said})`, answer, exchange: exchange.seq };
    const attribute = aloneText.slice(0, aloneText.indexOf(' '));
    return { key: `filter-attribute:${attribute.toLowerCase()}`, summary: `target rejects filters on ${attribute} (${said})`, answer, exchange: exchange.seq };
  }
  const combined = operators.map(({ op }) => `"${op}"`).join(', ');
  return { key: `filter-combination:${operators.map(({ op }) => op).join(',')}`, summary: `target rejects filters combining ${combined} (${said})`, answer, exchange: exchange.seq };
}

/** POST …/.search answered as an endpoint that does not exist or is not implemented. */
function missingSearch(request: RequestSpec, exchange: Exchange): Cause | undefined {
  const answer = serverAnswer(exchange);
  const path = String(request.path).split('?', 1)[0]!;
  if (!answer || String(request.method).toUpperCase() !== 'POST' || !/\/\.search$/i.test(path)) return undefined;
  if (![404, 405, 501].includes(answer.status)) return undefined;
  return { key: 'endpoint:search', summary: `target has no POST …/.search (${describeAnswer(answer)})`, answer, exchange: exchange.seq };
}

/**
 * Why a step that expected success was refused in a way the RFC allows, or undefined when the
 * refusal is a finding. `expected` are the statuses the step accepts; a step that accepts an
 * error status is testing refusals, so it is never blocked.
 */
export async function allowedRefusal(request: RequestSpec, expected: readonly number[], exchange: Exchange, ctx: RefusalContext): Promise<Cause | undefined> {
  if (expected.length === 0 || expected.some((status) => status >= 400)) return undefined;
  return missingSearch(request, exchange) ?? (await refusedFilter(request, exchange, ctx));
}
