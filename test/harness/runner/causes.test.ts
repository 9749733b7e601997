import { describe, expect, it } from 'vitest';
import { normalize, requestShape, rootCauses, withCause } from '../../../harness/runner/causes.js';
import type { CheckResult, Exchange, ScenarioResult, StepResult } from '../../../harness/result.js';

const exchange = (seq: number, method: string, url: string, status: number, json?: unknown, extra: Partial<Exchange> = {}): Exchange => ({
  seq,
  step: 0,
  kind: 'raw',
  request: { method, url, headers: {} },
  response: { status, headers: {}, ...(json !== undefined && { body: { json, bytes: 1 } }) },
  startedAt: '2026-01-01T00:00:00Z',
  durationMs: 1,
  ...extra,
});
const check = (what: string, passed: boolean, extra: Partial<CheckResult> = {}): CheckResult => ({ what, passed, message: `${what} ${passed ? 'ok' : 'wrong'}`, ...extra });
const step = (index: number, checks: CheckResult[], extra: Partial<StepResult> = {}): StepResult => ({
  index,
  name: extra.name ?? `step ${index}`,
  status: checks.every((c) => c.passed) ? 'passed' : 'failed',
  checks,
  durationMs: 1,
  ...extra,
});
const result = (id: string, status: ScenarioResult['status'], steps: StepResult[], exchanges: Exchange[], extra: Partial<ScenarioResult> = {}): ScenarioResult => ({
  id,
  title: id,
  file: `${id}.yaml`,
  idp: 'none',
  refs: [],
  tags: [],
  requires: [],
  covers: [],
  status,
  durationMs: 1,
  steps,
  exchanges,
  outcomes: [],
  ...extra,
});
const error = (status: number, detail: string, scimType?: string) => ({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: String(status), detail, ...(scimType && { scimType }) });

describe('the cause of a failed scenario', () => {
  it('is the server answer to the first failing check, whole, with ids and unique names left out of its key', () => {
    const detail = `userName scim-0a1b2c3d-4-user@example.com is taken by 2819c223-7f76-453a-919d-413861904646 ${'x'.repeat(600)}`;
    const a = result('a', 'failed', [step(0, [check('status', false, { exchange: 1 })])], [exchange(1, 'POST', 'http://h/scim/v2/Users', 500, error(500, detail))]);
    const b = result('b', 'failed', [step(0, [check('status', false, { exchange: 1 })])], [
      exchange(1, 'POST', 'http://h/scim/v2/Users', 500, error(500, detail.replace('0a1b2c3d-4', '99999999-7').replace('2819c223', '11111111'))),
    ]);
    const [ca, cb] = [withCause(a).cause!, withCause(b).cause!];
    expect(ca.summary).toBe(`POST /Users answered 500: ${detail}`);
    expect(ca.answer).toEqual({ status: 500, detail });
    expect(ca.key).toBe(cb.key);
    expect(rootCauses([withCause(a), withCause(b)])).toEqual([{ key: ca.key, summary: ca.summary, answer: ca.answer, effect: 'failed', scenarios: ['a', 'b'] }]);
  });

  it('is what was wrong with a response that had the right status', () => {
    const s = result('c', 'failed', [step(0, [check('status', true, { exchange: 1 }), check('header location', false, { exchange: 1 })])], [
      exchange(1, 'POST', 'http://h/scim/v2/Users', 201, {}),
    ]);
    expect(withCause(s).cause).toMatchObject({ summary: 'POST /Users: header location wrong', exchange: 1 });
  });

  it('in an IdP scenario is the first failed answer the IdP met, and the failed expectations after it are its consequences', () => {
    const sent = exchange(1, 'POST', 'http://h/Users', 400, error(400, 'Extra inputs are not permitted', 'invalidValue'), { kind: 'idp', step: 0 });
    const s = result(
      'okta',
      'failed',
      [step(0, [], { name: 'assign ada' }), step(1, [check('target ada.active', false), check('outcome[0]', false)], { name: 'expect' })],
      [sent],
      { idp: 'okta' },
    );
    const caused = withCause(s);
    expect(caused.cause?.summary).toBe('POST /Users answered 400 invalidValue: Extra inputs are not permitted');
    expect(caused.steps[1]!.checks.map((c) => c.consequence)).toEqual([true, true]);
  });

  it('of a blocked scenario is its blocking step’s; of a skipped one, what it lacks', () => {
    const cause = { key: 'filter-operator:sw', summary: 'target rejects filter operator "sw" (400 invalidFilter)' };
    const blocked = withCause(result('p', 'blocked', [step(0, [], { status: 'blocked', cause })], []));
    expect(blocked.cause).toEqual(cause);
    const skipped = result('q', 'skipped', [], [], { cause: { key: 'feature:bulk', summary: 'not supported: bulk' } });
    const causes = rootCauses([withCause(skipped), blocked, withCause(result('r', 'blocked', [step(0, [], { status: 'blocked', cause })], []))]);
    expect(causes.map((c) => [c.effect, c.scenarios])).toEqual([
      ['blocked', ['p', 'r']],
      ['skipped', ['q']],
    ]);
  });
});

describe('request shapes and normalised text', () => {
  it('keep the endpoint and leave out the base path and ids', () => {
    const shape = (method: string, url: string) => requestShape(exchange(1, method, url, 200));
    expect(shape('PATCH', 'http://h/scim/v2/Users/abc?x=1')).toBe('PATCH /Users/{id}');
    expect(shape('POST', 'http://h/scim/v2/Groups/.search')).toBe('POST /Groups/.search');
    expect(shape('GET', 'http://h/tenant/ServiceProviderConfig')).toBe('GET /ServiceProviderConfig');
    expect(normalize('at 2026-01-02T03:04:05.678Z id 0123456789abcdef0123')).toBe('at … id …');
  });
});
