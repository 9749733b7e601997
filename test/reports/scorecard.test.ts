import { describe, expect, it } from 'vitest';
import type { ScenarioResult } from '../../harness/result.js';
import { areasOf, scorecard } from '../../reports/scorecard.js';
import { sampleResult } from './sample-result.js';

/** A result whose id says nothing the scorecard may read: sections and rows come from its fields alone. */
const scenario = (status: ScenarioResult['status'], over: Partial<ScenarioResult> = {}): ScenarioResult => ({
  id: 'x.y.z',
  title: 'x',
  file: 'x.yaml',
  idp: 'none',
  refs: [],
  tags: [],
  requires: [],
  covers: [],
  status,
  durationMs: 1,
  steps: [],
  exchanges: [],
  outcomes: [],
  ...over,
});

const OIN = { key: 'okta.oin', title: 'Okta To App features · OIN' };
const AIW = { key: 'okta.aiw', title: 'Okta To App features · AIW' };
const LEGACY = { key: 'entra.legacy', title: 'Entra capabilities · legacy' };

describe('scorecard', () => {
  it('puts Okta features per variant, Entra capabilities per dialect, then RFC areas, then the rest', () => {
    const sections = scorecard(sampleResult().scenarios);
    expect(sections.map((s) => s.title)).toEqual(['Okta To App features · OIN', 'Entra capabilities · aadOptscim062020', 'RFC 7644 areas']);
    expect(sections[0]!.rows.map((r) => [r.label, r.status])).toEqual([
      ['createUsers', 'failed'],
      ['deactivateUsers', 'failed'],
    ]);
    expect(sections[2]!.rows).toEqual([
      { key: 'rfc7644/bulk', label: 'bulk', passed: 0, failed: 0, skipped: 1, blocked: 0, errored: 0, total: 1, status: 'skipped' },
      { key: 'rfc7644/filter', label: 'filter', passed: 0, failed: 1, skipped: 0, blocked: 0, errored: 0, total: 1, status: 'failed' },
      { key: 'rfc7644/paging', label: 'paging', passed: 0, failed: 0, skipped: 0, blocked: 1, errored: 0, total: 1, status: 'blocked' },
      { key: 'rfc7644/sort', label: 'sort', passed: 0, failed: 0, skipped: 0, blocked: 1, errored: 0, total: 1, status: 'blocked' },
      { key: 'rfc7644/users', label: 'users', passed: 1, failed: 0, skipped: 0, blocked: 0, errored: 1, total: 2, status: 'failed' },
    ]);
  });

  it('counts blocked scenarios apart, never as failed: a row with a pass and a block passed', () => {
    const rfc = { refs: ['RFC 7644 §3.4.2.4'] };
    const [section] = scorecard([
      scenario('blocked', { ...rfc, covers: ['paging'] }),
      scenario('passed', { ...rfc, covers: ['paging'] }),
      scenario('blocked', { ...rfc, covers: ['sort'] }),
      scenario('skipped', { ...rfc, covers: ['sort'] }),
    ]);
    expect(section!.rows.map((r) => [r.label, r.status, r.failed, r.blocked])).toEqual([
      ['paging', 'passed', 0, 1],
      ['sort', 'blocked', 0, 1],
    ]);
  });

  it('sections an IdP scenario by its variant and rows it by what it covers, each once, or "general"', () => {
    const areas = (over: Partial<ScenarioResult>) => areasOf(scenario('passed', { idp: 'okta', ...over })).map((a) => [a.section.title, a.row.key]);
    expect(areas({ variant: AIW, covers: ['pushGroups'] })).toEqual([['Okta To App features · AIW', 'okta.aiw/pushGroups']]);
    expect(areas({ variant: OIN, covers: ['createUsers', 'updateUserAttributes', 'createUsers'] })).toEqual([
      ['Okta To App features · OIN', 'okta.oin/createUsers'],
      ['Okta To App features · OIN', 'okta.oin/updateUserAttributes'],
    ]);
    expect(areas({ idp: 'entra', variant: LEGACY })).toEqual([['Entra capabilities · legacy', 'entra.legacy/general']]);
  });

  it('sections an IdP scenario of an older result, which has no variant, by its IdP', () => {
    expect(areasOf(scenario('passed', { idp: 'okta', covers: ['pushGroups'] })).map((a) => [a.section, a.row.key])).toEqual([[{ key: 'okta', title: 'okta' }, 'okta/pushGroups']]);
  });

  it('sections a protocol scenario by RFC 7644 when a ref names it, else by the first RFC named, else as other; the id is never read', () => {
    const section = (refs: string[]) => areasOf(scenario('passed', { id: 'rfc7644.users.x', refs, covers: ['users'] }))[0]!.section;
    expect(section(['Okta ref §6.1', 'RFC 7643 §4.1', 'RFC 7644 §3.3'])).toEqual({ key: 'rfc7644', title: 'RFC 7644 areas' });
    expect(section(['Okta ref §6.1', 'RFC 7643 §4.1'])).toEqual({ key: 'rfc7643', title: 'RFC 7643 areas' });
    expect(section(['RFC 7644 §3.4.2'])).toEqual({ key: 'rfc7644', title: 'RFC 7644 areas' });
    expect(section(['Entra ref §5.6'])).toEqual({ key: 'other', title: 'Other scenarios' });
    expect(areasOf(scenario('passed', { refs: ['RFC 7644 §3.3'] })).map((a) => a.row.key)).toEqual(['rfc7644/general']);
  });

  it('orders sections by family (Okta, Entra, other IdPs, RFCs, other) and rows by name, with a row passed only when nothing in it failed', () => {
    const sections = scorecard([
      scenario('passed', { covers: ['zeta'] }),
      scenario('passed', { refs: ['RFC 7643 §7'], covers: ['schema'] }),
      scenario('passed', { refs: ['RFC 7644 §3.3'], covers: ['users'] }),
      scenario('skipped', { refs: ['RFC 7644 §3.3'], covers: ['users'] }),
      scenario('passed', { idp: 'acme', covers: ['sync'] }),
      scenario('error', { idp: 'entra', variant: LEGACY, covers: ['users'] }),
      scenario('skipped', { idp: 'okta', variant: OIN, covers: ['pushGroups'] }),
      scenario('passed', { idp: 'okta', variant: AIW, covers: ['pushGroups'] }),
    ]);
    expect(sections.map((s) => s.key)).toEqual(['okta.aiw', 'okta.oin', 'entra.legacy', 'acme', 'rfc7643', 'rfc7644', 'other']);
    expect(sections.map((s) => s.rows.map((r) => r.status))).toEqual([['passed'], ['skipped'], ['failed'], ['passed'], ['passed'], ['passed'], ['passed']]);
    expect(sections[6]!.rows[0]).toMatchObject({ key: 'other/zeta', label: 'zeta' });
  });
});
