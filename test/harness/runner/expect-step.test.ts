import { describe, expect, it } from 'vitest';
import type { ScimClient } from '../../../harness/http/client.js';
import type { Transcript } from '../../../harness/http/transcript.js';
import { runExpectStep } from '../../../harness/runner/expect-step.js';
import type { ExpectStep } from '../../../harness/types.js';
import type { Outcome } from '../../../harness/result.js';

const task = (record: Record<string, unknown>): Outcome => ({ idp: 'okta', kind: 'task', record });
const OUTCOMES = [
  task({ eventType: 'application.provision.user.push', status: 'failure', user: 'ada', message: 'Error while creating user ada@example.com: Conflict. Errors reported by remote server: exists' }),
  task({ eventType: 'application.provision.user.deactivate', status: 'success', user: 'ada', quarantine: { reason: 'x', seriesCount: 2 } }),
];

/** Checks an expect step with only outcome against the records above. */
async function check(step: Pick<ExpectStep, 'outcome'>) {
  const ctx = { client: { baseUrl: 'http://127.0.0.1/scim' } as ScimClient, transcript: {} as Transcript, targetOf: () => undefined, refs: [], sent: [], outcomes: OUTCOMES };
  const result = await runExpectStep({ kind: 'expect', source: { file: 'f', line: 1, column: 1 }, ...step }, 0, ctx);
  return result.checks.map((c) => (c.passed ? 'passed' : c.message));
}

describe('expected outcome records', () => {
  it('take a matcher for a field', async () => {
    expect(await check({ outcome: { status: 'failure', message: { contains: 'Conflict' } } })).toEqual(['passed']);
    expect(await check({ outcome: { message: { matches: '^Error while creating user' }, attempts: { absent: true } } })).toEqual(['passed']);
    expect(await check({ outcome: [{ user: { oneOf: ['ada', 'bob'] } }, { status: { not: 'failure' } }] })).toEqual(['passed', 'passed']);
    const [failed] = await check({ outcome: { message: { contains: 'Bad Request' } } });
    expect(failed).toMatch(/^expected the IdP to report \{"message":\{"contains":"Bad Request"\}\}, it reported .*Conflict/);
  });

  it('take matchers at any depth, with plain values around them matching partially', async () => {
    expect(await check({ outcome: { quarantine: { reason: { oneOf: ['x', 'y'] }, seriesCount: { not: 1 } } } })).toEqual(['passed']);
    expect(await check({ outcome: { user: 'ada', quarantine: { reason: { contains: 'x' } } } })).toEqual(['passed']);
    const [failed] = await check({ outcome: { quarantine: { reason: { contains: 'Escrow' } } } });
    expect(failed).toMatch(/^expected the IdP to report \{"quarantine":\{"reason":\{"contains":"Escrow"\}\}\}, it reported /);
  });

  it('still match plain values partially, and in order', async () => {
    expect(await check({ outcome: { user: 'ada', quarantine: { seriesCount: 2 } } })).toEqual(['passed']);
    expect(await check({ outcome: ['failure', 'success'] })).toEqual(['passed', 'passed']);
    const [, second] = await check({ outcome: ['success', 'failure'] });
    expect(second).toMatch(/^expected the IdP to report \{"status":"failure"\}, it reported nothing/);
  });
});
