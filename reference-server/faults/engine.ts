import { faultLabel } from './answer.js';
import { compilePathPattern, type PathTest } from './path-pattern.js';
import { nextRandom } from './random.js';
import { parseTime, resolveTime } from './time.js';
import type { FaultAct, FaultRule, QueryTest } from './types.js';

/**
 * The fault decision, a pure function: which rule (if any) acts on a request, given the rules,
 * how many requests each has counted, the generator's state and the time. The fastify shell
 * (hook.ts) keeps the state and carries out the act.
 *
 * A rule sees a request when no rule before it acted on it and it is not spent (`times` reached).
 * It counts the request when method, path, query and window all pass; then `nth` / `every`, and
 * last `probability` (one draw from the seeded generator), decide whether it acts.
 */

/** What a request offers the matchers. */
export interface FaultRequest {
  method: string;
  /** Below the base path, decoded, without a trailing slash (path-pattern.ts). */
  path: string;
  query: URLSearchParams;
}

/** A checked rule, ready to match: offsets in its window counted from when it was installed. */
export interface CompiledRule {
  rule: FaultRule;
  /** `x-scimulator-fault`'s value. */
  label: string;
  methods?: ReadonlySet<string>;
  path?: PathTest;
  query?: readonly [string, QueryTest][];
  /** Epoch ms; -Infinity and Infinity when not given. */
  from: number;
  until: number;
}

export interface RuleCount {
  /** Requests that passed method, path, query and window. */
  matched: number;
  /** Faults injected. */
  acted: number;
}

export interface EngineState {
  counts: readonly RuleCount[];
  /** The generator's state (random.ts). */
  random: number;
}

/** Compiles checked rules (check.ts) installed at `installedAt` (epoch ms). */
export function compileRules(rules: readonly FaultRule[], installedAt: number): CompiledRule[] {
  return rules.map((rule) => {
    const match = rule.match ?? {};
    const path = match.path === undefined ? undefined : compilePathPattern(match.path);
    const time = (text: string | undefined, fallback: number) => (text === undefined ? fallback : resolveTime(parseTime(text)!, installedAt));
    return {
      rule,
      label: faultLabel(rule),
      ...(match.method !== undefined && { methods: new Set([match.method].flat()) }),
      ...(typeof path === 'function' && { path }),
      ...(match.query !== undefined && { query: Object.entries(match.query) }),
      from: time(match.from, -Infinity),
      until: time(match.until, Infinity),
    };
  });
}

function passesQuery(tests: readonly [string, QueryTest][], query: URLSearchParams): boolean {
  return tests.every(([name, test]) => {
    if (typeof test === 'boolean') return query.has(name) === test;
    const values = query.getAll(name);
    return typeof test === 'string' ? values.includes(test) : values.some((value) => value.includes(test.contains));
  });
}

/** Whether the rule counts the request: method, path, query and window. */
function matches(compiled: CompiledRule, request: FaultRequest, now: number): boolean {
  if (compiled.methods !== undefined && !compiled.methods.has(request.method)) return false;
  if (compiled.path !== undefined && !compiled.path(request.path)) return false;
  if (compiled.query !== undefined && !passesQuery(compiled.query, request.query)) return false;
  return now >= compiled.from && now < compiled.until;
}

export interface Decision {
  state: EngineState;
  /** The index of the rule that acts, and its act; undefined when none does. */
  fired?: { index: number; act: FaultAct; label: string };
}

/** Which rule acts on `request` at `now` (epoch ms), and the state after it was counted. */
export function decide(rules: readonly CompiledRule[], state: EngineState, request: FaultRequest, now: number): Decision {
  let counts: RuleCount[] | undefined;
  let random = state.random;
  for (let index = 0; index < rules.length; index++) {
    const compiled = rules[index]!;
    const { nth, every, times, probability } = compiled.rule.match ?? {};
    const count = state.counts[index]!;
    if (times !== undefined && count.acted >= times) continue;
    if (!matches(compiled, request, now)) continue;
    const matched = count.matched + 1;
    let acts = nth !== undefined ? matched === nth : every !== undefined ? matched % every === 0 : true;
    if (acts && probability !== undefined) {
      const draw = nextRandom(random);
      random = draw.state;
      acts = draw.value < probability;
    }
    counts ??= [...state.counts];
    counts[index] = { matched, acted: count.acted + (acts ? 1 : 0) };
    if (acts) return { state: { counts, random }, fired: { index, act: compiled.rule.act, label: compiled.label } };
  }
  return { state: counts === undefined ? state : { counts, random } };
}
