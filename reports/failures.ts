import type { CheckResult, ScenarioResult, StepResult } from '../harness/types.js';

/** A failing check with the step it belongs to. */
export interface FailingCheck {
  step: StepResult;
  check: CheckResult;
}

export function failingChecks(scenario: ScenarioResult): FailingCheck[] {
  return scenario.steps.flatMap((step) => step.checks.filter((check) => !check.passed).map((check) => ({ step, check })));
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

/** A value on one line, cut at `max` characters: `(nothing)` for a value that was absent. */
export function oneLine(value: unknown, max: number): string {
  const text = value === undefined ? '(nothing)' : (JSON.stringify(value) ?? String(value));
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
