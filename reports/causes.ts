import type { RootCause, RunResult, ScenarioResult, ServerAnswer } from '../harness/result.js';
import { failedScenarios } from './failures.js';

/** What the server answered, whole: `400 invalidFilter: Unsupported operator sw`, `500: <the body's start>`. */
export function answerText(answer: ServerAnswer): string {
  const head = answer.scimType ? `${answer.status} ${answer.scimType}` : String(answer.status);
  const said = answer.detail ?? answer.body;
  return said ? `${head}: ${said}` : head;
}

/**
 * A cause's sentence followed by the server's answer in parentheses, both whole; the answer is
 * left out when the sentence already quotes it.
 */
export function causeText(cause: { summary: string; answer?: ServerAnswer }): string {
  if (!cause.answer) return cause.summary;
  const answer = answerText(cause.answer);
  return cause.summary.includes(answer) ? cause.summary : `${cause.summary} (${answer})`;
}

/** The answer to show beside a cause's sentence, or undefined when there is none or the sentence quotes it. */
export function answerBeside(cause: { summary: string; answer?: ServerAnswer }): string | undefined {
  if (!cause.answer) return undefined;
  const answer = answerText(cause.answer);
  return cause.summary.includes(answer) ? undefined : answer;
}

const EFFECT_WORDS: Record<RootCause['effect'], string> = { failed: 'failed', error: 'could not run', blocked: 'blocked', skipped: 'skipped' };

/** `39 scenarios blocked`, `1 scenario failed`. */
export function effectText(cause: RootCause): string {
  const n = cause.scenarios.length;
  return `${n} scenario${n === 1 ? '' : 's'} ${EFFECT_WORDS[cause.effect]}`;
}

/** Failed or errored scenarios that share a root cause; `cause` is absent for those whose cause the result does not list. */
export interface FailureGroup {
  cause?: RootCause;
  scenarios: ScenarioResult[];
}

/** The failures grouped by root cause, in the order the result lists the causes, then those without a listed cause. */
export function failuresByCause(result: RunResult): FailureGroup[] {
  const failures = failedScenarios(result.scenarios);
  const claimed = new Set<ScenarioResult>();
  const groups: FailureGroup[] = [];
  for (const cause of result.causes) {
    const scenarios = failures.filter((s) => !claimed.has(s) && s.cause?.key === cause.key);
    for (const s of scenarios) claimed.add(s);
    if (scenarios.length > 0) groups.push({ cause, scenarios });
  }
  const rest = failures.filter((s) => !claimed.has(s));
  if (rest.length > 0) groups.push({ scenarios: rest });
  return groups;
}

/** Why a scenario that did not pass stopped, in one line: its cause with the server's answer, else its reason. */
export function whyText(scenario: ScenarioResult): string {
  return scenario.cause ? causeText(scenario.cause) : (scenario.reason ?? '');
}
