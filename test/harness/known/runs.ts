import type { RunResult, ScenarioResult, Status } from '../../../harness/result.js';

/** A failing check as the runner records it: `what: message`, in a step of the given name. */
export interface Failing {
  step: string;
  what: string;
  message: string;
}

/** A scenario with the given status; a failed one fails the given checks. */
export function scenario(id: string, status: Status, failing: Failing[] = [{ step: 'GET /Users', what: 'status', message: 'expected status 200, got 500' }]): ScenarioResult {
  const failed = status === 'failed';
  return {
    id,
    title: `Scenario ${id}`,
    file: `/s/${id}.yaml`,
    idp: 'none',
    refs: [],
    tags: [],
    requires: [],
    covers: [],
    status,
    ...(failed ? { cause: { key: `cause:${failing[0]?.message}`, summary: `cause of ${id}` } } : {}),
    ...(status === 'error' ? { reason: 'could not reach the target' } : {}),
    durationMs: 1,
    steps: (failed ? failing : []).map((f, index) => ({ index, name: f.step, status, durationMs: 1, checks: [{ what: f.what, passed: false, message: f.message }] })),
    exchanges: [],
    outcomes: [],
  };
}

/** A run of these scenarios, started on `day`, its causes listed as the runner lists them. */
export function run(scenarios: ScenarioResult[], day = '2026-06-15'): RunResult {
  const count = (status: Status) => scenarios.filter((s) => s.status === status).length;
  const keys = [...new Set(scenarios.flatMap((s) => (s.cause ? [s.cause.key] : [])))];
  return {
    format: 'scimulator-run',
    version: 3,
    tool: { name: 'scimulator', version: '0.0.0' },
    startedAt: `${day}T10:00:00.000Z`,
    finishedAt: `${day}T10:00:01.000Z`,
    durationMs: 1000,
    target: { url: 'http://127.0.0.1/scim/v2', embedded: true, features: {}, featureSource: 'assumed' },
    selection: { files: [] },
    totals: { passed: count('passed'), failed: count('failed'), skipped: count('skipped'), blocked: count('blocked'), errored: count('error'), total: scenarios.length },
    causes: keys.map((key) => {
      const of = scenarios.filter((s) => s.cause?.key === key);
      return { key, summary: of[0]!.cause!.summary, effect: 'failed' as const, scenarios: of.map((s) => s.id) };
    }),
    scenarios,
  };
}
