import { describe, expect, it } from 'vitest';
import { missingFeatures } from '../../../harness/runner/features.js';
import type { Scenario } from '../../../harness/types.js';

const needing = (...features: string[]) => ({ features }) as Scenario;

describe('which scenarios a target can run', () => {
  it('needs /ServiceProviderConfig features declared supported', () => {
    expect(missingFeatures(needing('patch', 'bulk'), { patch: true, bulk: false })).toEqual(['bulk']);
    expect(missingFeatures(needing('sort'), {})).toEqual(['sort']);
  });

  it('assumes IdP features unless a profile says false', () => {
    expect(missingFeatures(needing('okta.deactivateUsers'), { patch: true })).toEqual([]);
    expect(missingFeatures(needing('okta.deactivateUsers'), { 'okta.deactivateUsers': false })).toEqual(['okta.deactivateUsers']);
  });
});
