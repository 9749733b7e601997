import { describe, expect, it } from 'vitest';
import type { Gate, RunResult } from '../../harness/result.js';
import { renderConsoleSummary } from '../../reports/console.js';
import { gateLine, staleText, unknownText, verdictText } from '../../reports/gate.js';
import { renderHtml } from '../../reports/html.js';
import { renderJunit } from '../../reports/junit.js';
import { renderMarkdown } from '../../reports/markdown.js';
import { run, scenario } from '../harness/known/runs.js';
import { HOSTILE } from './sample-result.js';

const GATE: Gate = {
  sources: [{ kind: 'known', file: 'known.yaml' }],
  failures: [
    { scenario: 'a', verdict: 'known', reason: `accepted ${HOSTILE}`, source: { kind: 'known', file: 'known.yaml', line: 2 }, owner: 'team', expires: '2026-12-31' },
    { scenario: 'b', verdict: 'new', uncovered: [`GET /Users: status: ${HOSTILE}`] },
  ],
  stale: [{ scenario: 'c', check: 'nickName', file: 'known.yaml', line: 9, status: 'failed' }],
  unknown: [{ scenario: `typo${HOSTILE}`, file: 'known.yaml', line: 14 }],
  fixed: [],
  passed: false,
};

const gated = (): RunResult => ({ ...run([scenario('a', 'failed'), scenario('b', 'failed'), scenario('c', 'failed')]), gate: GATE });

describe('the gate in words', () => {
  it('says each verdict, where it comes from, and what to do with a stale entry', () => {
    expect(verdictText(GATE.failures[0]!)).toBe(`known failure: accepted ${HOSTILE} (owner team, until 2026-12-31, known.yaml:2)`);
    expect(verdictText({ scenario: 'x', verdict: 'expired', reason: 'r', ticket: 'https://t.example/1', expires: '2026-01-01', source: { kind: 'known', file: 'k.yaml', line: 5 } })).toBe(
      'known failure past its expiry, failing the run: r (ticket https://t.example/1, expired after 2026-01-01, k.yaml:5)',
    );
    expect(verdictText(GATE.failures[1]!)).toBe(`new failure, not covered by its known entries: GET /Users: status: ${HOSTILE}`);
    expect(staleText(GATE.stale[0]!)).toBe('stale known entry known.yaml:9 (c, check "nickName"): the scenario fails, but not the way the entry says: narrow it anew or remove it');
    expect(unknownText({ scenario: 'okta.oin.deactivate-on-unasign', check: 'active', file: 'known.yaml', line: 14 })).toBe(
      'known entry known.yaml:14 names scenario okta.oin.deactivate-on-unasign (check "active"), which no loaded scenario file has: it can never match; check the id (scimulator list)',
    );
    expect(gateLine(GATE)).toBe('Gate failed: 1 new failure, 1 known, 1 stale known entry, 1 entry naming no scenario (known.yaml)');
  });
});

describe('every report shows the gate, its text from outside escaped', () => {
  it('console: the new failure in full, the known one in a line, the gate line last; no terminal escape', () => {
    const text = renderConsoleSummary(gated(), { color: false });
    const failures = text.slice(text.indexOf('Failures:'), text.indexOf('Known failures and baseline:'));
    expect(failures).toContain('✗ b — Scenario b');
    expect(failures).not.toContain('✗ a — Scenario a');
    expect(text.split('\n').at(-1)).toBe(gateLine(GATE));
    expect(text).toContain('  ⚠ known entry known.yaml:14 names scenario typo');
    expect(text).not.toContain('\u001b');
  });

  it('HTML, Markdown and JUnit', () => {
    const html = renderHtml(gated());
    expect(html).toContain('<section id="gate">');
    expect(html).not.toContain('<script>window.__pwned');
    const markdown = renderMarkdown(gated());
    expect(markdown).toMatch(/^## ❌ /);
    expect(markdown).toContain('### ❌ Gate failed: 1 new failure, 1 known, 1 stale known entry, 1 entry naming no scenario \\(known.yaml\\)');
    expect(markdown).toContain('- ⚠️ known entry known.yaml:14 names scenario typo');
    expect(html).toContain('<li>⚠ known entry known.yaml:14 names scenario typo');
    expect(markdown).not.toContain('</script>');
    const junit = renderJunit(gated());
    expect(junit).toContain('<testsuites name="scimulator" tests="4" failures="2" errors="0" skipped="2"');
    expect(junit).toContain('name="known-failures"');
    expect(junit).toContain('⚠ known entry known.yaml:14 names scenario typo');
  });
});
