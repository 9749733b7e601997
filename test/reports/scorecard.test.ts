import { describe, expect, it } from 'vitest';
import type { ScenarioResult } from '../../harness/result.js';
import { areasOf, scorecard } from '../../reports/scorecard.js';
import { sampleResult } from './sample-result.js';

const scenario = (id: string, status: ScenarioResult['status'], features: string[] = []): ScenarioResult => ({
  id,
  title: id,
  file: `${id}.yaml`,
  idp: id.startsWith('okta') ? 'okta' : id.startsWith('entra') ? 'entra' : 'none',
  refs: [],
  tags: [],
  features,
  status,
  durationMs: 1,
  steps: [],
  exchanges: [],
  outcomes: [],
});

describe('scorecard', () => {
  it('puts Okta features per variant, Entra capabilities per dialect, then RFC areas, then the rest', () => {
    const sections = scorecard(sampleResult().scenarios);
    expect(sections.map((s) => s.title)).toEqual(['Okta To App features · OIN', 'Entra capabilities · aadoptscim062020', 'RFC 7644 areas']);
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
    const [section] = scorecard([scenario('rfc7644.paging.a', 'blocked'), scenario('rfc7644.paging.b', 'passed'), scenario('rfc7644.sort.a', 'blocked'), scenario('rfc7644.sort.b', 'skipped')]);
    expect(section!.rows.map((r) => [r.label, r.status, r.failed, r.blocked])).toEqual([
      ['paging', 'passed', 0, 1],
      ['sort', 'blocked', 0, 1],
    ]);
  });

  it('counts an IdP scenario without IdP features under the first word of its name, or "general"', () => {
    expect(areasOf(scenario('okta.aiw.groups.push-rename', 'passed')).map((a) => [a.section.title, a.row.label])).toEqual([['Okta To App features · AIW', 'groups']]);
    expect(areasOf(scenario('okta.oin.deactivate-on-unassign', 'passed')).map((a) => a.row.key)).toEqual(['okta.oin/deactivate']);
    expect(areasOf(scenario('entra.legacy', 'passed')).map((a) => a.row.key)).toEqual(['entra.legacy/general']);
    expect(areasOf(scenario('entra.legacy.x', 'passed', ['patch', 'entra.groups', 'entra.groups'])).map((a) => a.row.key)).toEqual(['entra.legacy/groups']);
  });

  it('orders sections by family and rows by name, with a row passed only when nothing in it failed', () => {
    const sections = scorecard([
      scenario('zeta.thing', 'passed'),
      scenario('rfc7643.schema.a', 'passed'),
      scenario('rfc7644.users.a', 'passed'),
      scenario('rfc7644.users.b', 'skipped'),
      scenario('okta.oin.a', 'skipped', ['okta.pushGroups']),
      scenario('entra.flag.a', 'error', ['entra.users']),
    ]);
    expect(sections.map((s) => s.key)).toEqual(['okta.oin', 'entra.flag', 'rfc7643', 'rfc7644', 'other']);
    expect(sections.map((s) => s.rows.map((r) => r.status))).toEqual([['skipped'], ['failed'], ['passed'], ['passed'], ['passed']]);
    expect(sections[4]!.rows[0]).toMatchObject({ key: 'other/zeta', label: 'zeta' });
  });
});
