import { describe, expect, it } from 'vitest';
import type { ScenarioResult } from '../../harness/result.js';
import { totalsOf } from '../../harness/runner/totals.js';
import { renderMarkdown } from '../../reports/markdown.js';
import { LONG_DETAIL, sampleResult } from './sample-result.js';

describe('renderMarkdown', () => {
  const text = renderMarkdown(sampleResult());

  it('opens with the totals, errored and blocked apart, then the root causes, then the scorecard table', () => {
    expect(text.split('\n')[0]).toBe('## ❌ scimulator: 2 passed, 2 failed, 1 errored, 1 skipped, 2 blocked');
    expect(text.indexOf('### Root causes')).toBeGreaterThan(0);
    expect(text.indexOf('### Root causes')).toBeLessThan(text.indexOf('| | section |'));
    expect(text.indexOf('| | section |')).toBeLessThan(text.indexOf('### Failures'));
    expect(text).toContain('| | section | area | passed | failed | blocked | skipped |');
    expect(text).toContain('| ❌ | RFC 7644 areas | users | 1 | 1 | 0 | 0 |');
    expect(text).toContain('| ⏸️ | RFC 7644 areas | paging | 0 | 0 | 1 | 0 |');
    expect(text).toContain('| ✅ | Entra capabilities · aadOptscim062020 | users | 1 | 0 | 0 | 0 |');
  });

  it('lists each root cause once, with the server’s answer, its count and effect, and the first scenario', () => {
    const causes = text.slice(text.indexOf('### Root causes'), text.indexOf('| | section |')).split('\n').filter((l) => l.startsWith('- '));
    expect(causes).toHaveLength(5);
    expect(causes[3]).toBe(
      '- ⏸️ target rejects filter operator "sw" — `400 invalidFilter: Unsupported operator sw` — **2 scenarios blocked**, first: [rfc7644.paging.count-zero](report.html#scenario-rfc7644.paging.count-zero)',
    );
    expect(causes[4]).toContain('⏭️ not supported: bulk \\(ServiceProviderConfig\\) — **1 scenario skipped**');
    expect(causes[2]).toContain('❗ the template names {{userId}}, which no step saved — **1 scenario could not run**');
  });

  it('never cuts the server’s reason: a detail of over 600 characters is there whole, in the cause and in the IdP’s message', () => {
    expect(LONG_DETAIL.length).toBeGreaterThan(600);
    const whole = text.split(LONG_DETAIL).length - 1;
    expect(whole).toBeGreaterThanOrEqual(3);
    expect(text).toContain(`- ❌ PATCH /Users/{id} answered 400 invalidValue: ${LONG_DETAIL} — **1 scenario failed**`);
  });

  it('lists failures by root cause, each with its first failing check, expected and actual, reference, and a link to the HTML report', () => {
    const failures = text.slice(text.indexOf('### Failures, by root cause'));
    expect(failures).toContain('- **[rfc7644.filter.eq-case-insensitive](report.html#scenario-rfc7644.filter.eq-case-insensitive)** — A userName filter');
    expect(failures).toContain('expected `{"equals":{"userName":"ada@example.com","active":true}}`');
    expect(failures).toContain('could not run: step 1 \\(GET /Users/{{userId}}\\): the template names {{userId}}, which no step saved');
    const headings = failures.split('\n').filter((l) => l.startsWith('#### '));
    expect(headings.map((h) => h.slice(h.lastIndexOf(' — ') + 3))).toEqual(['1 scenario failed', '1 scenario failed', '1 scenario could not run']);
    expect(headings[1]).toContain(LONG_DETAIL);
    expect(failures).not.toContain('rfc7644.paging.count-zero');
  });

  it('shows checks that follow from the cause as consequences under it, not as findings', () => {
    expect(text).toContain('  - consequence, step 3 (expect): target ada active — expected active to equal false, got true \\[Okta ref §6.1\\]');
    expect(text).toContain('  - consequence, step 3 (expect): outcome — expected the task to succeed, it failed: Automatic deactivation of user ada failed: Bad Request.');
    expect(text).not.toContain('actual `true`');
  });

  it('renders server text as text: no HTML, no table breaks, no control characters', () => {
    const line = text.split('\n').find((l) => l.includes('A userName filter ignores case'))!;
    expect(line).not.toMatch(/<(?:script|img)/);
    expect(line).toContain('&lt;/script\\>');
    expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f]/);
    const result = sampleResult();
    result.scenarios[1]!.id = 'rfc7644.a|b.c)d';
    result.scenarios[1]!.covers = ['a|b'];
    const odd = renderMarkdown(result);
    const table = odd.split('\n').filter((l) => l.startsWith('| ') && l.includes('a\\|b'));
    expect(table).toHaveLength(1);
    expect(table[0]!.split(/(?<!\\)\|/)).toHaveLength(9);
    expect(odd).toContain('](report.html#scenario-rfc7644.a%7Cb.c%29d)**');
  });

  it('stays short: at most 5 failures under a cause and 20 in all, each cut counted', () => {
    const result = sampleResult();
    const failed = result.scenarios[1]!;
    const causes = ['a', 'b', 'c', 'd', 'e'].map((k) => ({ key: `cause-${k}`, summary: `cause ${k}` }));
    result.scenarios = Array.from({ length: 30 }, (_, i): ScenarioResult => ({ ...failed, id: `rfc7644.filter.case-${String(i).padStart(2, '0')}`, cause: causes[Math.floor(i / 6)] }));
    result.totals = totalsOf(result.scenarios);
    result.causes = causes.map((c, i) => ({ ...c, effect: 'failed', scenarios: result.scenarios.slice(i * 6, i * 6 + 6).map((s) => s.id) }));
    const failures = renderMarkdown(result).split('### Failures, by root cause')[1]!;
    expect(failures.match(/^- \*\*\[/gm)).toHaveLength(20);
    expect(failures.match(/^#### cause [a-d] — 6 scenarios failed\n\n(?:- \*\*.*\n(?: {2}- .*\n)*){5}- …and 1 more with this cause in the \[HTML report\]\(report\.html\)\.$/gm)).toHaveLength(4);
    expect(failures).toContain('…and 6 more under other causes in the [HTML report](report.html).');
    expect(failures).not.toContain('case-05]');
    expect(failures).not.toContain('cause e');
  });

  it('links to the published HTML report with --report-url, so that the links work from a CI job summary', () => {
    const url = 'https://ci.example.com/job/42/artifacts/report (1).html';
    const published = renderMarkdown(sampleResult(), { reportUrl: url });
    const at = 'https://ci.example.com/job/42/artifacts/report%20%281%29.html';
    expect(published).toContain(`Full report: [report.html](${at}).`);
    expect(published).toContain(`first: [rfc7644.paging.count-zero](${at}#scenario-rfc7644.paging.count-zero)`);
    expect(published).toContain(`- **[rfc7644.filter.eq-case-insensitive](${at}#scenario-rfc7644.filter.eq-case-insensitive)**`);
    expect(published).not.toContain('](report.html');
  });

  it('says so when everything passed, without a failures section', () => {
    const result = sampleResult();
    result.scenarios = result.scenarios.filter((s) => s.status === 'passed');
    result.totals = totalsOf(result.scenarios);
    result.causes = [];
    const passed = renderMarkdown(result);
    expect(passed).toMatch(/^## ✅ scimulator: 2 passed, 0 failed, 0 skipped\n/);
    expect(passed).not.toContain('### Failures');
    expect(passed).not.toContain('### Root causes');
  });

  it('links the refs of failing checks: RFC ones always, IdP ones only to published docs', () => {
    const local = renderMarkdown(sampleResult());
    expect(local).toContain('\\[[RFC 7644 §3.4.2.2](https://www.rfc-editor.org/rfc/rfc7644#section-3.4.2.2)\\]');
    expect(local).toContain('\\[Okta ref §6.1\\]');
    expect(local).not.toContain('file://');
    const published = renderMarkdown(sampleResult(), { docsUrl: 'https://example.com/scimulator/docs/' });
    expect(published).toMatch(/\\\[\[Okta ref §6\.1\]\(https:\/\/example\.com\/scimulator\/docs\/reference\/okta\.md#61-[a-z0-9-]+\)\\\]/);
  });
});
