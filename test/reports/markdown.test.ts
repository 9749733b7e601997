import { describe, expect, it } from 'vitest';
import type { ScenarioResult } from '../../harness/types.js';
import { totalsOf } from '../../harness/runner/totals.js';
import { renderMarkdown } from '../../reports/markdown.js';
import { sampleResult } from './sample-result.js';

describe('renderMarkdown', () => {
  const text = renderMarkdown(sampleResult());

  it('opens with the totals and the scorecard table', () => {
    expect(text.split('\n')[0]).toBe('## ❌ scimulator: 2 passed, 3 failed, 1 skipped');
    expect(text).toContain('| | section | area | passed | failed | skipped |');
    expect(text).toContain('| ❌ | RFC 7644 areas | users | 1 | 1 | 0 |');
    expect(text).toContain('| ✅ | Entra capabilities · aadoptscim062020 | users | 1 | 0 | 0 |');
  });

  it('lists each failure with its first failing check, expected and actual, reference, and a link to the HTML report', () => {
    expect(text).toContain('- **[rfc7644.filter.eq-case-insensitive](report.html#scenario-rfc7644.filter.eq-case-insensitive)** — A userName filter');
    expect(text).toContain('step 3 (expect): target ada active — expected active to equal false, got true \\[okta-wire §6.1\\]');
    expect(text).toContain('expected `{"equals":false}`, actual `true`');
    expect(text).toContain('could not run: step 1 \\(GET /Users/{{userId}}\\): the template names {{userId}}, which no step saved');
  });

  it('renders server text as text: no HTML, no table breaks, no control characters', () => {
    const line = text.split('\n').find((l) => l.includes('A userName filter ignores case'))!;
    expect(line).not.toMatch(/<(?:script|img)/);
    expect(line).toContain('&lt;/script\\>');
    expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f]/);
    const result = sampleResult();
    result.scenarios[1]!.id = 'rfc7644.a|b.c)d';
    const odd = renderMarkdown(result);
    const table = odd.split('\n').filter((l) => l.startsWith('| ') && l.includes('a\\|b'));
    expect(table).toHaveLength(1);
    expect(table[0]!.split(/(?<!\\)\|/)).toHaveLength(8);
    expect(odd).toContain('](report.html#scenario-rfc7644.a%7Cb.c%29d)**');
  });

  it('stays short: the first 20 failures, then how many more', () => {
    const result = sampleResult();
    const failed = result.scenarios[1]!;
    result.scenarios = Array.from({ length: 27 }, (_, i): ScenarioResult => ({ ...failed, id: `rfc7644.filter.case-${String(i).padStart(2, '0')}` }));
    result.totals = totalsOf(result.scenarios);
    const long = renderMarkdown(result);
    expect(long.match(/^- \*\*\[/gm)).toHaveLength(20);
    expect(long).toContain('…and 7 more in the [HTML report](report.html).');
    expect(long).not.toContain('case-20');
  });

  it('says so when everything passed, without a failures section', () => {
    const result = sampleResult();
    result.scenarios = result.scenarios.filter((s) => s.status === 'passed');
    result.totals = totalsOf(result.scenarios);
    const passed = renderMarkdown(result);
    expect(passed).toMatch(/^## ✅ scimulator: 2 passed, 0 failed, 0 skipped/);
    expect(passed).not.toContain('### Failures');
  });
});
