import { describe, expect, it } from 'vitest';
import type { ScenarioResult } from '../../harness/result.js';
import { renderScorecard } from '../../reports/html/scorecard.js';
import { scorecard } from '../../reports/scorecard.js';

/**
 * The scorecard of an app whose To App features are fixed (Okta's Postman app, Postman ref §7): its
 * section lists every feature, offered or not, from the variant the run result records, and the
 * HTML shows them as one row group.
 */

const feature = (key: string, label: string, offered: boolean) => ({ key, label, offered });
const POSTMAN = {
  key: 'okta.postman',
  title: 'Okta To App features · Postman app (OIN)',
  features: [
    feature('createUsers', 'Create Users', true),
    feature('updateUserAttributes', 'Update User Attributes (first and last name)', true),
    feature('syncPassword', 'Sync Password', false),
    feature('pushGroups', 'Push Groups', false),
  ],
};

const scenario = (status: ScenarioResult['status'], covers: string[], variant?: ScenarioResult['variant']): ScenarioResult => ({
  id: 'x.y.z',
  title: 'x',
  file: 'x.yaml',
  idp: 'okta',
  refs: [],
  tags: [],
  requires: [],
  covers,
  ...(variant && { variant }),
  status,
  durationMs: 1,
  steps: [],
  exchanges: [],
  outcomes: [],
});

describe('scorecard: an app variant with its features', () => {
  const sections = scorecard([
    scenario('passed', ['createUsers', 'testApiCredentials'], POSTMAN),
    scenario('failed', ['createUsers'], POSTMAN),
    scenario('passed', ['pushGroups'], POSTMAN),
    scenario('passed', ['createUsers'], { key: 'okta.oin', title: 'Okta To App features · OIN' }),
  ]);
  const postman = sections.find((s) => s.key === 'okta.postman')!;

  it('lists every feature in the variant\'s order, offered or not, each with the row of the scenarios covering it', () => {
    expect(postman.features!.map((f) => [f.label, f.offered, f.row?.status, f.row?.total])).toEqual([
      ['Create Users', true, 'failed', 2],
      ['Update User Attributes (first and last name)', true, undefined, undefined],
      ['Sync Password', false, undefined, undefined],
      ['Push Groups', false, 'passed', 1],
    ]);
    expect(postman.features![0]!.row!.key).toBe('okta.postman/createUsers');
  });

  it('keeps every row, those beyond the features included, and gives a variant without features none', () => {
    expect(postman.rows.map((r) => r.label)).toEqual(['createUsers', 'pushGroups', 'testApiCredentials']);
    expect(sections.find((s) => s.key === 'okta.oin')).not.toHaveProperty('features');
  });

  it('renders the features as one row group, each not offered marked, then what else is covered', () => {
    const html = renderScorecard([postman]);
    const groups = html.split('<tbody').slice(1);
    expect(groups).toHaveLength(2);
    expect(groups[0]).toContain('features of the app');
    expect(groups[0]!.match(/<tr class="row-[a-z]+">/g)).toEqual(['<tr class="row-failed">', '<tr class="row-none">', '<tr class="row-none">', '<tr class="row-passed">']);
    expect(groups[0]).toContain('data-row="okta.postman/createUsers" aria-pressed="false" title="Show only these scenarios">Create Users</button>');
    expect(groups[0]).toContain('<td>Sync Password <span class="muted">not offered</span></td><td colspan="5" class="muted">no scenario</td>');
    expect(groups[0]).toContain('>Push Groups <span class="muted">not offered</span></button>');
    expect(groups[0]).not.toContain('testApiCredentials');
    expect(groups[1]).toContain('also covered');
    expect(groups[1]).toContain('data-row="okta.postman/testApiCredentials"');
  });

  it('renders a section without features as before: one row group', () => {
    const html = renderScorecard(sections.filter((s) => s.key === 'okta.oin'));
    expect(html.split('<tbody').length - 1).toBe(1);
    expect(html).not.toContain('features of the app');
  });

  it('escapes a feature label', () => {
    const [section] = scorecard([scenario('passed', [], { ...POSTMAN, features: [feature('x', '<b>X</b>', false)] })]);
    expect(renderScorecard([section!])).toContain('&#60;b&#62;X&#60;/b&#62; <span class="muted">not offered</span>');
  });
});
