import type { ScimClient } from '../http/client.js';
import { createdResources, Transcript } from '../http/transcript.js';
import { SIMULATORS } from '../idp/types.js';
import { runRequestStep } from '../steps/request-step.js';
import { Vars } from '../steps/template.js';
import type { Outcome, Scenario, ScenarioResult, Status, Step, StepResult } from '../types.js';

export interface ScenarioRunOptions {
  client: ScimClient;
  /** Seeds `{{unique.*}}` so that names differ between runs and scenarios. */
  runId: string;
  index: number;
  /** Leave what the scenario created on the target. */
  keep: boolean;
  baseUrl: string;
}

function stepName(step: Step): string {
  switch (step.kind) {
    case 'request':
      return step.name ?? `${step.request.method.toUpperCase()} ${step.request.path}`;
    case 'idp':
      return `${step.action} ${typeof step.args === 'string' ? step.args : JSON.stringify(step.args)}`;
    default:
      return 'expect';
  }
}

function skipped(step: Step, index: number, reason: string): StepResult {
  return { index, name: stepName(step), status: 'skipped', checks: [], error: reason, durationMs: 0 };
}

function overall(steps: readonly StepResult[]): Status {
  if (steps.some((s) => s.status === 'error')) return 'error';
  if (steps.some((s) => s.status === 'failed')) return 'failed';
  return 'passed';
}

/**
 * Deletes what the scenario created, newest first, except what a step already deleted.
 * Failures are recorded in the transcript and otherwise ignored: cleanup is not conformance.
 */
async function cleanUp(transcript: Transcript, options: ScenarioRunOptions): Promise<void> {
  const exchanges = transcript.exchanges;
  const created = exchanges.flatMap((exchange) => createdResources(exchange));
  const deleted = new Set(exchanges.filter((e) => e.request.method === 'DELETE' && e.response && e.response.status < 300).map((e) => e.request.url));
  for (const path of [...new Set(created)].reverse()) {
    if (deleted.has(path)) continue;
    try {
      await options.client.send({ method: 'DELETE', path }, { transcript, kind: 'cleanup', step: null });
    } catch {
      // Recorded as an error exchange by the client.
    }
  }
}

/** A scenario's result: what the scenario says of itself, and what happened. */
export function scenarioResult(
  scenario: Scenario,
  happened: Pick<ScenarioResult, 'status' | 'durationMs' | 'steps' | 'exchanges' | 'outcomes'> & { reason?: string },
): ScenarioResult {
  const { id, title, idp, refs, tags, features } = scenario;
  return { id, title, file: scenario.source.file, idp, refs, tags, features, ...happened };
}

/** Runs one scenario's steps in order; a step that cannot run skips the rest. */
export async function runScenario(scenario: Scenario, options: ScenarioRunOptions): Promise<ScenarioResult> {
  const started = performance.now();
  const transcript = new Transcript();
  const vars = new Vars(options.runId, options.index, options.baseUrl);
  const outcomes: Outcome[] = [];
  const steps: StepResult[] = [];
  let stopReason: string | undefined;
  if (scenario.idp !== 'none' && !SIMULATORS[scenario.idp]) {
    stopReason = `This build of scimulator has no ${scenario.idp} simulator yet`;
  }
  for (const [index, step] of scenario.steps.entries()) {
    if (stopReason !== undefined) {
      steps.push(skipped(step, index, stopReason));
      continue;
    }
    const result =
      step.kind === 'request'
        ? await runRequestStep(step, index, { client: options.client, transcript, vars, refs: scenario.refs })
        : { index, name: stepName(step), status: 'error' as const, checks: [], error: `No simulator handles "${step.kind}" steps`, durationMs: 0 };
    steps.push(result);
    if (result.status === 'error') stopReason = `Not run: step ${index + 1} could not run`;
  }
  if (!options.keep) await cleanUp(transcript, options);

  const status = steps.length > 0 && steps.every((s) => s.status === 'skipped') && scenario.idp !== 'none' ? 'error' : overall(steps);
  const result = scenarioResult(scenario, { status, durationMs: Math.round(performance.now() - started), steps, exchanges: transcript.exchanges, outcomes });
  const firstError = steps.find((s) => s.status === 'error')?.error ?? (status === 'error' ? stopReason : undefined);
  if (firstError) result.reason = firstError;
  return result;
}
