import type { CheckResult, ScenarioResult, StepResult } from '../harness/result.js';

/** A failing check with the step it belongs to. */
export interface FailingCheck {
  step: StepResult;
  check: CheckResult;
}

export function failingChecks(scenario: ScenarioResult): FailingCheck[] {
  return scenario.steps.flatMap((step) => step.checks.filter((check) => !check.passed).map((check) => ({ step, check })));
}

/**
 * A scenario's failing checks split into findings and consequences: checks that follow from the
 * scenario's cause (its headline, in an IdP scenario the first server answer that went wrong),
 * which reports show under the cause instead of as findings of their own.
 */
export function findingsOf(scenario: ScenarioResult): { findings: FailingCheck[]; consequences: FailingCheck[] } {
  const failing = failingChecks(scenario);
  return { findings: failing.filter(({ check }) => !check.consequence), consequences: failing.filter(({ check }) => check.consequence) };
}

/** Scenarios that failed or could not run, in run order. */
export function failedScenarios(scenarios: readonly ScenarioResult[]): ScenarioResult[] {
  return scenarios.filter((s) => s.status === 'failed' || s.status === 'error');
}

/** Why a scenario could not run: its step errors, else its reason. */
export function errorsOf(scenario: ScenarioResult): string[] {
  const steps = scenario.steps.filter((s) => s.error !== undefined).map((s) => `step ${s.index + 1} (${s.name}): ${s.error}`);
  return steps.length > 0 ? steps : scenario.reason ? [scenario.reason] : [];
}

/** Keys of a sentence that says why (an IdP's message, an Entra reason, a SCIM error's detail), at any depth. */
const REASON_KEYS = new Set(['message', 'reason', 'detail', 'errormessage', 'scimtype', 'summary']);

/** Reasons past this many (a log of 10,000 records) are counted, not listed. */
const MAX_REASONS = 10;

/** A body's first 500 characters are the server's answer: a string value is never cut shorter. */
const WHOLE_STRING = 500;

/** The distinct reason sentences in a value, each with where it is (`[1].errorInformation.reason`). */
function reasonsIn(value: unknown, path: string, found: Map<string, string>): Map<string, string> {
  if (typeof value !== 'object' || value === null) return found;
  for (const [key, member] of Object.entries(value)) {
    const at = Array.isArray(value) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
    if (typeof member === 'string' && REASON_KEYS.has(key.toLowerCase())) {
      if (!found.has(member)) found.set(member, at);
    } else reasonsIn(member, at, found);
  }
  return found;
}

/**
 * A value as JSON on one line, `(nothing)` for a value that was absent. One longer than `max`
 * characters is cut, but never what the server or the IdP said: the reasons in it (`message`,
 * `reason`, `detail`…) follow whole, and a string shorter than 500 characters stays whole.
 */
export function oneLine(value: unknown, max: number): string {
  const text = value === undefined ? '(nothing)' : (JSON.stringify(value) ?? String(value));
  const limit = typeof value === 'string' ? Math.max(max, WHOLE_STRING + 2) : max;
  if (text.length <= limit) return text;
  const reasons = [...reasonsIn(value, '', new Map())].map(([said, at]) => `; ${at}: ${JSON.stringify(said)}`);
  const more = reasons.length > MAX_REASONS ? `; and ${reasons.length - MAX_REASONS} more reasons` : '';
  return `${text.slice(0, limit)}… (${text.length} characters${reasons.slice(0, MAX_REASONS).join('')}${more})`;
}

/** One thing a failed scenario shows: a failing check (with its step's name) or a reason it could not run, as one line. */
export interface Finding {
  step?: string;
  line: string;
}

/**
 * What a failed or errored scenario shows, each once: its findings as reports write them
 * (`what: message [ref]`), then why it could not run; for a failure with neither (its checks
 * all consequences), its cause.
 */
export function findingList(scenario: ScenarioResult): Finding[] {
  const checks = findingsOf(scenario).findings.map(({ step, check }): Finding => ({ step: step.name, line: `${check.what}: ${check.message}${check.ref ? ` [${check.ref}]` : ''}` }));
  const errors = errorsOf(scenario).map((line): Finding => ({ line }));
  return checks.length + errors.length > 0 ? [...checks, ...errors] : [{ line: scenario.cause?.summary ?? scenario.reason ?? scenario.status }];
}
