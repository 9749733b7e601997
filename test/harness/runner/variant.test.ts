import { describe, expect, it } from 'vitest';
import { IDPS } from '../../../harness/idp/registry.js';
import { idpRegistry } from '../../../harness/idp/types.js';
import { scenarioResult } from '../../../harness/runner/run-scenario.js';
import type { Scenario } from '../../../harness/types.js';

const happened = { status: 'passed' as const, durationMs: 0, steps: [], exchanges: [], outcomes: [] };
const scenario = (idp: string, settings: Record<string, unknown> = {}): Scenario => ({
  id: 'x.y',
  title: 't',
  refs: ['r'],
  tags: [],
  requires: [],
  covers: ['users'],
  idp,
  settings,
  steps: [],
  source: { file: 'x.yaml', line: 1, column: 1 },
});

describe('the variant an IdP scenario runs with', () => {
  it("is Okta's integration variant, OIN by default", () => {
    expect(IDPS.okta!.variantOf!({})).toEqual({ key: 'okta.oin', title: 'Okta To App features · OIN' });
    expect(IDPS.okta!.variantOf!({ variant: 'aiw' })).toEqual({ key: 'okta.aiw', title: 'Okta To App features · AIW' });
  });

  it("is Entra's PATCH dialect: aadOptscim062020 under either name, given alone or in a list, else legacy", () => {
    const compliant = { key: 'entra.aadoptscim062020', title: 'Entra capabilities · aadOptscim062020' };
    const legacy = { key: 'entra.legacy', title: 'Entra capabilities · legacy' };
    expect(IDPS.entra!.variantOf!({ flags: ['aadOptscim062020'] })).toEqual(compliant);
    expect(IDPS.entra!.variantOf!({ flags: 'AzureAdScimPatch062020' })).toEqual(compliant);
    expect(IDPS.entra!.variantOf!({})).toEqual(legacy);
    expect(IDPS.entra!.variantOf!({ flags: [] })).toEqual(legacy);
    expect(IDPS.entra!.variantOf!({ flags: ['AzureAdScimPatch2017'] })).toEqual(legacy);
  });

  it("is in an IdP scenario's result, and not in a protocol scenario's or in one of an IdP without variants", () => {
    expect(scenarioResult(scenario('okta', { variant: 'aiw' }), IDPS, happened)).toMatchObject({ covers: ['users'], variant: { key: 'okta.aiw' } });
    expect(scenarioResult(scenario('none'), IDPS, happened)).not.toHaveProperty('variant');
    const plain = idpRegistry({ ...IDPS.okta!, name: 'plain', variantOf: undefined });
    expect(scenarioResult(scenario('plain'), plain, happened)).not.toHaveProperty('variant');
  });
});
