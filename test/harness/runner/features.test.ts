import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadProfile, missingFeatures } from '../../../harness/runner/features.js';
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

describe('a profile (run --profile FILE)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'scimulator-profile-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));
  const profile = async (text: string) => {
    const file = join(dir, `${Math.random().toString(36).slice(2)}.yaml`);
    await writeFile(file, text);
    return loadProfile(file);
  };

  it('says with supports: which optional features the target has', async () => {
    expect(await profile('supports: { bulk: false, sort: true }\n')).toEqual({ bulk: false, sort: true });
  });

  it("refuses the former features: with its new name", async () => {
    await expect(profile('features: { bulk: false }\n')).rejects.toThrow(/says "features:", which is now "supports:": rename it/);
  });

  it('refuses a name that is not an optional feature, with a did-you-mean, and a value that is not true or false', async () => {
    await expect(profile('supports: { etags: true }\n')).rejects.toThrow(/names "etags" in "supports:": did you mean "etag"\?/);
    await expect(profile('supports: { okta.pushGroups: false }\n')).rejects.toThrow(/the optional features are patch, bulk, filter, changePassword, sort, etag/);
    await expect(profile('supports: { bulk: no-thanks }\n')).rejects.toThrow(/must have "supports:" mapping optional features/);
    await expect(profile('bulk: false\n')).rejects.toThrow(/must have "supports:"/);
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
