import { checkFaultSet, checkRules, FaultSetError } from './check.js';
import { compileRules, decide, type CompiledRule, type Decision, type EngineState } from './engine.js';
import { pathBelow } from './path-pattern.js';
import { MAX_RULES, type FaultRule, type FaultSet } from './types.js';

/** One rule in `FaultControl.list()`. */
export interface ListedRule {
  index: number;
  /** As installed, checked (a method as a list, header values as strings). */
  rule: FaultRule;
  /** What it injects, as `x-scimulator-fault` says it. */
  label: string;
  matched: number;
  acted: number;
  /** `times` reached: it acts no more. */
  spent: boolean;
}

export interface FaultListing {
  seed: number;
  rules: ListedRule[];
}

/** The faults of a running reference server: `ReferenceServer.faults`, and what the admin API drives. */
export interface FaultControl {
  /** Replaces the rules (and the seed: the one given, else 0); counts start again, window offsets count from now. Throws FaultSetError. */
  install(set: FaultSet | readonly FaultRule[]): void;
  /** Adds rules after the others, keeping the counts and the generator. Throws FaultSetError. */
  add(rules: readonly FaultRule[]): void;
  /** Removes every rule. */
  clear(): void;
  /** The rules with how often each matched and acted. */
  list(): FaultListing;
}

/** The rules and their state; `decide` is the one thing the request path calls. */
export class FaultInjector implements FaultControl {
  private seed = 0;
  private compiled: CompiledRule[] = [];
  private state: EngineState = { counts: [], random: 0 };

  constructor(
    private readonly basePath: string,
    private readonly now: () => Date,
    initial?: FaultSet,
  ) {
    if (initial !== undefined) this.install(initial);
  }

  /** Whether any rule is installed: when not, requests skip the fault hook. */
  get armed(): boolean {
    return this.compiled.length > 0;
  }

  install(set: FaultSet | readonly FaultRule[]): void {
    const checked = checkFaultSet(Array.isArray(set) ? { rules: set } : set);
    this.seed = checked.seed ?? 0;
    this.compiled = compileRules(checked.rules, this.now().getTime());
    this.state = { counts: this.compiled.map(() => ({ matched: 0, acted: 0 })), random: this.seed };
  }

  add(rules: readonly FaultRule[]): void {
    const checked = checkRules(rules);
    const total = this.compiled.length + checked.length;
    if (total > MAX_RULES) throw new FaultSetError(['rules'], `would make ${total} rules, and a server holds at most ${MAX_RULES}: clear or replace them`);
    this.compiled = [...this.compiled, ...compileRules(checked, this.now().getTime())];
    this.state = { counts: [...this.state.counts, ...checked.map(() => ({ matched: 0, acted: 0 }))], random: this.state.random };
  }

  clear(): void {
    this.install({ rules: [], seed: this.seed });
  }

  list(): FaultListing {
    return {
      seed: this.seed,
      rules: this.compiled.map(({ rule, label }, index) => {
        const { matched, acted } = this.state.counts[index]!;
        const times = rule.match?.times;
        return { index, rule, label, matched, acted, spent: times !== undefined && acted >= times };
      }),
    };
  }

  /** The fault for a request, counted; undefined outside the base path or when no rule acts. */
  decide(method: string, url: string): Decision['fired'] {
    const path = pathBelow(url, this.basePath);
    if (path === undefined) return undefined;
    const mark = url.indexOf('?');
    const query = new URLSearchParams(mark === -1 ? '' : url.slice(mark + 1));
    const decision = decide(this.compiled, this.state, { method, path, query }, this.now().getTime());
    this.state = decision.state;
    return decision.fired;
  }
}
