import { describe, expect, it } from 'vitest';
import { missingFeatures } from '../../../harness/runner/features.js';
import type { OptionalFeature, Scenario } from '../../../harness/types.js';

const requiring = (...requires: OptionalFeature[]) => ({ requires, covers: [], steps: [] }) as unknown as Scenario;

describe('which scenarios a target can run', () => {
  it('needs what a scenario requires declared supported', () => {
    expect(missingFeatures(requiring('patch', 'bulk'), { patch: true, bulk: false })).toEqual(['bulk']);
    expect(missingFeatures(requiring('sort'), {})).toEqual(['sort']);
    expect(missingFeatures(requiring(), {})).toEqual([]);
  });

  it('never asks the target for what a scenario covers', () => {
    const covering = { requires: ['filter'], covers: ['pushGroups'], steps: [] } as unknown as Scenario;
    expect(missingFeatures(covering, { filter: true, pushGroups: false })).toEqual([]);
  });
});

describe('changing a password needs changePassword', () => {
  const at = { file: 'x.yaml', line: 1, column: 1 };
  const withStep = (method: string, body: unknown, status?: number) =>
    ({ requires: [], covers: [], steps: [{ kind: 'request', request: { method, path: '/Users/{{id}}', body }, ...(status && { expect: { status } }), source: at }] }) as unknown as Scenario;

  it('is implied by a PUT or PATCH that sets one and expects success', () => {
    expect(missingFeatures(withStep('PUT', { userName: 'a', password: 'p' }), { changePassword: false })).toEqual(['changePassword']);
    expect(missingFeatures(withStep('PATCH', { Operations: [{ op: 'replace', path: 'password', value: 'p' }] }), {})).toEqual(['changePassword']);
    expect(missingFeatures(withStep('PATCH', { Operations: [{ op: 'replace', value: { password: 'p' } }] }), { changePassword: true })).toEqual([]);
  });

  it('is not implied by a step that expects the change to be refused', () => {
    expect(missingFeatures(withStep('PUT', { password: 'p' }, 400), {})).toEqual([]);
  });
});
