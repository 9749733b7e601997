import { describe, expect, it } from 'vitest';
import { normalize, withCause } from '../../../harness/runner/causes.js';
import type { Exchange, ScenarioResult, StepResult } from '../../../harness/result.js';

/** An Okta scenario's exchange at step 0: POST /Users answered `status`, injected when `fault` is given. */
const sent = (seq: number, status: number, fault?: string): Exchange => ({
  seq,
  step: 0,
  kind: 'idp',
  request: { method: 'POST', url: 'http://127.0.0.1:4100/scim/v2/Users', headers: {} },
  response: { status, headers: {} },
  ...(fault !== undefined && { fault }),
  startedAt: '2026-01-01T00:00:00Z',
  durationMs: 1,
});

const okta = (exchanges: Exchange[]): ScenarioResult => {
  const steps: StepResult[] = [
    { index: 0, name: 'assign ada', status: 'passed', checks: [], durationMs: 1 },
    { index: 1, name: 'expect', status: 'failed', checks: [{ what: 'outcome[0]', passed: false, message: 'outcome[0].attempts: expected 2, got 1' }], durationMs: 1 },
  ];
  return { id: 'okta.x', title: 'x', file: 'x.yaml', idp: 'okta', refs: [], tags: [], requires: [], covers: [], status: 'failed', durationMs: 1, steps, exchanges, outcomes: [] };
};

describe('an injected fault in the cause of an IdP scenario', () => {
  it('is the premise, not the headline: a scenario that fails in how the IdP reacted is named by that reaction', () => {
    const caused = withCause(okta([sent(1, 429, 'throttle: 429 Retry-After 30'), sent(2, 201)]));
    expect(caused.cause).toEqual({ key: 'check:outcome[0]|outcome[0].attempts: expected 2, got 1', summary: 'outcome[0].attempts: expected 2, got 1' });
    expect(caused.steps[1]!.checks[0]!.consequence).toBeUndefined();
  });

  it('leaves the headline to the first answer the target gave of itself', () => {
    const caused = withCause(okta([sent(1, 429, 'throttle: 429 Retry-After 30'), sent(2, 500)]));
    expect(caused.cause).toMatchObject({ summary: 'POST /Users answered 500', exchange: 2 });
    expect(caused.steps[1]!.checks[0]!.consequence).toBe(true);
  });
});

describe('normalised text', () => {
  it("leaves out a URL's port: each scenario with faults has an embedded server of its own", () => {
    expect(normalize('GET http://127.0.0.1:41234/scim/v2/Users: no response')).toBe(normalize('GET http://127.0.0.1:39001/scim/v2/Users: no response'));
  });
});
